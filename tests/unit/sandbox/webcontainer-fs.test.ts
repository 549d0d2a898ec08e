import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

async function setup(): Promise<{ sb: Sandbox; wc: FakeWebContainer }> {
  const wc = new FakeWebContainer(ROOT);
  const sb = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
  await sb.boot();
  return { sb, wc };
}

describe('WebContainer filesystem', () => {
  it('round-trips text and bytes, creating parent directories', async () => {
    const { sb, wc } = await setup();
    await sb.fs.writeFile('src/deep/a.ts', 'export const é = "✓";\n');
    await sb.fs.writeFile(`${ROOT}/bin/data.bin`, new Uint8Array([0, 1, 2, 255]));
    expect(await sb.fs.readFile(`${ROOT}/src/deep/a.ts`)).toBe('export const é = "✓";\n');
    expect(await sb.fs.readFileBytes('bin/data.bin')).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(await sb.fs.readFileBytes('src/deep/a.ts')).toEqual(new TextEncoder().encode('export const é = "✓";\n'));
    expect(wc.fs.paths()).toEqual(['bin', 'bin/data.bin', 'src', 'src/deep', 'src/deep/a.ts']);
    // Every path reached the runtime in workdir-relative form (the fake throws otherwise).
    expect(wc.fs.seenPaths.every((p) => !p.startsWith('/'))).toBe(true);
  });

  it('lists sorted entries with their types; readdir gives the names', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('b.txt', 'b');
    wc.fs.put('a dir/x', 'x');
    wc.fs.dir('c');
    expect(await sb.fs.list('.')).toEqual([
      { name: 'a dir', isDirectory: true, isFile: false },
      { name: 'b.txt', isDirectory: false, isFile: true },
      { name: 'c', isDirectory: true, isFile: false },
    ]);
    expect(await sb.fs.readdir(ROOT)).toEqual(['a dir', 'b.txt', 'c']);
    await expect(sb.fs.list('missing')).rejects.toThrow(`cannot list ${ROOT}/missing: no such file or directory`);
  });

  it('mkdir is mkdir -p and refuses to turn a file into a directory', async () => {
    const { sb, wc } = await setup();
    await sb.fs.mkdir('a/b/c');
    await sb.fs.mkdir('a/b/c');
    await sb.fs.mkdir(ROOT);
    expect(wc.fs.paths()).toEqual(['a', 'a/b', 'a/b/c']);
    wc.fs.put('f', '');
    await expect(sb.fs.mkdir('f')).rejects.toThrow(`cannot create directory ${ROOT}/f: already exists`);
  });

  it('rm removes files and whole directories, fails for missing paths and the root', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('d/e/f.txt', 'x');
    wc.fs.put('g.txt', 'x');
    await sb.fs.rm('d');
    await sb.fs.rm(`${ROOT}/g.txt`);
    expect(wc.fs.paths()).toEqual([]);
    await expect(sb.fs.rm('d')).rejects.toThrow(`cannot remove ${ROOT}/d: no such file or directory`);
    await expect(sb.fs.rm('.')).rejects.toThrow(/workspace root/);
  });

  it('rename moves files and directories, creating the target parent', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('old/one.txt', '1');
    wc.fs.put('old/sub/two.txt', '2');
    await sb.fs.rename('old', 'new/place');
    expect(wc.fs.paths()).toEqual(['new', 'new/place', 'new/place/one.txt', 'new/place/sub', 'new/place/sub/two.txt']);
    await sb.fs.rename('new/place/one.txt', 'flat name.txt');
    expect(wc.fs.text('flat name.txt')).toBe('1');
    await expect(sb.fs.rename('nope', 'x')).rejects.toThrow(`cannot move ${ROOT}/nope to ${ROOT}/x: no such file or directory`);
    await expect(sb.fs.rename('new', 'new/inside')).rejects.toThrow(/into itself/);
    await expect(sb.fs.rename('new', '../../tmp/x')).rejects.toThrow(/outside the workspace/);
  });

  it('stat tells files (with size), directories and nothing apart', async () => {
    const { sb, wc } = await setup();
    wc.fs.put('s/f.txt', 'héllo');
    expect(await sb.fs.stat('s/f.txt')).toEqual({ isFile: true, isDirectory: false, size: 6 });
    expect(await sb.fs.stat('s')).toEqual({ isFile: false, isDirectory: true, size: 0 });
    expect(await sb.fs.stat(ROOT)).toEqual({ isFile: false, isDirectory: true, size: 0 });
    expect(await sb.fs.stat('s/missing')).toBeNull();
    expect(await sb.fs.stat('missing/deeper')).toBeNull();
  });

  it('refuses every path outside the workspace without touching the runtime', async () => {
    const { sb, wc } = await setup();
    const before = wc.fs.seenPaths.length;
    const attempts: Promise<unknown>[] = [
      sb.fs.readFile('../../etc/passwd'),
      sb.fs.readFileBytes('/etc/passwd'),
      sb.fs.writeFile('/home/workspace2/x', 'x'),
      sb.fs.list('/'),
      sb.fs.mkdir('../x'),
      sb.fs.rm('/home'),
      sb.fs.stat('a/../../..'),
      sb.fs.rename('/etc/hosts', 'hosts'),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(/outside the workspace/);
    expect(wc.fs.seenPaths.length).toBe(before);
  });

  it('names the path and the reason when the runtime refuses', async () => {
    const { sb, wc } = await setup();
    wc.fs.dir('adir');
    await expect(sb.fs.readFile('nothing.txt')).rejects.toThrow(`cannot read ${ROOT}/nothing.txt: no such file or directory`);
    await expect(sb.fs.readFile('adir')).rejects.toThrow(`cannot read ${ROOT}/adir: is a directory`);
    await expect(sb.fs.writeFile('adir', 'x')).rejects.toThrow(`cannot write ${ROOT}/adir: is a directory`);
    await expect(sb.fs.writeFile(ROOT, 'x')).rejects.toThrow(/workspace root/);
  });
});
