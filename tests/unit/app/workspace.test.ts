import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../src/app/workspace.svelte';
import { languageOf } from '../../../src/app/workspace-language';
import { createEmbeddedSandbox, type EmbeddedSandbox } from '../../../src/sandbox/embedded';
import type { BootStatus } from '../../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until } from '../../support/webcontainer-fake';

const R = '/workspace';
let workspaces: Workspace[] = [];

async function setup(files: Record<string, string> = {}, options: ConstructorParameters<typeof Workspace>[1] = {}) {
  const sandbox = createEmbeddedSandbox({ files });
  const ws = new Workspace(sandbox, options);
  workspaces.push(ws);
  await ws.ready;
  return { sandbox, ws };
}

async function sh(sandbox: EmbeddedSandbox, ws: Workspace, script: string): Promise<void> {
  const result = await sandbox.bash.exec(script, { cwd: R });
  expect(result.exitCode, result.stderr).toBe(0);
  await ws.idle();
}

const names = (ws: Workspace) => ws.tree.rows.map((row) => `${'  '.repeat(row.level - 1)}${row.name}${row.isDirectory ? '/' : ''}`);

afterEach(() => {
  for (const ws of workspaces) ws.dispose();
  workspaces = [];
});

describe('Workspace tree', () => {
  it('lists the root sorted directories first, nothing hidden, directories collapsed', async () => {
    const { ws } = await setup({
      'b.txt': 'b',
      'A.md': 'a',
      '.env': 'X=1',
      'src/main.ts': '',
      'node_modules/x/index.js': '',
      'file10.txt': '',
      'file9.txt': '',
    });
    expect(ws.phase).toBe('ready');
    expect(names(ws)).toEqual(['node_modules/', 'src/', '.env', 'A.md', 'b.txt', 'file9.txt', 'file10.txt']);
    expect(ws.tree.rows.map((row) => [row.position, row.siblings])[0]).toEqual([1, 7]);
    await ws.tree.expand(`${R}/src`);
    expect(names(ws)).toContain('  main.ts');
    ws.tree.collapse(`${R}/src`);
    expect(names(ws)).not.toContain('  main.ts');
  });

  it('follows shell writes: a new file in a new directory appears, revealed', async () => {
    const { sandbox, ws } = await setup({ 'README.md': '# hi' });
    await sh(sandbox, ws, 'mkdir -p a && echo x > a/b.txt');
    expect(names(ws)).toEqual(['a/', '  b.txt', 'README.md']);
    expect(ws.tree.has(`${R}/a/b.txt`)).toBe(true);
    await sh(sandbox, ws, 'mv a/b.txt a/c.txt && rm README.md');
    expect(names(ws)).toEqual(['a/', '  c.txt']);
    await sh(sandbox, ws, 'rm -r a');
    expect(names(ws)).toEqual([]);
  });

  it('does not open rebuildable folders or folders the user collapsed', async () => {
    const { sandbox, ws } = await setup({ 'src/keep.ts': '' });
    await sh(sandbox, ws, 'mkdir -p node_modules/pkg && echo "{}" > node_modules/pkg/package.json');
    expect(names(ws)).toEqual(['node_modules/', 'src/']);
    await ws.tree.expand(`${R}/src`);
    ws.tree.collapse(`${R}/src`);
    await sh(sandbox, ws, 'echo y > src/new.ts');
    expect(names(ws)).toEqual(['node_modules/', 'src/']);
    await ws.tree.expand(`${R}/src`);
    expect(names(ws)).toEqual(['node_modules/', 'src/', '  keep.ts', '  new.ts']);
  });

  it('stays fast with a thousand files in one directory', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`big/f${i}.txt`] = String(i);
    const { sandbox, ws } = await setup(files);
    const start = performance.now();
    await ws.tree.expand(`${R}/big`);
    expect(ws.tree.rows).toHaveLength(1001);
    await sh(sandbox, ws, 'echo new > big/f1000.txt');
    expect(ws.tree.rows.at(-1)?.name).toBe('f1000.txt');
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it('marks files that just changed and forgets them after flashMs', async () => {
    let now = 1000;
    const { sandbox, ws } = await setup({}, { flashMs: 50, now: () => now });
    await sh(sandbox, ws, 'echo 1 > one.txt');
    expect([...ws.recentlyChanged.keys()]).toEqual([`${R}/one.txt`]);
    now += 100;
    await sh(sandbox, ws, 'echo 2 > two.txt');
    expect([...ws.recentlyChanged.keys()]).toEqual([`${R}/two.txt`]);
    // Outside a shell command (the editor, an upload) the entry also expires on a timer.
    await sandbox.fs.writeFile('three.txt', '3');
    expect(ws.recentlyChanged.has(`${R}/three.txt`)).toBe(true);
    now += 100;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(ws.recentlyChanged.size).toBe(0);
  });

  it('says so when the sandbox cannot watch for changes made in the terminal', async () => {
    const wc = new FakeWebContainer('/home/workspace');
    wc.fs.put('a.txt', 'a');
    wc.fs.refuseWatch = () => new Error('the runtime is gone');
    const sandbox = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
    const ws = new Workspace(sandbox);
    workspaces.push(ws);
    expect(ws.watchProblem).toBe('');
    await ws.ready;
    await until(() => ws.watchProblem !== '', 'the problem');
    expect(ws.watchProblem).toMatch(/^Changes made in the terminal may not show in the file tree: .*the runtime is gone/);
    expect(names(ws)).toEqual(['a.txt']);
  });

  it('waits for a booting sandbox before listing', async () => {
    const sandbox = createEmbeddedSandbox({ files: { 'x.txt': 'x' } });
    const listeners = new Set<(status: BootStatus) => void>();
    let status: BootStatus = { state: 'booting', progress: 'starting' };
    const booting = {
      ...sandbox,
      get status() {
        return status;
      },
      onStatus: (listener: (s: BootStatus) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const ws = new Workspace(booting);
    workspaces.push(ws);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ws.phase).toBe('waiting');
    status = { state: 'ready' };
    for (const listener of [...listeners]) listener(status);
    await ws.ready;
    expect(names(ws)).toEqual(['x.txt']);
  });
});

describe('Workspace tabs', () => {
  it('opens files with a language by extension and one tab per path', async () => {
    const { ws } = await setup({ 'src/app.ts': 'let a = 1;\n', 'notes.md': '# n' });
    const tab = await ws.open('src/app.ts');
    expect(tab).toMatchObject({ path: `${R}/src/app.ts`, name: 'app.ts', language: 'typescript', kind: 'text', text: 'let a = 1;\n' });
    await ws.open(`${R}/notes.md`);
    await ws.open('src/app.ts');
    expect(ws.tabs.map((t) => t.name)).toEqual(['app.ts', 'notes.md']);
    expect(ws.activeTab?.name).toBe('app.ts');
    ws.close(`${R}/src/app.ts`);
    expect(ws.active).toBe(`${R}/notes.md`);
    ws.close('notes.md');
    expect(ws.active).toBeNull();
  });

  it('buffers edits and saves them to the sandbox', async () => {
    const { sandbox, ws } = await setup({ 'a.js': 'old\n' });
    const tab = await ws.open('a.js');
    ws.edit('a.js', 'new\n');
    expect(tab.dirty).toBe(true);
    expect(await sandbox.fs.readFile('a.js')).toBe('old\n');
    expect(await ws.save('a.js')).toBe(true);
    await ws.idle();
    expect(await sandbox.fs.readFile('a.js')).toBe('new\n');
    expect(tab.dirty).toBe(false);
    expect(tab.conflict).toBe(false);
    // Our own save is not a change on disk and does not flash.
    expect(ws.recentlyChanged.has(`${R}/a.js`)).toBe(false);
    ws.edit('a.js', 'old\n');
    ws.edit('a.js', 'new\n');
    expect(tab.dirty).toBe(false);
  });

  it('reloads a clean tab when the file changes on disk', async () => {
    const { sandbox, ws } = await setup({ 'a.txt': 'one\n' });
    const tab = await ws.open('a.txt');
    const revision = tab.revision;
    await sh(sandbox, ws, 'echo two > a.txt');
    expect(tab.text).toBe('two\n');
    expect(tab.dirty).toBe(false);
    expect(tab.revision).toBeGreaterThan(revision);
  });

  it('keeps a dirty tab and reports the change on disk: Reload or Keep mine', async () => {
    const { sandbox, ws } = await setup({ 'a.txt': 'one\n' });
    const tab = await ws.open('a.txt');
    ws.edit('a.txt', 'mine\n');
    await sh(sandbox, ws, 'echo theirs > a.txt');
    expect(tab.text).toBe('mine\n');
    expect(tab.conflict).toBe(true);
    expect(tab.diskText).toBe('theirs\n');

    ws.keepMine('a.txt');
    expect(tab.conflict).toBe(false);
    expect(tab.dirty).toBe(true);
    expect(tab.saved).toBe('theirs\n');

    await sh(sandbox, ws, 'echo again > a.txt');
    expect(tab.diskText).toBe('again\n');
    await ws.reload('a.txt');
    expect(tab).toMatchObject({ text: 'again\n', dirty: false, conflict: false });
  });

  it('a change on disk that matches the buffer makes the tab clean', async () => {
    const { sandbox, ws } = await setup({ 'a.txt': 'one\n' });
    const tab = await ws.open('a.txt');
    ws.edit('a.txt', 'two\n');
    await sh(sandbox, ws, 'echo two > a.txt');
    expect(tab).toMatchObject({ dirty: false, conflict: false });
  });

  it('marks the tab of a deleted file (also via its directory) and saving recreates it', async () => {
    const { sandbox, ws } = await setup({ 'd/a.txt': 'keep me\n', 'b.txt': 'b' });
    const a = await ws.open('d/a.txt');
    const b = await ws.open('b.txt');
    await sh(sandbox, ws, 'rm -r d');
    expect(a.deleted).toBe(true);
    expect(b.deleted).toBe(false);
    expect(a.text).toBe('keep me\n');
    expect(await ws.save('d/a.txt')).toBe(true);
    expect(await sandbox.fs.readFile('d/a.txt')).toBe('keep me\n');
    expect(a.deleted).toBe(false);
    await sh(sandbox, ws, 'rm b.txt && echo back > b.txt');
    expect(b).toMatchObject({ deleted: false, text: 'back\n' });
  });

  it('opens binary files as binary with their size', async () => {
    const { sandbox, ws } = await setup();
    await sandbox.fs.writeFile('logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
    const tab = await ws.open('logo.png');
    expect(tab).toMatchObject({ kind: 'binary', size: 8, dirty: false });
    expect(await ws.save('logo.png')).toBe(false);
  });

  it('reports a file that cannot be read', async () => {
    const { sandbox, ws } = await setup({ 'd/x': '' });
    expect((await ws.open('missing.txt')).kind).toBe('error');
    expect(await ws.open('d')).toMatchObject({ kind: 'error', error: 'This is a directory.' });
    // Opening again reads again.
    await sandbox.fs.writeFile('missing.txt', 'here now');
    expect(await ws.open('missing.txt')).toMatchObject({ kind: 'text', text: 'here now' });
  });

  it('reveals a file it opens in the tree', async () => {
    const { ws } = await setup({ 'deep/er/file.ts': 'x' });
    await ws.open('deep/er/file.ts');
    await ws.idle();
    expect(names(ws)).toEqual(['deep/', '  er/', '    file.ts']);
  });

  it('creates a new file and opens it', async () => {
    const { sandbox, ws } = await setup({ 'src/a.ts': '' });
    const tab = await ws.createFile('src/b.ts');
    expect(tab?.kind).toBe('text');
    expect(await sandbox.fs.readFile('src/b.ts')).toBe('');
    await ws.idle();
    expect(names(ws)).toEqual(['src/', '  a.ts', '  b.ts']);
    expect(await ws.createFile('src')).toBeNull();
    expect(ws.message).toContain('a directory has that name');
  });
});

describe('Workspace upload and zip', () => {
  it('uploads files (text and binary) into a directory', async () => {
    const { sandbox, ws } = await setup({ 'assets/.keep': '' });
    const written = await ws.upload([new File(['hello\n'], 'hello.txt'), new File([new Uint8Array([0, 1, 2, 200])], 'raw.bin')], 'assets');
    expect(written).toEqual([`${R}/assets/hello.txt`, `${R}/assets/raw.bin`]);
    expect(await sandbox.fs.readFile('assets/hello.txt')).toBe('hello\n');
    expect([...(await sandbox.fs.readFileBytes('assets/raw.bin'))]).toEqual([0, 1, 2, 200]);
    await ws.idle();
    expect(names(ws)).toEqual(['assets/', '  .keep', '  hello.txt', '  raw.bin']);
  });

  it('refuses upload names that leave the target directory', async () => {
    const { ws } = await setup();
    expect(await ws.upload([new File(['x'], '..')], '/workspace')).toEqual([]);
    expect(ws.message).toContain('Could not upload');
  });

  it('downloads the workspace as workspace.zip', async () => {
    const { ws } = await setup({ 'a.txt': 'a', 'node_modules/x.js': 'skip' });
    const file = await ws.downloadZip();
    expect(file?.name).toBe('workspace.zip');
    expect(file?.type).toBe('application/zip');
    const { unzipSync } = await import('fflate');
    const entries = unzipSync(new Uint8Array(await file!.arrayBuffer()));
    expect(Object.keys(entries)).toEqual(['a.txt']);
  });
});

describe('languageOf', () => {
  it.each([
    ['a.ts', 'typescript'],
    ['a.tsx', 'typescript'],
    ['a.mjs', 'javascript'],
    ['package.json', 'json'],
    ['x.css', 'css'],
    ['index.html', 'html'],
    ['README.md', 'markdown'],
    ['main.py', 'python'],
    ['run.sh', 'shell'],
    ['App.svelte', 'html'],
    ['Dockerfile', 'dockerfile'],
    ['.gitignore', 'plaintext'],
    ['LICENSE', 'plaintext'],
  ])('%s → %s', (path, language) => expect(languageOf(`/w/${path}`)).toBe(language));
});
