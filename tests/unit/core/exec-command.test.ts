import { describe, expect, it } from 'vitest';
import { Bash } from 'just-bash';
import { execCommandTool, extractApplyPatch, EXEC_REJECTED } from '../../../src/core/tools/exec-command';
import { writeStdinTool } from '../../../src/core/tools/write-stdin';
import { ProcessManager } from '../../../src/core/tools/process-manager';
import { createJustBashPort } from '../../../src/sandbox/just-bash-port';
import type { ApprovalDecision } from '../../../src/core/events';
import type { ApprovalPolicy, SandboxMode } from '../../../src/core/config';
import { FakeExec, FakeProcess, InstantClock, fakeSandbox, makeContext, type ContextOptions } from '../../support/fake-process';

const CAPS = { customTools: true, reasoning: true, compact: true };

function bashSandbox(files: Record<string, string> = {}) {
  const bash = new Bash({ files: { '/workspace/README.md': '# hi\n', ...files }, cwd: '/workspace' });
  return createJustBashPort({ bash, root: '/workspace' });
}

const call = (args: Record<string, unknown>) => JSON.stringify(args);

const HEADER = /^Chunk ID: [0-9a-f]{6}\nWall time: \d+\.\d{4} seconds\n/;

describe('exec_command spec', () => {
  it('is a non-strict function with closed parameters', () => {
    const spec = execCommandTool.spec(CAPS);
    expect(execCommandTool.name).toBe('exec_command');
    expect(execCommandTool.parallelSafe).toBe(true);
    expect(spec).toMatchObject({ type: 'function', name: 'exec_command', strict: false });
    if (spec.type !== 'function') throw new Error('expected a function tool');
    const params = spec.parameters as {
      properties: Record<string, { description?: string; enum?: string[] }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(params.required).toEqual(['cmd']);
    expect(params.additionalProperties).toBe(false);
    expect(Object.keys(params.properties)).toEqual([
      'cmd',
      'workdir',
      'yield_time_ms',
      'max_output_tokens',
      'tty',
      'login',
      'shell',
      'sandbox_permissions',
      'justification',
    ]);
    expect(params.properties.sandbox_permissions?.enum).toEqual(['use_default', 'require_escalated']);
    for (const p of Object.values(params.properties)) expect(p.description).toBeTruthy();
    expect(execCommandTool.spec(CAPS)).toEqual(spec);
  });
});

describe('exec_command with just-bash', () => {
  it('formats a finished command and streams its output', async () => {
    const t = makeContext({ sandbox: bashSandbox() });
    const r = await execCommandTool.run(call({ cmd: 'echo hello' }), t.ctx);
    expect(r).toMatchObject({ success: true, exitCode: 0 });
    expect(r.output).toMatch(HEADER);
    expect(r.output.replace(HEADER, '')).toBe('Process exited with code 0\nOriginal token count: 2\nOutput:\nhello\n');
    expect(t.deltas()).toBe('hello\n');
    expect(t.ctx.processes.ids()).toEqual([]);
  });

  it('treats a non-zero exit as a normal result and merges stderr after stdout', async () => {
    const t = makeContext({ sandbox: bashSandbox() });
    const r = await execCommandTool.run(call({ cmd: 'echo oops >&2; echo out; exit 3' }), t.ctx);
    expect(r).toMatchObject({ success: true, exitCode: 3 });
    expect(r.output).toContain('Process exited with code 3\nOriginal token count: 3\nOutput:\nout\noops\n');
  });

  it('runs in workdir, relative or absolute, and refuses to leave the workspace', async () => {
    const sandbox = bashSandbox({ '/workspace/pkg/sub/f.txt': 'f' });
    const t = makeContext({ sandbox, cwd: '/workspace/pkg' });
    expect((await execCommandTool.run(call({ cmd: 'pwd', workdir: 'sub' }), t.ctx)).output).toMatch(/\/workspace\/pkg\/sub\n$/);
    expect((await execCommandTool.run(call({ cmd: 'pwd', workdir: '/workspace' }), t.ctx)).output).toMatch(/Output:\n\/workspace\n$/);
    expect((await execCommandTool.run(call({ cmd: 'pwd', workdir: 'sub/../..' }), t.ctx)).output).toMatch(/Output:\n\/workspace\n$/);
    for (const workdir of ['../..', '/etc', '/workspace/../tmp', '/workspacex']) {
      const r = await execCommandTool.run(call({ cmd: 'ls', workdir }), t.ctx);
      expect(r.success, workdir).toBe(false);
      expect(r.output, workdir).toMatch(/is outside the workspace \(\/workspace\)/);
    }
  });

  it('yields a slow command as a session, and write_stdin collects the rest', async () => {
    const t = makeContext({ sandbox: bashSandbox() });
    const first = await execCommandTool.run(call({ cmd: 'sleep 2; echo done', yield_time_ms: 250 }), t.ctx);
    expect(first.success).toBe(true);
    expect(first.exitCode).toBeUndefined();
    const id = Number(/Process running with session ID (\d+)/.exec(first.output)?.[1]);
    expect(t.ctx.processes.ids()).toEqual([id]);
    expect(first.output).toMatch(/Output:\n$/);

    const poll = await writeStdinTool.run(call({ session_id: id, yield_time_ms: 5000 }), t.ctx);
    expect(poll).toMatchObject({ success: true, exitCode: 0 });
    expect(poll.output).toContain('Process exited with code 0\nOriginal token count: 2\nOutput:\ndone\n');
    expect(t.ctx.processes.ids()).toEqual([]);
  });

  it('truncates long output to head and tail with the original token count', async () => {
    const t = makeContext({ sandbox: bashSandbox() });
    const r = await execCommandTool.run(call({ cmd: 'seq 1 5000', max_output_tokens: 50 }), t.ctx);
    const full = Array.from({ length: 5000 }, (_, i) => `${i + 1}\n`).join('');
    expect(r.output).toContain(`Original token count: ${Math.ceil(full.length / 4)}\nOutput:\nTotal output lines: 5000\n\n1\n2\n3\n`);
    expect(r.output).toMatch(/\d…\d+ tokens truncated…\d/);
    expect(r.output.endsWith('4999\n5000\n')).toBe(true);
    expect(t.deltas()).toBe(full); // the UI sees everything
  });

  it('unified_exec_formats_large_output_summary: the header, the line count, head and tail around an inline marker', async () => {
    const t = makeContext({ sandbox: bashSandbox(), processes: new ProcessManager({ chunkIds: () => 'c0ffee' }) });
    const r = await execCommandTool.run(call({ cmd: "seq 1 4000 | sed 's/.*/token token /'" }), t.ctx);
    const total = 'token token \n'.length * 4000;
    expect(r.output).toMatch(
      new RegExp(
        `^Chunk ID: c0ffee\nWall time: \\d+\\.\\d{4} seconds\nProcess exited with code 0\nOriginal token count: ${total / 4}\nOutput:\n` +
          'Total output lines: 4000\n\n(token token \n){5,}.*…\\d+ tokens truncated….*(token token \n){5,}$',
        's',
      ),
    );
  });

  it('caps max_output_tokens at 10 000 tokens, the default', async () => {
    const t = makeContext({ sandbox: bashSandbox() });
    const big = async (args: Record<string, unknown>) => (await execCommandTool.run(call({ cmd: 'seq 1 20000', ...args }), t.ctx)).output;
    const kept = (output: string) => {
      const body = output.slice(output.indexOf('\n\n') + 2);
      return new TextEncoder().encode(body.replace(/…\d+ tokens truncated…/, '')).length;
    };
    const capped = await big({ max_output_tokens: 50_000 });
    expect(capped).toContain('Total output lines: 20000\n');
    expect(kept(capped)).toBe(40_000);
    expect(kept(await big({}))).toBe(40_000);
    expect(kept(await big({ max_output_tokens: 100 }))).toBe(400);
  });

  it('kills the command and reports "aborted by user" when the turn aborts', async () => {
    const controller = new AbortController();
    const t = makeContext({ sandbox: bashSandbox(), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const r = await execCommandTool.run(call({ cmd: 'sleep 5; echo never' }), t.ctx);
    expect(r).toEqual({ output: 'aborted by user', success: false });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(t.ctx.processes.ids()).toEqual([]);
  });
});

describe('exec_command with a fake process', () => {
  it('kills the fake process on abort', async () => {
    const exec = new FakeExec();
    const controller = new AbortController();
    const t = makeContext({ sandbox: fakeSandbox(exec), signal: controller.signal });
    const pending = execCommandTool.run(call({ cmd: 'serve' }), t.ctx);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(await pending).toEqual({ output: 'aborted by user', success: false });
    expect(exec.spawned[0]?.process.killed).toBe(true);
  });

  it('clamps yield_time_ms to 250–30000 (default 10000) and measures wall time on the clock', async () => {
    const clock = new InstantClock();
    const t = makeContext({ sandbox: fakeSandbox(new FakeExec()), clock });
    const r = await execCommandTool.run(call({ cmd: 'serve' }), t.ctx);
    expect(r.output).toMatch(
      /^Chunk ID: [0-9a-f]{6}\nWall time: 10\.0000 seconds\nProcess running with session ID 1000\nOriginal token count: 0\nOutput:\n$/,
    );
    await execCommandTool.run(call({ cmd: 'serve', yield_time_ms: 1 }), t.ctx);
    await execCommandTool.run(call({ cmd: 'serve', yield_time_ms: 10_000_000 }), t.ctx);
    expect(clock.sleeps).toEqual([10_000, 250, 30_000]);
    expect(t.ctx.processes.ids()).toEqual([1000, 1001, 1002]);
  });

  it('passes cwd and tty to spawn', async () => {
    const exec = new FakeExec(() => {
      const p = new FakeProcess();
      setTimeout(() => p.finish(0), 0);
      return p;
    });
    const t = makeContext({ sandbox: fakeSandbox(exec) });
    await execCommandTool.run(call({ cmd: 'top', tty: true, workdir: 'a' }), t.ctx);
    expect(exec.spawned[0]?.options).toEqual({ cwd: '/workspace/a', tty: true });
  });

  it('hands the model terminal output as plain text: no escape sequences, progress lines collapsed', async () => {
    const exec = new FakeExec(() => {
      const p = new FakeProcess();
      setTimeout(() => {
        p.emit('\x1b]0;npx\x07\x1b[32madded\x1b[0m 1 package\r\n[#  ] 33%\r[## ');
        p.emit('] 66%\r[###] 100%\r\n\x1b[?25hdone\n');
        p.finish(0);
      }, 0);
      return p;
    });
    const t = makeContext({ sandbox: fakeSandbox(exec) });
    const r = await execCommandTool.run(call({ cmd: 'npx create-thing' }), t.ctx);
    expect(r.output.replace(HEADER, '')).toBe('Process exited with code 0\nOriginal token count: 8\nOutput:\nadded 1 package\n[###] 100%\ndone\n');
    // What streams live to the transcript is the process's own output.
    expect(t.deltas()).toContain('\x1b[32madded');
  });

  it('reports a spawn that throws', async () => {
    const sandbox = fakeSandbox({
      spawn: () => {
        throw new Error('no shell today');
      },
    });
    const r = await execCommandTool.run(call({ cmd: 'ls' }), makeContext({ sandbox }).ctx);
    expect(r).toEqual({ output: 'exec_command: failed to start the command: no shell today', success: false });
  });

  it('answers malformed or wrong arguments with an error', async () => {
    const t = makeContext({ sandbox: fakeSandbox(new FakeExec()) });
    const bad = async (input: string) => execCommandTool.run(input, t.ctx);
    expect(await bad('{"cmd": "ls"')).toMatchObject({ success: false, output: expect.stringMatching(/^failed to parse function arguments/) });
    expect(await bad('[1]')).toMatchObject({ success: false });
    expect((await bad('{}')).output).toBe('exec_command: "cmd" must be a non-empty string');
    expect((await bad(call({ cmd: 'ls', yield_time_ms: 'soon' }))).output).toBe('exec_command: "yield_time_ms" must be a number');
    expect((await bad(call({ cmd: 'ls', tty: 'yes' }))).output).toBe('exec_command: "tty" must be a boolean');
    expect((await bad(call({ cmd: 'ls', sandbox_permissions: 'root' }))).success).toBe(false);
  });

  it('refuses apply_patch invocations, which the loop routes to the apply_patch tool', async () => {
    const exec = new FakeExec();
    const t = makeContext({ sandbox: fakeSandbox(exec) });
    const r = await execCommandTool.run(call({ cmd: "apply_patch <<'EOF'\n*** Begin Patch\n*** End Patch\nEOF" }), t.ctx);
    expect(r.success).toBe(false);
    expect(r.output).toMatch(/call the apply_patch tool/);
    expect(exec.spawned).toEqual([]);
  });
});

describe('exec_command approvals', () => {
  function setup(policy: ApprovalPolicy, mode: SandboxMode, answers: ApprovalDecision[] = []) {
    const exec = new FakeExec(() => {
      const p = new FakeProcess();
      setTimeout(() => p.finish(0), 0);
      return p;
    });
    const options: ContextOptions = { sandbox: fakeSandbox(exec), approvalPolicy: policy, sandboxMode: mode };
    if (answers.length > 0) options.decide = () => answers.shift() ?? 'deny';
    const t = makeContext(options);
    const run = (args: Record<string, unknown>) => execCommandTool.run(call(args), t.ctx);
    return { exec, t, run };
  }

  it('never: runs without asking, but refuses writes in a read-only sandbox', async () => {
    const w = setup('never', 'workspace-write');
    expect((await w.run({ cmd: 'rm -r build', sandbox_permissions: 'require_escalated' })).success).toBe(true);
    expect(w.t.approvals).toEqual([]);

    const ro = setup('never', 'read-only');
    const refused = await ro.run({ cmd: 'touch x' });
    expect(refused.success).toBe(false);
    expect(refused.output).toMatch(/^exec command refused: the sandbox is read-only/);
    expect((await ro.run({ cmd: 'ls -la' })).success).toBe(true);
    expect(ro.exec.spawned.map((s) => s.command)).toEqual(['ls -la']);
  });

  it('untrusted: known-safe commands run, others ask; deny gives the exact text', async () => {
    const s = setup('untrusted', 'workspace-write', ['approve', 'deny']);
    expect((await s.run({ cmd: 'git status && ls' })).success).toBe(true);
    expect(s.t.approvals).toEqual([]);
    expect((await s.run({ cmd: 'npm test' })).success).toBe(true);
    expect(s.t.approvals[0]).toMatchObject({ kind: 'exec', subject: 'npm test', cwd: '/workspace' });
    expect(s.t.approvals[0]?.reason).toMatch(/untrusted/);
    expect(await s.run({ cmd: 'rm -rf /', workdir: 'sub' })).toEqual({ output: EXEC_REJECTED, success: false });
    expect(EXEC_REJECTED).toBe('exec command rejected by user');
    expect(s.t.approvals[1]).toMatchObject({ subject: 'rm -rf /', cwd: '/workspace/sub' });
    expect(s.exec.spawned.map((x) => x.command)).toEqual(['git status && ls', 'npm test']);
  });

  it('approve_for_session is remembered for the same command only', async () => {
    const s = setup('untrusted', 'workspace-write', ['approve_for_session', 'approve']);
    await s.run({ cmd: 'make build' });
    await s.run({ cmd: 'make build' });
    await s.run({ cmd: 'make test' });
    expect(s.t.approvals.map((a) => a.subject)).toEqual(['make build', 'make test']);
    expect(s.t.ctx.processes.approvedForSession.has('make build')).toBe(true);
    expect(s.exec.spawned).toHaveLength(3);
  });

  it('on-request: asks for escalation with the justification, and for writes in read-only', async () => {
    const w = setup('on-request', 'workspace-write', ['approve']);
    expect((await w.run({ cmd: 'rm -r dist' })).success).toBe(true);
    expect(w.t.approvals).toEqual([]);
    await w.run({ cmd: 'curl example.com', sandbox_permissions: 'require_escalated', justification: 'Needs the network.' });
    expect(w.t.approvals).toEqual([{ kind: 'exec', subject: 'curl example.com', cwd: '/workspace', reason: 'Needs the network.' }]);

    const ro = setup('on-request', 'read-only', ['deny']);
    expect((await ro.run({ cmd: 'cat README.md' })).success).toBe(true);
    expect(await ro.run({ cmd: 'echo x > f' })).toEqual({ output: EXEC_REJECTED, success: false });
    expect(ro.t.approvals[0]?.reason).toMatch(/read-only/);
  });

  it('an abort while waiting for approval yields "aborted by user"', async () => {
    const controller = new AbortController();
    const exec = new FakeExec();
    const t = makeContext({
      sandbox: fakeSandbox(exec),
      approvalPolicy: 'untrusted',
      signal: controller.signal,
      decide: () =>
        new Promise((_resolve, reject) => {
          controller.abort();
          const err = new Error('aborted');
          err.name = 'AbortError';
          reject(err);
        }),
    });
    expect(await execCommandTool.run(call({ cmd: 'rm x' }), t.ctx)).toEqual({ output: 'aborted by user', success: false });
    expect(exec.spawned).toEqual([]);
  });
});

describe('extractApplyPatch', () => {
  const patch = '*** Begin Patch\n*** Add File: a.txt\n+  indented\n*** End Patch';

  it('reads quoted and unquoted here-docs', () => {
    expect(extractApplyPatch(`apply_patch <<'EOF'\n${patch}\nEOF\n`)).toBe(patch);
    expect(extractApplyPatch(`apply_patch <<"PATCH"\n${patch}\nPATCH`)).toBe(patch);
    expect(extractApplyPatch(`  apply_patch <<EOF\n${patch}\nEOF`)).toBe(patch);
    expect(extractApplyPatch(`applypatch <<'EOF'\n${patch}\nEOF`)).toBe(patch);
    expect(extractApplyPatch(`apply_patch <<'EOF'\n${patch}`)).toBe(patch); // no terminator
  });

  it('reads a single quoted argument', () => {
    expect(extractApplyPatch(`apply_patch '${patch}'`)).toBe(patch);
    expect(extractApplyPatch(`apply_patch "say \\"hi\\""`)).toBe('say "hi"');
  });

  it('ignores other commands', () => {
    expect(extractApplyPatch('ls')).toBeUndefined();
    expect(extractApplyPatch('apply_patcher x')).toBeUndefined();
    expect(extractApplyPatch('echo apply_patch')).toBeUndefined();
  });
});
