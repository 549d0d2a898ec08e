/** applyPatch over a SandboxFs: adds, updates, deletes and moves, paths, refusals and atomicity. */
import { describe, expect, it } from 'vitest';
import { applyPatch, resolveWorkspacePath } from '../../../src/core/tools/apply-patch/apply';
import { parsePatch } from '../../../src/core/tools/apply-patch/parse';
import { apply, applyError, wrap } from '../../support/apply-patch-fixtures';
import { MemoryFs } from '../../support/memory-fs';

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
