/** Contract cases: the filesystem API and its change events. */
import { check } from './check';
import type { ContractCase } from './sandbox-contract';
import { inRoot, recordChanges, rootOf } from './support';

const sortByName = <T extends { name: string }>(list: T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));

export const fsCases: ContractCase[] = [
  {
    name: 'fs: text round-trip (relative and absolute paths, overwrite, byte size)',
    async run(sb) {
      await sb.fs.writeFile('notes.txt', 'héllo\nwörld\n');
      check.equal(await sb.fs.readFile('notes.txt'), 'héllo\nwörld\n', 'read by relative path');
      check.equal(await sb.fs.readFile(inRoot(sb, 'notes.txt')), 'héllo\nwörld\n', 'read by absolute path');
      check.equal((await sb.fs.stat('notes.txt'))?.size, 14, 'size in bytes of UTF-8 text');
      await sb.fs.writeFile('notes.txt', 'short');
      check.equal(await sb.fs.readFile('notes.txt'), 'short', 'overwritten content');
    },
  },
  {
    name: 'fs: bytes round-trip (all 256 byte values)',
    async run(sb) {
      const bytes = new Uint8Array(512).map((_, i) => i % 256);
      await sb.fs.writeFile('bin/all.bin', bytes);
      const back = await sb.fs.readFileBytes('bin/all.bin');
      check.equal(back, bytes, 'bytes read back');
      check.equal((await sb.fs.stat('bin/all.bin'))?.size, 512, 'size');
      const text = new TextEncoder().encode('plain ✓');
      await sb.fs.writeFile('t.txt', text);
      check.equal(await sb.fs.readFile('t.txt'), 'plain ✓', 'bytes written, read as text');
    },
  },
  {
    name: 'fs: mkdir -p, list with types, writeFile creates parents',
    async run(sb) {
      await sb.fs.mkdir('a/b/c');
      await sb.fs.mkdir('a/b/c'); // exists: fine
      await sb.fs.writeFile('a/f.txt', 'f');
      await sb.fs.writeFile('x/y/z.txt', 'z');
      check.equal(
        sortByName(await sb.fs.list('a')),
        [
          { name: 'b', isDirectory: true, isFile: false },
          { name: 'f.txt', isDirectory: false, isFile: true },
        ],
        'list(a)',
      );
      check.equal([...(await sb.fs.readdir('a'))].sort(), ['b', 'f.txt'], 'readdir(a)');
      check.equal((await sb.fs.stat('a/b/c'))?.isDirectory, true, 'a/b/c is a directory');
      check.equal(await sb.fs.readFile('x/y/z.txt'), 'z', 'file under created parents');
    },
  },
  {
    name: 'fs: rename a file and a directory, creating the target parents',
    async run(sb) {
      await sb.fs.writeFile('r/a.txt', 'A');
      await sb.fs.rename('r/a.txt', 'r2/deep/b.txt');
      check.equal(await sb.fs.stat('r/a.txt'), null, 'old file path');
      check.equal(await sb.fs.readFile('r2/deep/b.txt'), 'A', 'moved file');
      await sb.fs.writeFile('rd/x/f.txt', 'F');
      await sb.fs.rename('rd', 'moved/rd2');
      check.equal(await sb.fs.stat('rd'), null, 'old directory path');
      check.equal(await sb.fs.readFile('moved/rd2/x/f.txt'), 'F', 'file inside the moved directory');
    },
  },
  {
    name: 'fs: rm -r removes a tree; removing a missing path rejects naming it',
    async run(sb) {
      await sb.fs.writeFile('t/a/b/f.txt', 'f');
      await sb.fs.writeFile('t/g.txt', 'g');
      await sb.fs.rm('t');
      check.equal(await sb.fs.stat('t'), null, 'removed tree');
      check.equal(await sb.fs.readdir(rootOf(sb)), [], 'workspace after rm');
      await check.rejects(sb.fs.rm('missing-thing'), /missing-thing/, 'rm of a missing path');
    },
  },
  {
    name: 'fs: stat is null for missing paths and describes files and directories',
    async run(sb) {
      check.equal(await sb.fs.stat('nope'), null, 'missing');
      check.equal(await sb.fs.stat('nope/deeper'), null, 'missing parent');
      await sb.fs.writeFile('s/file.txt', '12345');
      check.equal(await sb.fs.stat('s/file.txt'), { isFile: true, isDirectory: false, size: 5 }, 'file');
      const dir = await sb.fs.stat('s');
      check.equal([dir?.isFile, dir?.isDirectory], [false, true], 'directory');
      await check.rejects(sb.fs.readFile('nope.txt'), /nope\.txt/, 'reading a missing file names it');
    },
  },
  {
    name: 'events: writes through the fs API (create, change, mkdir, rename, rm)',
    async run(sb) {
      const rec = recordChanges(sb);
      try {
        await sb.fs.writeFile('ev.txt', 'one');
        await rec.expect('create', 'ev.txt', false);
        await sb.fs.writeFile('ev.txt', 'two');
        await rec.expect('change', 'ev.txt');
        await sb.fs.mkdir('evdir/sub');
        await rec.expect('create', 'evdir/sub', true);
        await sb.fs.rename('ev.txt', 'evdir/moved.txt');
        await rec.expect('delete', 'ev.txt');
        await rec.expect('create', 'evdir/moved.txt', false);
        await sb.fs.rm('evdir');
        // Deletes carry no reliable type: what is gone can no longer be inspected.
        await rec.expect('delete', 'evdir/moved.txt');
        await rec.expect('delete', 'evdir');
      } finally {
        rec.stop();
      }
    },
  },
  {
    name: 'events: writes by shell commands (echo >, mkdir -p, mv, rm)',
    async run(sb) {
      const rec = recordChanges(sb);
      try {
        check.equal((await sb.exec.run('echo hi > a.txt')).exitCode, 0, 'echo exit');
        await rec.expect('create', 'a.txt', false);
        check.equal((await sb.exec.run('mkdir -p d/e')).exitCode, 0, 'mkdir exit');
        await rec.expect('create', 'd/e', true);
        check.equal((await sb.exec.run('mv a.txt d/b.txt')).exitCode, 0, 'mv exit');
        await rec.expect('delete', 'a.txt');
        await rec.expect('create', 'd/b.txt', false);
        check.equal((await sb.exec.run('rm d/b.txt')).exitCode, 0, 'rm exit');
        await rec.expect('delete', 'd/b.txt');
      } finally {
        rec.stop();
      }
    },
  },
];
