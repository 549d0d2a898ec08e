/**
 * The app's sandbox that moves between backends: real embedded sandboxes on both sides, and
 * the WebContainer backend over the fake runtime as the one moved to.
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import type { FsChange, PreviewPort } from '../../../src/sandbox/sandbox';
import { SwitchableSandbox } from '../../../src/sandbox/switchable';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

describe('SwitchableSandbox', () => {
  it('carries the workspace over and then works on the new backend, paths unchanged', async () => {
    const first = createEmbeddedSandbox({ root: ROOT, files: { 'src/a.txt': 'alpha\n', 'notes.md': '# n\n' } });
    const second = createEmbeddedSandbox({ root: ROOT });
    const sb = new SwitchableSandbox(first);
    await sb.fs.writeFile(`${ROOT}/made-before.txt`, 'x');
    await sb.switchTo(second);
    expect(sb.current).toBe(second);
    expect(await second.fs.readFile(`${ROOT}/src/a.txt`)).toBe('alpha\n');
    expect(await sb.fs.readFile(`${ROOT}/made-before.txt`)).toBe('x');
    await sb.fs.writeFile(`${ROOT}/made-after.txt`, 'y');
    expect(await second.fs.readFile(`${ROOT}/made-after.txt`)).toBe('y');
    expect(await first.fs.stat(`${ROOT}/made-after.txt`)).toBeNull();
    expect((await sb.exec.run('cat made-after.txt', { cwd: ROOT })).output).toBe('y');
  });

  it('moves file-change subscriptions to the new backend and reports nothing for the copy itself', async () => {
    const first = createEmbeddedSandbox({ root: ROOT, files: { 'a.txt': 'a' } });
    const second = createEmbeddedSandbox({ root: ROOT });
    const sb = new SwitchableSandbox(first);
    const seen: string[] = [];
    sb.fs.watch((change: FsChange) => seen.push(`${change.kind} ${change.path}`));
    await sb.switchTo(second);
    expect(seen).toEqual([]);
    await second.fs.writeFile(`${ROOT}/b.txt`, 'b');
    await first.fs.writeFile(`${ROOT}/old.txt`, 'not ours any more');
    await until(() => seen.length > 0, 'the change');
    expect(seen).toEqual([`create ${ROOT}/b.txt`]);
  });

  it('tells its listeners after the move, and stops commands still running on the old backend', async () => {
    const first = createEmbeddedSandbox({ root: ROOT });
    const second = createEmbeddedSandbox({ root: ROOT });
    const sb = new SwitchableSandbox(first);
    const moves: string[] = [];
    sb.onSwitch((from, to) => moves.push(`${from === first} ${to === second}`));
    const running = sb.exec.spawn('sleep 30', { cwd: ROOT });
    await sb.switchTo(second);
    expect(moves).toEqual(['true true']);
    expect(await running.exit).toBe(130);
  });

  it('makes calls made during the move wait for it, so none lands on the old backend', async () => {
    const first = createEmbeddedSandbox({ root: ROOT, files: { 'a.txt': 'a' } });
    const second = createEmbeddedSandbox({ root: ROOT });
    const sb = new SwitchableSandbox(first);
    const move = sb.switchTo(second);
    const write = sb.fs.writeFile(`${ROOT}/during.txt`, 'd');
    await Promise.all([move, write]);
    expect(await second.fs.readFile(`${ROOT}/during.txt`)).toBe('d');
    expect(await first.fs.stat(`${ROOT}/during.txt`)).toBeNull();
  });

  it('stays on the current backend when the copy fails', async () => {
    const first = createEmbeddedSandbox({ root: ROOT, files: { 'a.txt': 'a' } });
    const second = createEmbeddedSandbox({ root: ROOT });
    const broken = { ...second, restore: () => Promise.reject(new Error('disk full')) };
    const sb = new SwitchableSandbox(first);
    await expect(sb.switchTo(broken)).rejects.toThrow('disk full');
    expect(sb.current).toBe(first);
    expect(await sb.fs.readFile(`${ROOT}/a.txt`)).toBe('a');
  });

  it('moves to a WebContainer: files mounted there, previews and kind follow', async () => {
    const wc = new FakeWebContainer(ROOT);
    const container = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
    const first = createEmbeddedSandbox({ root: ROOT, files: { 'index.js': 'console.log(1)\n' } });
    const sb = new SwitchableSandbox(first);
    const ports: PreviewPort[] = [];
    sb.onPreview((port) => ports.push(port));
    expect(sb.kind).toBe('embedded');
    await sb.switchTo(container);
    expect(sb.kind).toBe('webcontainer');
    expect(sb.capabilities.previews).toBe(true);
    expect(sb.describe().root).toBe(ROOT);
    expect(new TextDecoder().decode(await wc.fs.readFile('index.js'))).toBe('console.log(1)\n');
    wc.emitPort(5173, 'open', 'https://x--5173.local-credentialless.webcontainer-api.io');
    await until(() => ports.length === 1, 'the preview');
    expect(ports[0]).toMatchObject({ port: 5173, open: true });
  });
});

describe('commands given during a move', () => {
  it('run on the new backend once the move is over', async () => {
    const first = createEmbeddedSandbox({ root: ROOT, files: { 'a.txt': 'from the workspace\n' } });
    const second = createEmbeddedSandbox({ root: ROOT });
    const sb = new SwitchableSandbox(first);
    const move = sb.switchTo(second);
    const proc = sb.exec.spawn('cat a.txt > seen.txt; echo done', { cwd: ROOT });
    const output: string[] = [];
    proc.onOutput((chunk) => output.push(chunk));
    await move;
    expect(await proc.exit).toBe(0);
    expect(output.join('')).toBe('done\n');
    expect(await second.fs.readFile(`${ROOT}/seen.txt`)).toBe('from the workspace\n');
    expect(await first.fs.stat(`${ROOT}/seen.txt`)).toBeNull();
  });
});
