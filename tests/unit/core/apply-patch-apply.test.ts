import { describe, expect, it } from 'vitest';
import { applyHunks, normalizeUnicode, seekSequence } from '../../../src/core/tools/apply-patch/match';
import { applyPatch, resolveWorkspacePath } from '../../../src/core/tools/apply-patch/apply';
import { PatchError, parsePatch } from '../../../src/core/tools/apply-patch/parse';
import { applyPatchTool, extractPatchText } from '../../../src/core/tools/apply-patch/index';
import type { ApprovalPolicy, SandboxMode } from '../../../src/core/config';
import type { ApprovalDecision, ApprovalRequest } from '../../../src/core/events';
import type { ToolContext } from '../../../src/core/tools/types';
import { systemClock } from '../../../src/core/ports';
import { ProcessManager } from '../../../src/core/tools/process-manager';
import { MemoryFs } from '../../support/memory-fs';

const lines = (...l: string[]) => l.join('\n');
const wrap = (...body: string[]) => lines('*** Begin Patch', ...body, '*** End Patch');
const ROOT = '/workspace';

async function apply(fs: MemoryFs, text: string, cwd = ROOT) {
  return applyPatch(parsePatch(text), fs, { cwd, root: ROOT });
}

async function applyError(fs: MemoryFs, text: string, cwd = ROOT): Promise<PatchError> {
  try {
    await apply(fs, text, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchError);
    return err as PatchError;
  }
  throw new Error('expected the patch to fail');
}

/** Applies one Update hunk list to `text` as file `f`. */
function update(text: string, ...body: string[]): string {
  const op = parsePatch(wrap('*** Update File: f', ...body)).ops[0];
  if (op?.kind !== 'update') throw new Error('not an update');
  return applyHunks(text, op.hunks, 'f');
}

describe('seekSequence: the four matching levels', () => {
  it('level 1, exact: preferred over a looser match that comes earlier', () => {
    expect(seekSequence(['  foo', 'bar', 'foo'], ['foo'], 0)).toEqual({ index: 2, level: 'exact' });
  });

  it('level 2, ignoring trailing whitespace: only it matches', () => {
    const file = [' foo', 'foo  \t'];
    expect(seekSequence(file, ['foo'], 0)).toEqual({ index: 1, level: 'trim-end' });
  });

  it('level 3, ignoring leading and trailing whitespace: only it matches', () => {
    expect(seekSequence(['x', '\tfoo(a);  ', 'y'], ['  foo(a);'], 0)).toEqual({ index: 1, level: 'trim' });
  });

  it('level 4, unicode punctuation: only it matches', () => {
    const file = ['const s = “it’s — fine…”;', 'a\u00A0=\u2009b'];
    expect(seekSequence(file, [`const s = "it's - fine...";`], 0)).toEqual({ index: 0, level: 'unicode' });
    expect(seekSequence(file, ['a = b'], 0)).toEqual({ index: 1, level: 'unicode' });
  });

  it('normalizes quotes, dashes, spaces and ellipsis to ASCII', () => {
    expect(normalizeUnicode('‘a’ “b” ‐‑‒–—―− …\u00A0\u3000\u200B.')).toBe(`'a' "b" ------- ...  .`);
  });

  it('searches from the start position and honours end-of-file anchoring', () => {
    const file = ['x', 'end', 'y', 'end'];
    expect(seekSequence(file, ['end'], 2)?.index).toBe(3);
    expect(seekSequence(file, ['end'], 0)?.index).toBe(1);
    expect(seekSequence(file, ['end'], 0, true)?.index).toBe(3);
    expect(seekSequence(file, ['x'], 0, true)?.index).toBe(0); // falls back to a normal scan
    expect(seekSequence(file, ['nope'], 0)).toBeNull();
    expect(seekSequence(['a'], ['a', 'b'], 0)).toBeNull();
  });
});

