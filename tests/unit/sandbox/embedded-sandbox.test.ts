/** What the contract leaves open, pinned down for the embedded sandbox. */
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox, EMBEDDED_ROOT } from '../../../src/sandbox/embedded';
import { KILLED_EXIT_CODE, NO_STDIN_MESSAGE } from '../../../src/sandbox/just-bash-port';
import type { FsChange } from '../../../src/sandbox/sandbox';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createEmbeddedSandbox', () => {
  it('is ready at once, at /workspace, without node, live processes or previews', async () => {
    const sb = createEmbeddedSandbox();
    expect(sb.kind).toBe('embedded');
    expect(sb.status).toEqual({ state: 'ready' });
    expect(sb.capabilities).toEqual({ node: false, liveProcesses: false, previews: false });
    await sb.boot();
    const d = sb.describe();
    expect(d).toMatchObject({ kind: 'embedded', shell: 'bash (just-bash)', root: '/workspace' });
    expect(EMBEDDED_ROOT).toBe('/workspace');
    expect(d.notes).toMatch(/`node` is QuickJS, not Node.js/);
    expect(d.notes).toMatch(/no npm, python or network/);
    expect(sb.previews()).toEqual([]);
    expect(await sb.fs.readdir('/workspace')).toEqual([]);
  });

  it('starts with the given files; scratch /tmp and a home exist outside the workspace', async () => {
    const sb = createEmbeddedSandbox({ files: { 'README.md': '# hi\n', 'src/a.ts': 'export {};\n' } });
    expect(await sb.fs.readFile('README.md')).toBe('# hi\n');
    expect(await sb.fs.readdir('src')).toEqual(['a.ts']);
    const r = await sb.exec.run('echo t > /tmp/x && cat /tmp/x && cd ~ && pwd');
    expect(r).toEqual({ output: 't\n/home/user\n', exitCode: 0, timedOut: false });
    expect(() => createEmbeddedSandbox({ files: { '../x': 'no' } })).toThrow(/outside the workspace/);
  });

  it('node is QuickJS; npm and npx say they need the WebContainer sandbox; python is just unavailable', async () => {
    const sb = createEmbeddedSandbox();
    expect(await sb.exec.run('node -v')).toMatchObject({ exitCode: 0, output: 'v20.0.0-quickjs\n' });
    for (const cmd of ['npm install', 'npx vitest']) {
      const r = await sb.exec.run(cmd);
      expect(r.exitCode, cmd).toBe(127);
      expect(r.output, cmd).toContain('npm needs the WebContainer sandbox, which is not running here');
      expect(r.output, cmd).toContain('node here is QuickJS without npm');
    }
    expect((await sb.exec.run('python3 -V')).output).toMatch(/^python3: python is not available in the embedded sandbox/);
  });

  it('spawn: relative cwd, missing cwd (exit 1), cwd outside (exit 126), no live stdin', async () => {
    const sb = createEmbeddedSandbox({ files: { 'sub/x.txt': 'x' } });
    expect(await sb.exec.run('pwd; ls', { cwd: 'sub' })).toMatchObject({ exitCode: 0, output: '/workspace/sub\nx.txt\n' });
    expect(await sb.exec.run('ls', { cwd: 'nope' })).toMatchObject({
      exitCode: 1,
      output: 'cannot run the command: working directory nope does not exist\n',
    });
    expect(await sb.exec.run('ls', { cwd: '/tmp' })).toMatchObject({
      exitCode: 126,
      output: 'cannot run the command: working directory /tmp is outside the workspace /workspace\n',
    });
    const p = sb.exec.spawn('sleep 0.2', { cwd: EMBEDDED_ROOT });
    await expect(p.write('y\n')).rejects.toThrow(NO_STDIN_MESSAGE);
    expect(await p.exit).toBe(0);
  });

  it('run: env is passed; an aborted signal kills the command (130); a pre-aborted one too', async () => {
    const sb = createEmbeddedSandbox();
    expect((await sb.exec.run('echo "$GREETING"', { env: { GREETING: 'hey' } })).output).toBe('hey\n');
    const controller = new AbortController();
    const pending = sb.exec.run('sleep 10; echo after', { signal: controller.signal });
    await tick();
    controller.abort();
    expect(await pending).toEqual({ output: '', exitCode: KILLED_EXIT_CODE, timedOut: false });
    expect(await sb.exec.run('echo never', { signal: controller.signal })).toMatchObject({ exitCode: KILLED_EXIT_CODE, timedOut: false });
  });

  it('dispose() ends running commands and open shells', async () => {
    const sb = createEmbeddedSandbox();
    const p = sb.exec.spawn('sleep 10', { cwd: EMBEDDED_ROOT });
    const shell = sb.openShell({ cols: 80, rows: 24 });
    shell.write('sleep 10\r');
    await sb.dispose();
    expect(await p.exit).toBe(KILLED_EXIT_CODE);
    expect(await shell.exit).toBe(130);
  });
});

