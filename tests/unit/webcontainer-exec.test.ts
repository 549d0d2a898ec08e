import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../src/sandbox/webcontainer';
import { KILLED_EXIT_CODE, commandLine, shellQuote } from '../../src/sandbox/webcontainer/wc-exec';
import { FakeWebContainer, ISOLATED, fakeBoot, until, type FakeWcProcess } from './webcontainer-fake';

const ROOT = '/home/workspace';

async function setup(onSpawn?: (proc: FakeWcProcess) => void): Promise<{ sb: Sandbox; wc: FakeWebContainer }> {
  const wc = new FakeWebContainer(ROOT);
  if (onSpawn) wc.onSpawn = onSpawn;
  const sb = createWebContainerSandbox({}, { boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
  await sb.boot();
  return { sb, wc };
}

describe('spawning commands', () => {
  it('runs jsh -c with a workdir-relative cwd and the default PATH next to a custom env', async () => {
    const { sb, wc } = await setup();
    wc.fs.dir('app');
    await sb.exec.spawn('npm test', { cwd: `${ROOT}/app`, env: { CI: '1' } }).exit;
    await sb.exec.spawn('ls', { cwd: ROOT }).exit;
    const [first, second] = wc.spawned;
    expect(first?.command).toBe('jsh');
    expect(first?.args).toEqual(['-c', 'npm test']);
    expect(first?.options).toEqual({ cwd: 'app', output: true, env: { CI: '1', PATH: wc.path } });
    expect(second?.options).toEqual({ cwd: '.', output: true });
  });

  it('streams cleaned output with replay, and exits with the process code', async () => {
    const { sb } = await setup((proc) => {
      proc.print('\x1b]0;title\x07hello\r');
      proc.print('\nerr\x1b]654;exit=7:3\x07\r\n');
      proc.end(3);
    });
    const proc = sb.exec.spawn('x', { cwd: ROOT });
    const live: string[] = [];
    proc.onOutput((c) => live.push(c));
    expect(await proc.exit).toBe(3);
    const late: string[] = [];
    proc.onOutput((c) => late.push(c));
    expect(live.join('')).toBe('hello\nerr\n');
    expect(late.join('')).toBe('hello\nerr\n');
  });

  it('gives a tty command its raw terminal output and a terminal size', async () => {
    const { sb, wc } = await setup((proc) => {
      proc.print('\x1b[32mok\x1b[0m\r\n');
      proc.end(0);
    });
    const proc = sb.exec.spawn('x', { cwd: ROOT, tty: true });
    let out = '';
    proc.onOutput((c) => (out += c));
    await proc.exit;
    expect(out).toBe('\x1b[32mok\x1b[0m\r\n');
    expect(wc.spawned[0]?.options?.terminal).toEqual({ cols: 120, rows: 40 });
  });

  it('types into the running process and refuses input after it exits', async () => {
    let running: FakeWcProcess | undefined;
    const { sb } = await setup((proc) => {
      running = proc;
    });
    const proc = sb.exec.spawn('cat', { cwd: ROOT });
    await proc.write('hello\n');
    await proc.write('again\n');
    expect(running?.written).toEqual(['hello\n', 'again\n']);
    running?.end(0);
    await proc.exit;
    await expect(proc.write('late')).rejects.toThrow(/exited/);
  });

  it('kill reports 130 at once and kills the runtime process', async () => {
    let running: FakeWcProcess | undefined;
    const { sb } = await setup((proc) => {
      running = proc;
      proc.print('serving on :3000\n');
    });
    const proc = sb.exec.spawn('npm run dev', { cwd: ROOT });
    let out = '';
    proc.onOutput((c) => (out += c));
    await until(() => out.includes('serving'), 'the server output');
    proc.kill();
    expect(await proc.exit).toBe(KILLED_EXIT_CODE);
    await until(() => running?.killed === true, 'the runtime kill');
  });

  it('kill before the process even started still ends it', async () => {
    const { sb, wc } = await setup(() => undefined);
    const proc = sb.exec.spawn('sleep 100', { cwd: ROOT });
    proc.kill();
    expect(await proc.exit).toBe(KILLED_EXIT_CODE);
    await until(() => wc.spawned[0]?.killed === true, 'the runtime kill');
  });

  it('feeds the stdin option through a pipe and then takes no more input', async () => {
    const { sb, wc } = await setup();
    const proc = sb.exec.spawn('wc -l', { cwd: ROOT, stdin: 'a\nb\n' });
    await expect(proc.write('more')).rejects.toThrow(/up front/);
    await proc.exit;
    expect(wc.spawned[0]?.args).toEqual(['-c', commandLine('wc -l', 'a\nb\n')]);
    expect(wc.spawned[0]?.args[1]).toMatch(/^node -e '.*' \| jsh -c 'wc -l'$/);
  });

  it('reports a missing or outside working directory as the command failing', async () => {
    const { sb, wc } = await setup();
    const missing = await sb.exec.run('ls', { cwd: `${ROOT}/nope` });
    expect(missing).toEqual({ output: `cannot run the command: working directory ${ROOT}/nope does not exist\n`, exitCode: 1, timedOut: false });
    const outside = await sb.exec.run('ls', { cwd: '/etc' });
    expect(outside.exitCode).toBe(1);
    expect(outside.output).toMatch(/outside the workspace/);
    expect(wc.spawned).toHaveLength(0);
  });
});

describe('run', () => {
  it('collects the output and exit code; the cwd defaults to the workspace', async () => {
    const { sb, wc } = await setup((proc) => {
      proc.print('out\r\n');
      proc.end(2);
    });
    expect(await sb.exec.run('false')).toEqual({ output: 'out\n', exitCode: 2, timedOut: false });
    expect(wc.spawned[0]?.options?.cwd).toBe('.');
  });

  it('kills a command that outlives its timeout: exit 124, timedOut, output so far', async () => {
    const { sb, wc } = await setup((proc) => proc.print('started\n'));
    const result = await sb.exec.run('sleep 100', { timeoutMs: 20 });
    expect(result).toEqual({ output: 'started\n', exitCode: 124, timedOut: true });
    await until(() => wc.spawned[0]?.killed === true, 'the runtime kill');
  });

  it('stops at an abort (exit 130) and does not start when already aborted', async () => {
    const { sb, wc } = await setup(() => undefined);
    const controller = new AbortController();
    const pending = sb.exec.run('sleep 100', { signal: controller.signal });
    await until(() => wc.spawned.length === 1, 'the spawn');
    controller.abort();
    expect(await pending).toEqual({ output: '', exitCode: 130, timedOut: false });
    const pre = await sb.exec.run('echo never', { signal: AbortSignal.abort() });
    expect(pre.exitCode).toBe(130);
    expect(wc.spawned).toHaveLength(1);
  });
});

describe('the stdin pipe command line', () => {
  it('quotes for a POSIX shell', () => {
    expect(shellQuote(`it's "x" $HOME`)).toBe(`'it'\\''s "x" $HOME'`);
  });

  it('delivers the exact text as stdin followed by end-of-input (checked with sh standing in for jsh)', () => {
    const text = "line 'one'\nline \"two\" $HOME `x` ü 😀\n\nno newline at end";
    const line = commandLine("cat; echo \"[done $'x']\"", text);
    const script = `jsh() { sh "$@"; }\n${line}`;
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(out).toBe(`${text}[done $'x']\n`);
  });
});