describe('applyHunks', () => {
  it('applies at each matching level', () => {
    expect(update('a  \nb\n', '@@', '-a', '+A')).toBe('A\nb\n');
    expect(update('  a\nb\n', '@@', ' a', '-b', '+B')).toBe('  a\nB\n');
    expect(update('say “hi”\n', '@@', '-say "hi"', '+say "bye"')).toBe('say "bye"\n');
  });

  it("keeps the file's own text for context lines that matched loosely", () => {
    expect(update('\tx = “q”  \ny\n', '@@', ' x = "q"', '-y', '+z')).toBe('\tx = “q”  \nz\n');
  });

  it('applies several hunks in order, each searching after the previous one', () => {
    const file = 'x = 1\nsep\nx = 1\nsep\n';
    expect(update(file, '@@', '-x = 1', '+x = 2', '@@', '-x = 1', '+x = 3')).toBe('x = 2\nsep\nx = 3\nsep\n');
  });

  it('uses an @@ context line to pick the right occurrence', () => {
    const file = lines('def a():', '    return 0', 'def b():', '    return 0', '');
    expect(update(file, '@@ def b():', '-    return 0', '+    return 1')).toBe(lines('def a():', '    return 0', 'def b():', '    return 1', ''));
  });

  it('tolerates the @@ context line repeated as the first context line', () => {
    const file = 'def a():\n    pass\n';
    expect(update(file, '@@ def a():', ' def a():', '-    pass', '+    return 1')).toBe('def a():\n    return 1\n');
  });

  it('anchors End of File hunks at the end', () => {
    const file = 'end\nmiddle\nend\n';
    expect(update(file, '@@', '-end', '+END', '*** End of File')).toBe('end\nmiddle\nEND\n');
  });

  it('inserts pure additions after the @@ line, or at the end without one', () => {
    expect(update('a\nb\n', '@@ a', '+inserted')).toBe('a\ninserted\nb\n');
    expect(update('a\nb\n', '@@', '+tail')).toBe('a\nb\ntail\n');
  });

  it('preserves a missing trailing newline and CRLF line endings', () => {
    expect(update('a\nb', '@@', '-b', '+c')).toBe('a\nc');
    expect(update('a\r\nb\r\n', '@@', '-a', '+x', '+y')).toBe('x\r\ny\r\nb\r\n');
    expect(update('', '@@', '+first')).toBe('first\n');
  });

  it('drops a trailing blank context line that the file does not have', () => {
    expect(update('a\nb', '@@', '-b', '+c', ' ')).toBe('a\nc');
  });

  it('reports missing lines with the file name, the expected lines and the closest place', () => {
    let err: unknown;
    try {
      update('one\ntwo\nthree\n', '@@', ' one', '-TWO', '+2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchError);
    const message = (err as Error).message;
    expect(message).toContain('in f');
    expect(message).toContain('  | one\n  | TWO');
    expect(message).toContain('line 1: the first 1 line(s) match');
    expect(message).toContain('"two"');
  });

  it('reports a missing @@ context line', () => {
    expect(() => update('a\n', '@@ class Nope:', '-a', '+b')).toThrow(/context line "@@ class Nope:" was not found/);
  });
});

describe('applyPatch over a SandboxFs', () => {
  it('adds, updates, deletes and reports in the Codex summary format', async () => {
    const fs = new MemoryFs({ '/workspace/src/a.ts': 'let a = 1;\n', '/workspace/old.txt': 'bye\n' });
    const result = await apply(
      fs,
      wrap('*** Delete File: old.txt', '*** Update File: src/a.ts', '@@', '-let a = 1;', '+let a = 2;', '*** Add File: new/deep/b.md', '+# B'),
    );
    expect(result.summary).toBe('Success. Updated the following files:\nA new/deep/b.md\nM src/a.ts\nD old.txt\n');
    expect(fs.snapshot()).toEqual({ '/workspace/new/deep/b.md': '# B\n', '/workspace/src/a.ts': 'let a = 2;\n' });
    expect(result.changes).toEqual([
      { path: 'old.txt', absPath: '/workspace/old.txt', kind: 'delete', oldText: 'bye\n' },
      { path: 'src/a.ts', absPath: '/workspace/src/a.ts', kind: 'update', oldText: 'let a = 1;\n', newText: 'let a = 2;\n' },
      { path: 'new/deep/b.md', absPath: '/workspace/new/deep/b.md', kind: 'add', newText: '# B\n' },
    ]);
  });

  it('resolves paths against cwd', async () => {
    const fs = new MemoryFs({ '/workspace/pkg/x.txt': 'x\n' });
    await apply(fs, wrap('*** Update File: x.txt', '@@', '-x', '+y', '*** Add File: ../top.txt', '+t'), '/workspace/pkg');
    expect(fs.snapshot()).toEqual({ '/workspace/pkg/x.txt': 'y\n', '/workspace/top.txt': 't\n' });
  });

  it('moves a file, creating the destination directory', async () => {
    const fs = new MemoryFs({ '/workspace/a.txt': 'one\ntwo\n' });
    const result = await apply(fs, wrap('*** Update File: a.txt', '*** Move to: lib/b.txt', '@@', '-two', '+2'));
    expect(fs.snapshot()).toEqual({ '/workspace/lib/b.txt': 'one\n2\n' });
    expect(result.summary).toBe('Success. Updated the following files:\nM lib/b.txt\n');
    expect(result.changes[0]).toMatchObject({ kind: 'update', path: 'a.txt', movedTo: 'lib/b.txt', movedToAbsPath: '/workspace/lib/b.txt' });
  });

  it('renames without hunks, and refuses to move onto an existing file', async () => {
    const fs = new MemoryFs({ '/workspace/a.txt': 'a', '/workspace/b.txt': 'b' });
    await apply(fs, wrap('*** Update File: a.txt', '*** Move to: c.txt'));
    expect(fs.snapshot()).toEqual({ '/workspace/b.txt': 'b', '/workspace/c.txt': 'a' });
    const err = await applyError(fs, wrap('*** Update File: c.txt', '*** Move to: b.txt'));
    expect(err.message).toContain('already exists');
  });

  it('adds an empty file and preserves content exactly otherwise', async () => {
    const fs = new MemoryFs({ '/workspace/keep': 'no newline' });
    await apply(fs, wrap('*** Add File: empty', '*** Update File: keep', '@@', '-no newline', '+still none'));
    expect(fs.snapshot()).toEqual({ '/workspace/empty': '', '/workspace/keep': 'still none' });
  });

  it('handles unicode paths and paths with spaces', async () => {
    const fs = new MemoryFs({ '/workspace/my docs/café.txt': 'ü\n' });
    const result = await apply(fs, wrap('*** Update File: my docs/café.txt', '@@', '-ü', '+ö', '*** Add File: 日本/メモ.txt', '+ok'));
    expect(fs.snapshot()).toEqual({ '/workspace/my docs/café.txt': 'ö\n', '/workspace/日本/メモ.txt': 'ok\n' });
    expect(result.summary).toContain('A 日本/メモ.txt\nM my docs/café.txt\n');
  });

  it('lets later ops see earlier ones in the same patch', async () => {
    const fs = new MemoryFs({ '/workspace/a': 'old\n' });
    const result = await apply(
      fs,
      wrap(
        '*** Delete File: a',
        '*** Add File: a',
        '+new',
        '*** Update File: a',
        '@@',
        '-new',
        '+newer',
        '*** Update File: a',
        '@@',
        '-newer',
        '+newest',
      ),
    );
    expect(fs.snapshot()).toEqual({ '/workspace/a': 'newest\n' });
    expect(result.summary).toBe('Success. Updated the following files:\nA a\nM a\nD a\n');
  });

  it('applies a CRLF patch to a CRLF file', async () => {
    const fs = new MemoryFs({ '/workspace/w.txt': 'a\r\nb\r\n' });
    await apply(fs, '*** Begin Patch\r\n*** Update File: w.txt\r\n@@\r\n a\r\n-b\r\n+c\r\n*** End Patch\r\n');
    expect(fs.files.get('/workspace/w.txt')).toBe('a\r\nc\r\n');
  });

  it.each([
    ['/etc/passwd', 'Absolute path not allowed'],
    ['~/x', 'Absolute path not allowed'],
    ['C:\\x.txt', 'Absolute path not allowed'],
    ['../../etc/passwd', 'outside the workspace'],
    ['src/../../x', 'outside the workspace'],
  ])('refuses %s', async (path, message) => {
    const fs = new MemoryFs();
    const err = await applyError(fs, wrap(`*** Add File: ${path}`, '+x'));
    expect(err.message).toContain(message);
    expect(err.message).toContain(path);
    expect(fs.log).toEqual([]);
  });

  it('refuses a Move destination outside the workspace', async () => {
    const fs = new MemoryFs({ '/workspace/a': 'a\n' });
    expect((await applyError(fs, wrap('*** Update File: a', '*** Move to: ../a'))).message).toContain('outside the workspace');
  });

  it('resolveWorkspacePath accepts paths inside and the root itself', () => {
    expect(resolveWorkspacePath('./a/./b/../c', '/workspace/x', '/workspace/')).toBe('/workspace/x/a/c');
    expect(resolveWorkspacePath('..', '/workspace/x', '/workspace')).toBe('/workspace');
    expect(() => resolveWorkspacePath('../../workspace2/a', '/workspace/x', '/workspace')).toThrow(/outside/);
  });

  it('refuses Add on an existing file, Update/Delete on a missing one, and directories', async () => {
    const fs = new MemoryFs({ '/workspace/here.txt': 'x\n', '/workspace/dir/f': 'f' });
    expect((await applyError(fs, wrap('*** Add File: here.txt', '+y'))).message).toContain('Cannot add "here.txt": the file already exists');
    expect((await applyError(fs, wrap('*** Update File: nope.txt', '@@', '-a', '+b'))).message).toContain('Cannot update "nope.txt": no such file');
    expect((await applyError(fs, wrap('*** Delete File: nope.txt'))).message).toContain('Cannot delete "nope.txt": no such file');
    expect((await applyError(fs, wrap('*** Delete File: dir'))).message).toContain('is a directory');
    expect((await applyError(fs, wrap('*** Add File: here.txt/sub', '+y'))).message).toContain('is a file, not a directory');
    expect(fs.log).toEqual([]);
  });

  it('names the file and shows the expected lines when context is not found', async () => {
    const fs = new MemoryFs({ '/workspace/src/main.ts': 'console.log(1);\n' });
    const err = await applyError(fs, wrap('*** Update File: src/main.ts', '@@', '-console.log(2);', '+console.log(3);'));
    expect(err.message).toContain('src/main.ts');
    expect(err.message).toContain('  | console.log(2);');
  });

  it('is atomic: a 2-file patch whose second op fails changes nothing', async () => {
    const fs = new MemoryFs({ '/workspace/a.txt': 'a\n', '/workspace/b.txt': 'b\n' });
    const before = fs.snapshot();
    await applyError(fs, wrap('*** Update File: a.txt', '@@', '-a', '+A', '*** Update File: b.txt', '@@', '-nope', '+B'));
    await applyError(fs, wrap('*** Add File: c.txt', '+c', '*** Delete File: missing.txt'));
    expect(fs.snapshot()).toEqual(before);
    expect(fs.log).toEqual([]);
  });

  it('restores already-written files when a write fails', async () => {
    const fs = new MemoryFs({ '/workspace/a.txt': 'a\n', '/workspace/gone.txt': 'g\n' });
    fs.failWritesTo.add('/workspace/b.txt');
    const before = fs.snapshot();
    const err = await applyError(fs, wrap('*** Delete File: gone.txt', '*** Update File: a.txt', '@@', '-a', '+A', '*** Add File: b.txt', '+b'));
    expect(err.message).toContain('Failed to write /workspace/b.txt');
    expect(err.message).toContain('restored');
    expect(fs.snapshot()).toEqual(before);
  });
});

interface Harness {
  ctx: ToolContext;
  fs: MemoryFs;
  approvals: Omit<ApprovalRequest, 'id' | 'call_id'>[];
}

function harness(
  options: { policy?: ApprovalPolicy; mode?: SandboxMode; decision?: ApprovalDecision; files?: Record<string, string> } = {},
): Harness {
  const fs = new MemoryFs(options.files ?? { '/workspace/a.txt': 'a\n' });
  const approvals: Harness['approvals'] = [];
  const ctx: ToolContext = {
    sandbox: {
      fs,
      exec: {
        spawn: () => {
          throw new Error('not used');
        },
      },
      describe: () => ({ kind: 'node', shell: 'bash', root: ROOT, notes: '' }),
    },
    cwd: ROOT,
    approvalPolicy: options.policy ?? 'on-request',
    sandboxMode: options.mode ?? 'workspace-write',
    callId: 'call_1',
    signal: new AbortController().signal,
    clock: systemClock,
    processes: new ProcessManager(),
    requestApproval: async (request) => {
      approvals.push(request);
      return options.decision ?? 'approve';
    },
    emit: () => {},
  };
  return { ctx, fs, approvals };
}

const PATCH = wrap('*** Update File: a.txt', '@@', '-a', '+b');
const OK = 'Success. Updated the following files:\nM a.txt\n';

describe('applyPatchTool', () => {
  it('has the custom and the function spec', () => {
    const custom = applyPatchTool.spec({ customTools: true, reasoning: true, compact: true });
    expect(custom).toMatchObject({ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark' } });
    const fn = applyPatchTool.spec({ customTools: false, reasoning: false, compact: false });
    expect(fn).toMatchObject({
      type: 'function',
      name: 'apply_patch',
      strict: false,
      parameters: { type: 'object', required: ['input'], additionalProperties: false, properties: { input: { type: 'string' } } },
    });
    expect(fn.description).toContain('*** Begin Patch');
    expect(fn.description).toContain('*** Move to:');
    expect(JSON.stringify(applyPatchTool.spec({ customTools: true, reasoning: true, compact: true }))).toBe(JSON.stringify(custom));
    expect(applyPatchTool.parallelSafe).toBe(false);
  });

  it('applies a raw patch (custom tool form)', async () => {
    const h = harness();
    expect(await applyPatchTool.run(PATCH, h.ctx)).toEqual({ output: OK, success: true });
    expect(h.fs.files.get('/workspace/a.txt')).toBe('b\n');
    expect(h.approvals).toEqual([]);
  });

  it('applies the function form {"input": …} and heredoc-wrapped input', async () => {
    const h = harness();
    expect(await applyPatchTool.run(JSON.stringify({ input: PATCH }), h.ctx)).toEqual({ output: OK, success: true });
    const h2 = harness();
    expect((await applyPatchTool.run(`apply_patch <<'EOF'\n${PATCH}\nEOF\n`, h2.ctx)).success).toBe(true);
  });

  it('extractPatchText explains malformed JSON input', () => {
    expect(extractPatchText('{"input": 3}')).toEqual({ error: expect.stringContaining('{"input": "<patch text>"}') });
    expect(extractPatchText('{oops')).toEqual({ error: expect.stringContaining('does not parse') });
  });

  it('returns parse and apply errors as failed outputs without throwing', async () => {
    const h = harness();
    const bad = await applyPatchTool.run('not a patch', h.ctx);
    expect(bad.success).toBe(false);
    expect(bad.output).toMatch(/^apply_patch verification failed: Invalid patch at line 1:/);
    const missing = await applyPatchTool.run(wrap('*** Update File: zzz', '@@', '-a', '+b'), h.ctx);
    expect(missing).toEqual({ output: expect.stringContaining('no such file'), success: false });
  });

  it('asks for approval under the untrusted policy; approve applies, deny changes nothing', async () => {
    const yes = harness({ policy: 'untrusted', decision: 'approve' });
    expect((await applyPatchTool.run(PATCH, yes.ctx)).success).toBe(true);
    expect(yes.approvals).toEqual([{ kind: 'patch', subject: PATCH, cwd: ROOT, reason: expect.any(String) }]);

    const no = harness({ policy: 'untrusted', decision: 'deny' });
    expect(await applyPatchTool.run(PATCH, no.ctx)).toEqual({ output: 'patch rejected by user', success: false });
    expect(no.fs.files.get('/workspace/a.txt')).toBe('a\n');
  });

  it('asks in a read-only sandbox unless the policy is never, which refuses', async () => {
    const ask = harness({ mode: 'read-only', decision: 'approve_for_session' });
    expect((await applyPatchTool.run(PATCH, ask.ctx)).success).toBe(true);
    expect(ask.approvals[0]?.reason).toContain('read-only');

    const never = harness({ mode: 'read-only', policy: 'never' });
    const result = await applyPatchTool.run(PATCH, never.ctx);
    expect(result.success).toBe(false);
    expect(result.output).toContain('read-only');
    expect(never.approvals).toEqual([]);
    expect(never.fs.log).toEqual([]);
  });

  it('does not ask about a patch that cannot apply', async () => {
    const h = harness({ policy: 'untrusted' });
    const result = await applyPatchTool.run(wrap('*** Delete File: nope'), h.ctx);
    expect(result.success).toBe(false);
    expect(h.approvals).toEqual([]);
  });

  it('reports an aborted approval as aborted', async () => {
    const h = harness({ policy: 'untrusted' });
    h.ctx.requestApproval = async () => {
      const err = new Error('aborted');
      err.name = 'AbortError';
      throw err;
    };
    expect(await applyPatchTool.run(PATCH, h.ctx)).toEqual({ output: 'aborted by user', success: false });
    expect(h.fs.files.get('/workspace/a.txt')).toBe('a\n');
  });
});

describe('a workspace below the top level', () => {
  it('adds a file without looking at folders above the workspace, which the sandbox refuses', async () => {
    const { createEmbeddedSandbox } = await import('../../../src/sandbox/embedded');
    const sandbox = createEmbeddedSandbox({ root: '/home/workspace' });
    await expect(sandbox.fs.stat('/home')).rejects.toThrow(/outside the workspace/);
    const patch = wrap('*** Add File: src/settings.js', '+export const a = 1;');
    const result = await applyPatch(parsePatch(patch), sandbox.fs, { cwd: '/home/workspace', root: '/home/workspace' });
    expect(result.summary).toContain('A src/settings.js');
    expect(await sandbox.fs.readFile('/home/workspace/src/settings.js')).toBe('export const a = 1;\n');
  });
});
