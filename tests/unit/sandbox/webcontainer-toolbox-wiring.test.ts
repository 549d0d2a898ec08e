/**
 * How the WebContainer backend installs and uses the toolbox, against the fake runtime: the
 * bundle staged in the workspace and started with `--install` beside it, every command then run
 * as `node <entry> -c`, the model told what the probe found, and jsh alone when anything fails.
 * (The toolbox's own behaviour is tested in plain Node: webcontainer-toolbox.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { TOOLBOX_STAGING } from '../../../src/sandbox/webcontainer/toolbox-install';
import { FakeWebContainer, ISOLATED, fakeBoot, until, type FakeWcProcess } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';
const BUNDLE = '/* the toolbox bundle */';
const ANSWER = {
  entry: '/home/.unroll/toolbox.mjs',
  bin: '/home/.unroll/bin',
  present: { node: true, npm: true, npx: true, python3: true, git: false, curl: true },
};

function isInstall(proc: FakeWcProcess): boolean {
  return proc.command === 'node' && proc.args[0] === TOOLBOX_STAGING && proc.args[1] === '--install';
}

async function setup(install: (proc: FakeWcProcess, wc: FakeWebContainer) => void): Promise<{ sb: Sandbox; wc: FakeWebContainer; staged: string[] }> {
  const wc = new FakeWebContainer(ROOT);
  const staged: string[] = [];
  wc.onSpawn = (proc) => {
    if (isInstall(proc)) {
      const file = wc.fs.nodes.get(TOOLBOX_STAGING);
      staged.push(file?.type === 'file' ? new TextDecoder().decode(file.data) : '(nothing staged)');
      install(proc, wc);
      return;
    }
    proc.print(`ran ${proc.command} ${proc.args.join(' ')}\r\n`);
    proc.end(0);
  };
  const sb = createWebContainerSandbox({}, { boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {}, toolbox: async () => BUNDLE });
  await sb.boot();
  return { sb, wc, staged };
}

/** The install as the toolbox answers it: the staged copy moved away, the answer last. */
function installs(proc: FakeWcProcess, wc: FakeWebContainer): void {
  void wc.fs.rm(TOOLBOX_STAGING).then(() => {
    proc.print(`${JSON.stringify(ANSWER)}\r\n`);
    proc.end(0);
  });
}

describe('the toolbox in a WebContainer', () => {
  it('is staged in the workspace and installed beside it, then runs every command in bash', async () => {
    const { sb, wc, staged } = await setup(installs);
    const result = await sb.exec.run('f() { echo hi; }; f | wc -l');
    expect(staged).toEqual([BUNDLE]);
    const install = wc.spawned[0] as FakeWcProcess;
    expect(install.args).toEqual([TOOLBOX_STAGING, '--install', '/home/.unroll']);
    const command = wc.spawned[1] as FakeWcProcess;
    expect(command.command).toBe('node');
    expect(command.args).toEqual([ANSWER.entry, '-c', 'f() { echo hi; }; f | wc -l']);
    expect(command.options?.env?.PATH).toBe(`${ANSWER.bin}:${wc.path}`);
    expect(command.options?.env?.npm_config_yes).toBe('true');
    expect(result.exitCode).toBe(0);
  });

  it('hands input given up front to the toolbox as an argument', async () => {
    const { sb, wc } = await setup(installs);
    await sb.exec.run('tr a-z A-Z', { stdin: 'héllo\n' });
    const command = wc.spawned[1] as FakeWcProcess;
    expect(command.args.slice(0, 2)).toEqual([ANSWER.entry, '--stdin-base64']);
    expect(Buffer.from(command.args[2] as string, 'base64').toString('utf8')).toBe('héllo\n');
    expect(command.args.slice(3)).toEqual(['-c', 'tr a-z A-Z']);
  });

  it('tells the model the real command list: bash, its tools, the programs found, no git', async () => {
    const { sb } = await setup(installs);
    await sb.exec.run('true');
    const { notes, shell } = sb.describe();
    expect(shell).toContain('bash');
    expect(notes).toContain('here-docs, functions');
    expect(notes).toMatch(/grep.*rg.*sed.*awk/);
    expect(notes).toContain('python3 (standard library only');
    expect(notes).toContain('There is no git.');
    expect(notes).not.toContain('jsh');
  });

  it('puts the tools on the PATH of the terminal', async () => {
    const { sb, wc } = await setup(installs);
    sb.openShell({ cols: 80, rows: 24 });
    await until(() => wc.spawned.some((p) => p.command === 'jsh'), 'the shell');
    const shell = wc.spawned.find((p) => p.command === 'jsh') as FakeWcProcess;
    expect(shell.options?.env?.PATH).toBe(`${ANSWER.bin}:${wc.path}`);
  });

  it('falls back to jsh alone, removing the staged copy, when the install fails', async () => {
    const { sb, wc } = await setup((proc) => {
      proc.print('SyntaxError: Unexpected token\r\n');
      proc.end(1);
    });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (text: string) => void warnings.push(text);
    try {
      await sb.exec.run('ls');
    } finally {
      console.warn = warn;
    }
    const command = wc.spawned[1] as FakeWcProcess;
    expect([command.command, command.args]).toEqual(['jsh', ['-c', 'ls']]);
    expect(wc.fs.nodes.has(TOOLBOX_STAGING)).toBe(false);
    expect(warnings.join('\n')).toContain('SyntaxError');
    expect(sb.describe().notes).toContain('The shell is jsh, not bash');
  });

  it('does not report the staged copy as a change in the workspace', async () => {
    const wc = new FakeWebContainer(ROOT);
    const seen: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    wc.onSpawn = (proc) => void held.then(() => installs(proc, wc));
    const sb = createWebContainerSandbox({}, { boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {}, toolbox: async () => BUNDLE });
    sb.fs.watch((change) => seen.push(`${change.kind} ${change.path}`));
    await sb.boot();
    await until(() => wc.spawned.length === 1, 'the install');
    release();
    await sb.fs.writeFile('after.txt', 'x');
    await until(() => seen.includes(`create ${ROOT}/after.txt`), 'the later change');
    expect(seen.filter((s) => s.includes(TOOLBOX_STAGING))).toEqual([]);
  });
});