describe('embedded fs API', () => {
  it('refuses to remove or rename the workspace root and to move a directory into itself', async () => {
    const sb = createEmbeddedSandbox();
    await sb.fs.mkdir('d/e');
    await expect(sb.fs.rm('/workspace')).rejects.toThrow('cannot remove /workspace: /workspace is the workspace root');
    await expect(sb.fs.rm('.')).rejects.toThrow('is the workspace root');
    await expect(sb.fs.rename('.', 'x')).rejects.toThrow('is the workspace root');
    await expect(sb.fs.writeFile('/workspace', 'x')).rejects.toThrow('is the workspace root');
    await expect(sb.fs.rename('d', 'd/e/d')).rejects.toThrow('cannot rename d: cannot move a directory into itself (d/e/d)');
    await expect(sb.fs.rename('missing', 'x')).rejects.toThrow('cannot rename missing: no such file or directory');
    expect(await sb.fs.stat('d/e')).toMatchObject({ isDirectory: true });
  });

  it('rejects with messages naming the path; empty and NUL paths are invalid', async () => {
    const sb = createEmbeddedSandbox();
    await expect(sb.fs.readFile('nope.txt')).rejects.toThrow('cannot read nope.txt: no such file or directory');
    await expect(sb.fs.list('nope')).rejects.toThrow(/^cannot list nope: /);
    await expect(sb.fs.readFile('')).rejects.toThrow('cannot read : invalid path ""');
    await expect(sb.fs.writeFile('a\0b', 'x')).rejects.toThrow('invalid path');
    await sb.fs.mkdir('dir');
    await expect(sb.fs.readFile('dir')).rejects.toThrow(/^cannot read dir: /);
  });

  it('readFileBytes returns a copy; written bytes are copied too', async () => {
    const sb = createEmbeddedSandbox();
    const bytes = new Uint8Array([1, 2, 3]);
    await sb.fs.writeFile('b.bin', bytes);
    bytes[0] = 9;
    const read = await sb.fs.readFileBytes('b.bin');
    read[1] = 9;
    expect(await sb.fs.readFileBytes('b.bin')).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('list follows symlinks for the entry type; a dangling link is neither file nor directory', async () => {
    const sb = createEmbeddedSandbox();
    await sb.fs.mkdir('real');
    expect((await sb.exec.run('ln -s real to-dir && ln -s gone dangling')).exitCode).toBe(0);
    expect(await sb.fs.list('.')).toEqual([
      { name: 'dangling', isDirectory: false, isFile: false },
      { name: 'real', isDirectory: true, isFile: false },
      { name: 'to-dir', isDirectory: true, isFile: false },
    ]);
  });
});

describe('embedded snapshots', () => {
  it('keeps files named like rebuildable folders, drops rebuildable folders and symlinks, keeps __proto__', async () => {
    const sb = createEmbeddedSandbox();
    await sb.fs.writeFile('build', '#!/bin/sh\n');
    await sb.fs.writeFile('dist/out.js', 'x');
    await sb.fs.writeFile('pkg/node_modules/a/index.js', 'x');
    await sb.fs.writeFile('__proto__', 'odd name');
    await sb.exec.run('ln -s build link');
    const snap = await sb.snapshot();
    expect(Object.keys(snap.files).sort()).toEqual(['__proto__', 'build']);
    expect(snap.dirs).toEqual(['pkg']);
    expect(snap.binary).toEqual({});
    await sb.restore(JSON.parse(JSON.stringify(snap)));
    expect(await sb.fs.readFile('__proto__')).toBe('odd name');
    expect(await sb.fs.readdir('.')).toEqual(['__proto__', 'build', 'pkg']);
  });

  it('restore emits deletes for what it clears and creates for what it writes', async () => {
    const sb = createEmbeddedSandbox({ files: { 'old.txt': 'o' } });
    const snap = { format: 'unroll-workspace', version: 1, files: { 'a/new.txt': 'n' }, binary: { 'b.bin': 'AAE=' }, dirs: ['e'] } as const;
    const events: string[] = [];
    sb.fs.watch((c: FsChange) => events.push(`${c.kind} ${c.path}`));
    await sb.restore({ ...snap, files: { ...snap.files }, binary: { ...snap.binary }, dirs: [...snap.dirs] });
    expect(events).toEqual([
      'delete /workspace/old.txt',
      'create /workspace/e',
      'create /workspace/a',
      'create /workspace/a/new.txt',
      'create /workspace/b.bin',
    ]);
    expect(await sb.fs.readFileBytes('b.bin')).toEqual(new Uint8Array([0, 1]));
  });

  it('a 1 000-file workspace round-trips', async () => {
    const sb = createEmbeddedSandbox();
    for (let i = 0; i < 1000; i++) await sb.fs.writeFile(`src/m${i % 20}/f${i}.ts`, `export const v${i} = ${i};\n`);
    const snap = await sb.snapshot();
    expect(Object.keys(snap.files)).toHaveLength(1000);
    await sb.restore(snap);
    expect(await sb.fs.readFile('src/m7/f507.ts')).toBe('export const v507 = 507;\n');
    expect(await sb.snapshot()).toEqual(snap);
  });
});
