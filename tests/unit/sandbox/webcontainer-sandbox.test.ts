import { describe, expect, it } from 'vitest';
import type { PreviewPort, Sandbox } from '../../../src/sandbox/sandbox';
import { emptySnapshot, toBase64, type Snapshot } from '../../../src/sandbox/snapshot';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until, type FakeWcProcess } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

async function setup(onSpawn?: (proc: FakeWcProcess) => void): Promise<{ sb: Sandbox; wc: FakeWebContainer }> {
  const wc = new FakeWebContainer(ROOT);
  if (onSpawn) wc.onSpawn = onSpawn;
  const sb = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
  await sb.boot();
  return { sb, wc };
}

describe('the interactive shell', () => {
  it('spawns jsh --osc at the pane size, queues keys until jsh is interactive, hides its markers', async () => {
    let jsh: FakeWcProcess | undefined;
    const { sb } = await setup((proc) => {
      jsh = proc;
    });
    const shell = sb.openShell({ cols: 100, rows: 30 });
    shell.write('ls\r');
    await until(() => jsh !== undefined, 'the shell to start');
    expect(jsh?.args).toEqual(['--osc']);
    expect(jsh?.options?.terminal).toEqual({ cols: 100, rows: 30 });
    expect(jsh?.written).toEqual([]);
    jsh?.print('\x1b]654;interactive\x07\x1b[1m❯\x1b[0m \x1b]654;pr');
    jsh?.print('ompt\x07');
    await until(() => jsh?.written.length === 1, 'the queued input');
    expect(jsh?.written).toEqual(['ls\r']);
    shell.write('pwd\r');
    await until(() => jsh?.written.length === 2, 'direct input');

    const seen: string[] = [];
    shell.onOutput((d) => seen.push(d));
    expect(seen.join('')).toBe('\x1b[1m❯\x1b[0m '); // replayed for a late terminal
    shell.resize(80, 20);
    expect(jsh?.sizes.at(-1)).toEqual({ cols: 80, rows: 20 });
    jsh?.end(0);
    expect(await shell.exit).toBe(0);
  });

  it('kill ends the session with 130', async () => {
    const { sb } = await setup(() => undefined);
    const shell = sb.openShell({ cols: 80, rows: 24 });
    shell.kill();
    expect(await shell.exit).toBe(130);
  });
});

describe('previews', () => {
  it('follow port and server-ready events, once per change', async () => {
    const { sb, wc } = await setup();
    const seen: PreviewPort[] = [];
    sb.onPreview((p) => seen.push(p));
    wc.emitPort(5173, 'open', 'https://abc-5173.local-credentialless.webcontainer-api.io');
    wc.emitServerReady(5173, 'https://abc-5173.local-credentialless.webcontainer-api.io');
    wc.emitServerReady(3000, 'https://abc-3000.webcontainer-api.io');
    expect(sb.previews()).toEqual([
      { port: 3000, url: 'https://abc-3000.webcontainer-api.io', open: true },
      { port: 5173, url: 'https://abc-5173.local-credentialless.webcontainer-api.io', open: true },
    ]);
    wc.emitPort(5173, 'close', '');
    expect(seen.map((p) => [p.port, p.open])).toEqual([
      [5173, true],
      [3000, true],
      [5173, false],
    ]);
    expect(sb.previews()[1]).toEqual({ port: 5173, url: 'https://abc-5173.local-credentialless.webcontainer-api.io', open: false });
  });
});

describe('snapshots', () => {
  it('exports the workspace without rebuildable folders, text and binary apart', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('package.json', '{"name":"x"}');
    wc.fs.put('src/main.ts', 'console.log("ü")');
    wc.fs.put('public/icon.bin', new Uint8Array([0, 255, 1]));
    wc.fs.put('node_modules/react/index.js', 'module.exports = {}');
    wc.fs.put('dist/out.js', 'built');
    wc.fs.dir('empty');
    const snap = await sb.snapshot();
    expect(snap).toEqual({
      format: 'unroll-workspace',
      version: 1,
      files: { 'package.json': '{"name":"x"}', 'src/main.ts': 'console.log("ü")' },
      binary: { 'public/icon.bin': toBase64(new Uint8Array([0, 255, 1])) },
      dirs: ['empty'],
    });
    expect(wc.exports[0]?.path).toBe('.');
    expect(wc.exports[0]?.excludes).toContain('**/node_modules');
  });

  it('restore replaces the workspace but keeps rebuildable folders where they are', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('old.txt', 'old');
    wc.fs.put('src/old.ts', 'old');
    wc.fs.put('node_modules/react/index.js', 'kept');
    wc.fs.put('packages/a/node_modules/x/i.js', 'kept too');
    wc.fs.put('packages/a/stale.ts', 'old');
    const snapshot: Snapshot = {
      ...emptySnapshot(),
      files: { 'new.txt': 'new', 'src/app.ts': 'app' },
      binary: { 'b.bin': toBase64(new Uint8Array([1, 0xff])) },
      dirs: ['empty dir'],
    };
    await sb.restore(snapshot);
    expect(wc.fs.paths()).toEqual([
      'b.bin',
      'empty dir',
      'new.txt',
      'node_modules',
      'node_modules/react',
      'node_modules/react/index.js',
      'packages',
      'packages/a',
      'packages/a/node_modules',
      'packages/a/node_modules/x',
      'packages/a/node_modules/x/i.js',
      'src',
      'src/app.ts',
    ]);
    expect(await sb.snapshot()).toEqual({ ...snapshot, dirs: ['empty dir', 'packages/a'] });
  });

  it('an invalid snapshot is refused before anything is removed', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('keep.txt', 'k');
    await expect(sb.restore({ ...emptySnapshot(), files: { '../x': 'x' } })).rejects.toThrow(/leaves the workspace/);
    expect(wc.fs.paths()).toEqual(['keep.txt']);
  });

  it('restore(emptySnapshot()) empties the workspace', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('a/b/c.txt', 'x');
    await sb.restore(emptySnapshot());
    expect(wc.fs.paths()).toEqual([]);
    expect(await sb.snapshot()).toEqual(emptySnapshot());
  });
});

describe('dispose', () => {
  it('kills running processes and shells', async () => {
    const { sb, wc } = await setup(() => undefined);
    const proc = sb.exec.spawn('npm run dev', { cwd: ROOT });
    const shell = sb.openShell({ cols: 80, rows: 24 });
    await until(() => wc.spawned.length === 2, 'both processes');
    await sb.dispose();
    expect(await proc.exit).toBe(130);
    expect(await shell.exit).toBe(130);
    expect(wc.tornDown).toBe(true);
  });
});

describe('what the model is told about a WebContainer', () => {
  it('names what jsh has and lacks: python3 with its standard library only, no git, no grep/rg/sed, no sleep, no functions', async () => {
    const wc = new FakeWebContainer();
    const sb = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
    const { notes, shell } = sb.describe();
    expect(shell).toBe('jsh (WebContainer)');
    expect(notes).toContain('python3 (standard library only)');
    expect(notes).toMatch(/There is no git, grep, rg, sed, awk, find, xargs, wc, diff or sleep/);
    expect(notes).toContain('no shell functions');
    expect(notes).not.toMatch(/bash-like|There is no Python/);
    await sb.dispose();
  });
});
