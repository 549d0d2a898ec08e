import { describe, expect, it } from 'vitest';
import { Bash } from 'just-bash';
import { execCommandTool } from '../../../src/core/tools/exec-command';
import { writeStdinTool } from '../../../src/core/tools/write-stdin';
import { MAX_BUFFER_BYTES, ProcessManager } from '../../../src/core/tools/process-manager';
import { formatExecOutput } from '../../../src/core/tools/format-output';
import { createJustBashPort, NO_STDIN_MESSAGE } from '../../../src/sandbox/just-bash-port';
import { systemClock } from '../../../src/core/ports';
import { FakeExec, FakeProcess, InstantClock, fakeSandbox, makeContext } from '../../support/fake-process';

const call = (args: Record<string, unknown>) => JSON.stringify(args);
const sessionOf = (output: string) => Number(/Process running with session ID (\d+)/.exec(output)?.[1]);
const outputOf = (text: string) => text.slice(text.indexOf('Output:\n') + 'Output:\n'.length);

/** Starts `cmd` on a fresh FakeProcess and returns it with its session id. */
async function startFake(options: ConstructorParameters<typeof FakeProcess>[0] = {}) {
  const process = new FakeProcess(options);
  const t = makeContext({ sandbox: fakeSandbox(new FakeExec(() => process)), clock: new InstantClock() });
  const r = await execCommandTool.run(call({ cmd: 'cat', yield_time_ms: 250 }), t.ctx);
  return { t, process, id: sessionOf(r.output), first: r };
}

