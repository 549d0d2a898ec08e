/**
 * `node` in a worker: the same protocol the browser's Worker speaks, run here on a real
 * worker_threads thread (thread-runner.ts), so a spinning script is stopped at once by an abort,
 * a command timeout or Ctrl-C, and never needs a computing limit.
 */
import { createCommandContext, InMemoryFs } from 'just-bash';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeCommand } from '../../../src/sandbox/embedded/node-command';
import { inlineRunner } from '../../../src/sandbox/embedded/node/runner';
import { sharedThreadRunner } from '../../../src/sandbox/embedded/node/thread-runner';
import { FALLBACK_CPU_LIMIT_MS, workerRunner, type WorkerLike } from '../../../src/sandbox/embedded/node/worker-runner';
import { collectRun } from '../../../src/sandbox/embedded/run';
import { createNodeSandbox } from '../../../src/sandbox/node-bash';

const SPIN = "const fs = require('fs'); fs.writeFileSync('/before.txt', 'written'); console.log('spinning'); for (;;) {}";

function contextWith(signal: AbortSignal) {
  const fs = new InMemoryFs();
  return { fs, ctx: createCommandContext({ fs, cwd: '/', signal }) };
}

describe('embedded node in a worker thread', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('an abort stops a script that never yields; output and writes made before it are kept', async () => {
    const command = createNodeCommand({ runner: sharedThreadRunner() });
    const controller = new AbortController();
    const { fs, ctx } = contextWith(controller.signal);
    const pending = command.execute(['-e', SPIN], ctx);
    // This thread stays free while the script spins: it sees the write arrive, then aborts.
    while (!(await fs.exists('/before.txt'))) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    expect(await pending).toEqual({ stdout: 'spinning\n', stderr: 'node: interrupted\n', exitCode: 130 });
    expect(await fs.readFile('/before.txt')).toBe('written');
    // The terminated thread is replaced: the next run works.
    const next = await command.execute(['-p', '6 * 7'], contextWith(new AbortController().signal).ctx);
    expect(next).toEqual({ stdout: '42\n', stderr: '', exitCode: 0 });
  });

  it('a command timeout stops a computing script in the CLI sandbox at once (no computing limit needed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unroll-node-worker-'));
    dirs.push(dir);
    const sandbox = createNodeSandbox(dir);
    // Computes for 2 s, then writes: stopped at 0.5 s, it must never write.
    const script = "const t = Date.now(); while (Date.now() - t < 2000) {} require('fs').writeFileSync('late.txt', 'x');\n";
    await sandbox.fs.writeFile('/workspace/busy.js', script);
    const result = await collectRun(sandbox.exec.spawn('node busy.js', { cwd: '/workspace' }), { timeoutMs: 500 });
    expect(result).toMatchObject({ exitCode: 124, timedOut: true });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await sandbox.fs.stat('/workspace/late.txt')).toBeNull();
    expect((await collectRun(sandbox.exec.spawn('node -p "1 + 1"', { cwd: '/workspace' }))).output).toBe('2\n');
  });

  it('runs at once each get a thread', async () => {
    const command = createNodeCommand({ runner: sharedThreadRunner() });
    const run = (code: string) => command.execute(['-e', code], contextWith(new AbortController().signal).ctx);
    const [a, b] = await Promise.all([run("setTimeout(() => console.log('a'), 200)"), run("console.log('b')")]);
    expect([a.stdout, b.stdout]).toEqual(['a\n', 'b\n']);
  });
});

describe('a worker that cannot start', () => {
  /** An explicit stand-in for a Worker whose script was blocked (as a CSP or a missing file does). */
  function blockedWorker(): WorkerLike {
    const worker: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage: () => queueMicrotask(() => worker.onerror?.({ message: 'blocked by policy' })),
      terminate: () => {},
    };
    return worker;
  }

  it('falls back to this thread, with a computing limit', async () => {
    const seen: (number | undefined)[] = [];
    const inline = inlineRunner();
    const spy = {
      interruptible: false,
      run: (request: Parameters<typeof inline.run>[0], io: Parameters<typeof inline.run>[1], signal?: AbortSignal) => (
        seen.push(request.cpuLimitMs),
        inline.run(request, io, signal)
      ),
    };
    const command = createNodeCommand({ runner: workerRunner(blockedWorker, spy) });
    const r = await command.execute(['-p', "'still ' + 'works'"], contextWith(new AbortController().signal).ctx);
    expect(r).toEqual({ stdout: 'still works\n', stderr: '', exitCode: 0 });
    expect(seen).toEqual([FALLBACK_CPU_LIMIT_MS]);
  });

  it('without a fallback says the worker failed', async () => {
    const command = createNodeCommand({ runner: workerRunner(blockedWorker) });
    const r = await command.execute(['-p', '1'], contextWith(new AbortController().signal).ctx);
    expect(r).toEqual({ stdout: '', stderr: 'node: the worker failed: blocked by policy\n', exitCode: 1 });
  });
});
