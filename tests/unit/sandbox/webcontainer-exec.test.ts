import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { AGENT_ENV, KILLED_EXIT_CODE, commandLine, shellQuote } from '../../../src/sandbox/webcontainer/wc-exec';
import { FakeWebContainer, ISOLATED, fakeBoot, until, type FakeWcProcess } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

async function setup(onSpawn?: (proc: FakeWcProcess) => void, killGraceMs = 30): Promise<{ sb: Sandbox; wc: FakeWebContainer }> {
  const wc = new FakeWebContainer(ROOT);
  if (onSpawn) wc.onSpawn = onSpawn;
  const sb = createWebContainerSandbox({ killGraceMs }, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
  await sb.boot();
  return { sb, wc };
}

describe('spawning commands', () => {
  it('runs jsh -c with a workdir-relative cwd and the default PATH next to a custom env', async () => {
    const { sb, wc } = await setup();
    wc.fs.dir('app');
    await sb.exec.spawn('npm test', { cwd: `${ROOT}/app`, env: { CI: '1', NO_COLOR: '' } }).exit;
    await sb.exec.spawn('ls', { cwd: ROOT }).exit;
    const [first, second] = wc.spawned;
    expect(first?.command).toBe('jsh');
    expect(first?.args).toEqual(['-c', 'npm test']);
    expect(first?.options).toMatchObject({ cwd: 'app', output: true, env: { ...AGENT_ENV, CI: '1', NO_COLOR: '', PATH: wc.path } });
    expect(second?.options).toMatchObject({ cwd: '.', output: true, env: { ...AGENT_ENV, PATH: wc.path } });
  });

  it('starts every command non-interactive and colourless on a wide terminal, so npx does not stop to ask', async () => {
    const { sb, wc } = await setup();
    await sb.exec.spawn('npx create-vite@latest app', { cwd: ROOT }).exit;
    await sb.exec.run('npm install');
    for (const proc of wc.spawned) {
      expect(proc.options?.env).toEqual({
        npm_config_yes: 'true',
        npm_config_progress: 'false',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
        PATH: wc.path,
      });
      expect(proc.options?.terminal).toEqual({ cols: 200, rows: 50 });
    }
  });

  it("leaves the person's terminal its own environment and size", async () => {
    const { sb, wc } = await setup(() => undefined);
    const shell = sb.openShell({ cols: 90, rows: 20 });
    await until(() => wc.spawned.length === 1, 'the shell');
    expect(wc.spawned[0]?.options).toEqual({ terminal: { cols: 90, rows: 20 }, output: true });
    shell.kill();
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

  it('gives a tty command its raw terminal output (on the same wide terminal)', async () => {
    const { sb, wc } = await setup((proc) => {
      proc.print('\x1b[32mok\x1b[0m\r\n');
      proc.end(0);
    });
    const proc = sb.exec.spawn('x', { cwd: ROOT, tty: true });
    let out = '';
    proc.onOutput((c) => (out += c));
    await proc.exit;
    expect(out).toBe('\x1b[32mok\x1b[0m\r\n');
    expect(wc.spawned[0]?.options?.terminal).toEqual({ cols: 200, rows: 50 });
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

  it('kill reports 130 at once and stops the program with Ctrl-C, as a terminal would', async () => {
    let running: FakeWcProcess | undefined;
    const { sb } = await setup((proc) => {
      running = proc;
      proc.print('serving on :3000\n');
    }, 10_000);
    const proc = sb.exec.spawn('npm run dev', { cwd: ROOT });
    let out = '';
    proc.onOutput((c) => (out += c));
    await until(() => out.includes('serving'), 'the server output');
    proc.kill();
    expect(await proc.exit).toBe(KILLED_EXIT_CODE);
    await until(() => running?.exitCode !== undefined, 'the program to stop');
    expect(running?.written).toEqual(['\x03']);
    expect(running?.interrupted).toBe(true);
    expect(running?.killed).toBe(false);
    expect(out).toBe('serving on :3000\n'); // nothing after the kill, not even the echoed ^C
  });

  it('kills a program that keeps running through Ctrl-C once the grace period is over', async () => {
    let running: FakeWcProcess | undefined;
    const { sb } = await setup((proc) => {
      running = proc;
      proc.trapsInterrupt = true;
    }, 40);
    const proc = sb.exec.spawn('node server.js', { cwd: ROOT });
    await until(() => running !== undefined, 'the spawn');
    const killedAt = Date.now();
    proc.kill();
    expect(await proc.exit).toBe(KILLED_EXIT_CODE);
    await until(() => running?.interrupted === true, 'the Ctrl-C');
    expect(running?.killed).toBe(false);
    await until(() => running?.killed === true, 'the runtime kill');
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(35);
  });

  it('kill before the process even started still ends it', async () => {
    const { sb, wc } = await setup(() => undefined);
    const proc = sb.exec.spawn('sleep 100', { cwd: ROOT });
    proc.kill();
    expect(await proc.exit).toBe(KILLED_EXIT_CODE);
    await until(() => wc.spawned[0]?.exitCode !== undefined, 'the program to stop');
    expect(wc.spawned[0]?.written).toEqual(['\x03']);
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
    await until(() => wc.spawned[0]?.interrupted === true, 'the Ctrl-C');
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
    const text = 'line \'one\'\nline "two" $HOME `x` ü 😀\n\nno newline at end';
    const line = commandLine('cat; echo "[done $\'x\']"', text);
    const script = `jsh() { sh "$@"; }\n${line}`;
    const out = execFileSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(out).toBe(`${text}[done $'x']\n`);
  });
});