describe('write_stdin', () => {
  it('has a closed, non-strict spec requiring session_id', () => {
    const spec = writeStdinTool.spec({ customTools: true, reasoning: true, compact: true });
    expect(spec).toMatchObject({ type: 'function', name: 'write_stdin', strict: false });
    if (spec.type !== 'function') throw new Error('expected a function tool');
    expect(spec.parameters).toMatchObject({ required: ['session_id'], additionalProperties: false });
    expect(Object.keys((spec.parameters as { properties: object }).properties)).toEqual([
      'session_id',
      'chars',
      'yield_time_ms',
      'max_output_tokens',
    ]);
  });

  it('polls a progress bar on a terminal as its last state, without escape sequences', async () => {
    const { t, process, id } = await startFake();
    process.emit('\x1b[2K\x1b[1G\x1b[36m⠋\x1b[39m fetching\x1b[2K\x1b[1G\x1b[36m⠙\x1b[39m fetching\r50%\r100%');
    const r = await writeStdinTool.run(call({ session_id: id }), t.ctx);
    expect(outputOf(r.output)).toBe('100%');
  });

  it('writes to a running process and returns only new output each time', async () => {
    const { t, process, id } = await startFake({ echo: true });
    expect(id).toBe(1000);
    const r1 = await writeStdinTool.run(call({ session_id: id, chars: 'hello\n' }), t.ctx);
    expect(process.written).toEqual(['hello\n']);
    expect(r1.success).toBe(true);
    expect(r1.output).toMatch(
      /^Chunk ID: [0-9a-f]{6}\nWall time: 0\.2500 seconds\nProcess running with session ID 1000\nOriginal token count: 2\nOutput:\nhello\n$/,
    );

    const r2 = await writeStdinTool.run(call({ session_id: id }), t.ctx);
    expect(outputOf(r2.output)).toBe('');

    process.emit('bye\n');
    process.finish(0);
    const r3 = await writeStdinTool.run(call({ session_id: id, chars: '' }), t.ctx);
    expect(r3).toMatchObject({ success: true, exitCode: 0 });
    expect(r3.output).toContain('Process exited with code 0\nOriginal token count: 1\nOutput:\nbye\n');
    expect(t.ctx.processes.ids()).toEqual([]);

    const gone = await writeStdinTool.run(call({ session_id: id }), t.ctx);
    expect(gone).toEqual({
      success: false,
      output: 'write_stdin: no session with ID 1000 (it may have exited and already reported its exit code). There are no running sessions.',
    });
  });

  it('collects output produced over time, streaming it as deltas of the polling call', async () => {
    const process = new FakeProcess();
    const t = makeContext({ sandbox: fakeSandbox(new FakeExec(() => process)) });
    process.emit('tick 1\n'); // before anyone listens: replayed to the manager
    setTimeout(() => process.emit('tick 2\n'), 50);
    const first = await execCommandTool.run(call({ cmd: 'watch', yield_time_ms: 250 }), t.ctx);
    const id = sessionOf(first.output);
    expect(outputOf(first.output)).toBe('tick 1\ntick 2\n');
    expect(t.deltas()).toBe('tick 1\ntick 2\n'); // a call's deltas add up to its output

    const poll = makeContext({ sandbox: t.ctx.sandbox, processes: t.ctx.processes, callId: 'call_2' });
    process.emit('tick 3\n'); // arrives between calls: part of the next poll
    void process.emitOverTime(['tick 4\n', 'tick 5\n'], 50).then(() => process.finish(0));
    const second = await writeStdinTool.run(call({ session_id: id, yield_time_ms: 5000 }), poll.ctx);
    expect(second).toMatchObject({ success: true, exitCode: 0 });
    expect(outputOf(second.output)).toBe('tick 3\ntick 4\ntick 5\n');
    expect(poll.deltas()).toBe('tick 3\ntick 4\ntick 5\n');
  });

  it('lists the live sessions when the id is unknown', async () => {
    const { t } = await startFake();
    const r = await writeStdinTool.run(call({ session_id: 42, chars: 'x' }), t.ctx);
    expect(r.success).toBe(false);
    expect(r.output).toMatch(/no session with ID 42 .*Running sessions: 1000\.$/);
  });

  it('reports a process that cannot take input (just-bash)', async () => {
    const bash = new Bash({ files: { '/workspace/.keep': '' }, cwd: '/workspace' });
    const t = makeContext({ sandbox: createJustBashPort({ bash, root: '/workspace' }) });
    const first = await execCommandTool.run(call({ cmd: 'sleep 1', yield_time_ms: 250 }), t.ctx);
    const r = await writeStdinTool.run(call({ session_id: sessionOf(first.output), chars: 'y\n' }), t.ctx);
    expect(r.success).toBe(false);
    expect(r.output).toContain(NO_STDIN_MESSAGE);
    expect(r.output).toContain('Call write_stdin with empty chars');
    t.ctx.processes.killAll();
  });

  it('an aborted poll says "aborted by user" and leaves the process running', async () => {
    const { t, process, id } = await startFake();
    const controller = new AbortController();
    const poll = makeContext({ sandbox: t.ctx.sandbox, processes: t.ctx.processes, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const r = await writeStdinTool.run(call({ session_id: id, yield_time_ms: 5000 }), poll.ctx);
    expect(r).toEqual({ output: 'aborted by user', success: false });
    expect(process.killed).toBe(false);
    expect(t.ctx.processes.ids()).toEqual([id]);
  });

  it('answers malformed arguments with an error', async () => {
    const { t } = await startFake();
    expect((await writeStdinTool.run('{"session_id":', t.ctx)).output).toMatch(/^failed to parse function arguments/);
    expect((await writeStdinTool.run(call({}), t.ctx)).output).toBe('write_stdin: "session_id" is required');
    expect((await writeStdinTool.run(call({ session_id: 'x' }), t.ctx)).output).toBe('write_stdin: "session_id" must be a number');
    expect((await writeStdinTool.run(call({ session_id: 1000, chars: 5 }), t.ctx)).output).toBe('write_stdin: "chars" must be a string');
  });

  it('waits 250–30000 ms after a write (default 250), as Codex clamps it', async () => {
    const { t, id } = await startFake();
    const clock = t.ctx.clock as InstantClock;
    await writeStdinTool.run(call({ session_id: id, chars: 'a' }), t.ctx);
    await writeStdinTool.run(call({ session_id: id, chars: 'a', yield_time_ms: 0 }), t.ctx);
    await writeStdinTool.run(call({ session_id: id, chars: 'a', yield_time_ms: 999_999 }), t.ctx);
    expect(clock.sleeps).toEqual([250, 250, 250, 30_000]);
  });

  it('an empty poll waits 5000–300000 ms (default 5000), as Codex clamps it', async () => {
    const { t, id } = await startFake();
    const clock = t.ctx.clock as InstantClock;
    await writeStdinTool.run(call({ session_id: id }), t.ctx);
    await writeStdinTool.run(call({ session_id: id, chars: '', yield_time_ms: 250 }), t.ctx);
    await writeStdinTool.run(call({ session_id: id, yield_time_ms: 60_000 }), t.ctx);
    await writeStdinTool.run(call({ session_id: id, yield_time_ms: 999_999 }), t.ctx);
    expect(clock.sleeps).toEqual([250, 5_000, 5_000, 60_000, 300_000]);
    const r = await writeStdinTool.run(call({ session_id: id }), t.ctx);
    expect(r.output).toMatch(/^Chunk ID: [0-9a-f]{6}\nWall time: 5\.0000 seconds\nProcess running with session ID 1000\n/);
  });

  it('an empty poll still returns as soon as the process exits', async () => {
    const { t, process, id } = await startFake();
    const poll = makeContext({ sandbox: t.ctx.sandbox, processes: t.ctx.processes });
    setTimeout(() => {
      process.emit('ready\n');
      process.finish(0);
    }, 30);
    const started = Date.now();
    const r = await writeStdinTool.run(call({ session_id: id }), poll.ctx);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r).toMatchObject({ success: true, exitCode: 0 });
    expect(outputOf(r.output)).toBe('ready\n');
  });

  it('an empty poll returns at once when the turn is interrupted', async () => {
    const { t, process, id } = await startFake();
    const controller = new AbortController();
    const poll = makeContext({ sandbox: t.ctx.sandbox, processes: t.ctx.processes, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    const r = await writeStdinTool.run(call({ session_id: id }), poll.ctx);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r).toEqual({ output: 'aborted by user', success: false });
    expect(process.killed).toBe(false);
  });

  it('caps max_output_tokens at 10 000 tokens', async () => {
    const { t, process, id } = await startFake();
    process.emit('y'.repeat(100_000));
    const r = await writeStdinTool.run(call({ session_id: id, chars: 'a', max_output_tokens: 1_000_000 }), t.ctx);
    expect(r.output).toContain('Original token count: 25000\nOutput:\nTotal output lines: 1\n\n');
    expect(r.output).toContain(`${'y'.repeat(20_000)}…15000 tokens truncated…${'y'.repeat(20_000)}`);
  });
});

describe('ProcessManager', () => {
  it('caps buffered output at 1 MiB, keeping head and tail, and reports what was dropped', async () => {
    const manager = new ProcessManager();
    const process = new FakeProcess();
    const id = manager.start(process, { command: 'spam', cwd: '/' });
    const line = 'x'.repeat(1023) + '\n';
    process.emit('FIRST\n');
    for (let i = 0; i < 3 * 1024; i++) process.emit(line);
    process.emit('LAST\n');
    process.finish(0);
    const r = await manager.collect(id, { yieldMs: 1000, clock: systemClock });
    const total = 6 + 3 * 1024 * 1024 + 5;
    expect(r.output.length).toBe(MAX_BUFFER_BYTES);
    expect(r.droppedBytes).toBe(total - MAX_BUFFER_BYTES);
    expect(r.output.startsWith('FIRST\n')).toBe(true);
    expect(r.output.endsWith('\nLAST\n')).toBe(true);
    expect(r).toMatchObject({ exited: true, exitCode: 0 });

    expect(r.droppedNewlines + r.output.split('\n').length - 1).toBe(3 * 1024 + 2);
    const text = formatExecOutput({ wallTimeMs: 0, exitCode: 0, ...r, maxOutputTokens: 100 });
    expect(text).toContain(`Original token count: ${Math.ceil(total / 4)}\nOutput:\nTotal output lines: ${3 * 1024 + 2}\n\nFIRST\n`);
    expect(text).toContain(`…${Math.ceil((total - 400) / 4)} tokens truncated…`);
  });

  it('keeps multi-byte characters whole when the buffer overflows', async () => {
    const manager = new ProcessManager({ maxBufferBytes: 16 });
    const process = new FakeProcess();
    const id = manager.start(process, { command: 'x', cwd: '/' });
    process.emit('ééééé'); // 10 bytes: head takes 4 (8 bytes)
    process.emit('😀😀😀'); // tail keeps the newest 8 bytes
    const r = await manager.collect(id, { yieldMs: 0, clock: systemClock });
    expect(r.output).toBe('éééé😀😀');
    expect(r.droppedBytes).toBe(2 + 4);
    expect(r.droppedNewlines).toBe(0);
  });

  it('evicts the oldest exited session first, then the least recently used running one', async () => {
    const manager = new ProcessManager({ maxSessions: 2, firstId: 1 });
    const a = new FakeProcess();
    const b = new FakeProcess();
    const c = new FakeProcess();
    expect(manager.start(a, { command: 'a', cwd: '/' })).toBe(1);
    expect(manager.start(b, { command: 'b', cwd: '/' })).toBe(2);
    b.finish(0);
    await b.exit;
    expect(manager.start(c, { command: 'c', cwd: '/' })).toBe(3);
    expect(manager.ids()).toEqual([1, 3]);
    await manager.collect(1, { yieldMs: 0, clock: systemClock }); // 1 is now more recent than 3
    manager.start(new FakeProcess(), { command: 'd', cwd: '/' });
    expect(manager.ids()).toEqual([1, 4]);
    expect(c.killed).toBe(true);
    expect(a.killed).toBe(false);
  });

  it('kill and killAll stop running processes and forget them', async () => {
    const manager = new ProcessManager();
    const a = new FakeProcess();
    const b = new FakeProcess();
    const idA = manager.start(a, { command: 'a', cwd: '/' });
    manager.start(b, { command: 'b', cwd: '/' });
    expect(manager.get(idA)).toMatchObject({ id: idA, exited: false, meta: { command: 'a' } });
    expect(manager.kill(idA)).toBe(true);
    expect(a.killed).toBe(true);
    expect(manager.get(idA)).toBeUndefined();
    manager.killAll();
    expect(b.killed).toBe(true);
    expect(manager.ids()).toEqual([]);
    await expect(manager.collect(idA, { yieldMs: 0, clock: systemClock })).rejects.toThrow(/no session/);
  });

  it('turns a rejected exit into exit code 1 with the error in the output', async () => {
    const manager = new ProcessManager();
    const broken = new FakeProcess();
    Object.defineProperty(broken, 'exit', { value: Promise.reject(new Error('transport lost')) });
    const id = manager.start(broken, { command: 'x', cwd: '/' });
    const r = await manager.collect(id, { yieldMs: 1000, clock: systemClock });
    expect(r).toMatchObject({ exited: true, exitCode: 1, output: 'transport lost\n' });
  });
});
