import { describe, expect, it } from 'vitest';
import type { FileSystemTree } from '@webcontainer/api';
import { emptySnapshot, fromBase64, toBase64, type Snapshot } from '../../../src/sandbox/snapshot';
import { exportExcludes, snapshotToTree, treeToSnapshot } from '../../../src/sandbox/webcontainer/tree';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

describe('FileSystemTree → Snapshot', () => {
  it('keeps text as strings, binary as base64 and empty directories, nested', () => {
    const tree: FileSystemTree = {
      'README.md': { file: { contents: '# hi\n' } },
      src: {
        directory: {
          'main.ts': { file: { contents: 'console.log("é ✓ 😀")\n' } },
          lib: { directory: { 'deep.txt': { file: { contents: 'deep' } } } },
          empty: { directory: {} },
        },
      },
      'logo.png': { file: { contents: png } },
      'mon fichier é.txt': { file: { contents: 'spaces and accents' } },
    };
    const snap = treeToSnapshot(tree);
    expect(snap.format).toBe('unroll-workspace');
    expect({ ...snap.files }).toEqual({
      'README.md': '# hi\n',
      'mon fichier é.txt': 'spaces and accents',
      'src/lib/deep.txt': 'deep',
      'src/main.ts': 'console.log("é ✓ 😀")\n',
    });
    expect(Object.keys(snap.binary)).toEqual(['logo.png']);
    expect(fromBase64(snap.binary['logo.png'] as string)).toEqual(png);
    expect(snap.dirs).toEqual(['src/empty']);
  });

  it('classifies bytes again: UTF-8 bytes become text, a string with NUL becomes binary', () => {
    const snap = treeToSnapshot({
      'utf8.txt': { file: { contents: new TextEncoder().encode('héllo') } },
      'nul.bin': { file: { contents: 'a\0b' } },
    });
    expect(snap.files['utf8.txt']).toBe('héllo');
    expect(snap.binary['nul.bin']).toBe(toBase64(new Uint8Array([0x61, 0, 0x62])));
  });

  it('leaves out rebuildable folders wherever they are, symlinks, and odd names', () => {
    const snap = treeToSnapshot({
      node_modules: { directory: { x: { directory: { 'index.js': { file: { contents: 'x' } } } } } },
      packages: {
        directory: {
          a: { directory: { node_modules: { directory: {} }, 'index.js': { file: { contents: 'a' } } } },
          b: { directory: { dist: { directory: { 'out.js': { file: { contents: 'b' } } } } } },
        },
      },
      link: { file: { symlink: 'packages/a' } },
      '..': { file: { contents: 'never' } },
    });
    expect(Object.keys(snap.files)).toEqual(['packages/a/index.js']);
    // b held only a rebuildable folder: it existed, so it comes back as an empty directory.
    expect(snap.dirs).toEqual(['packages/b']);
    expect(snap.binary).toEqual({});
  });

  it('gives equal JSON for equal trees built in different orders', () => {
    const a = treeToSnapshot({ b: { file: { contents: '1' } }, a: { file: { contents: '2' } } });
    const b = treeToSnapshot({ a: { file: { contents: '2' } }, b: { file: { contents: '1' } } });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('Snapshot → FileSystemTree', () => {
  const snapshot: Snapshot = {
    ...emptySnapshot(),
    files: { 'a.txt': 'A', 'src/deep/x.ts': 'export {}\n', 'ünï cödé/ok.md': '✓' },
    binary: { 'img/logo.png': toBase64(png) },
    dirs: ['empty', 'src/also-empty'],
  };

  it('nests directories, decodes binary to bytes and keeps empty directories', () => {
    const tree = snapshotToTree(snapshot);
    expect(JSON.parse(JSON.stringify(tree))).toMatchObject({
      'a.txt': { file: { contents: 'A' } },
      src: { directory: { deep: { directory: { 'x.ts': { file: { contents: 'export {}\n' } } } }, 'also-empty': { directory: {} } } },
      empty: { directory: {} },
      'ünï cödé': { directory: { 'ok.md': { file: { contents: '✓' } } } },
    });
    const img = tree.img;
    expect(img && 'directory' in img && img.directory['logo.png']).toEqual({ file: { contents: png } });
  });

  it('round-trips through the tree exactly', () => {
    expect(treeToSnapshot(snapshotToTree(snapshot))).toEqual({ ...snapshot, dirs: [...snapshot.dirs].sort() });
  });

  it('treats names like __proto__ and constructor as ordinary names', () => {
    const tree = snapshotToTree({ ...emptySnapshot(), files: JSON.parse('{"__proto__/x.txt":"p","constructor":"c"}') as Record<string, string> });
    expect(treeToSnapshot(tree).files).toEqual(JSON.parse('{"__proto__/x.txt":"p","constructor":"c"}'));
  });

  it('refuses snapshots that are invalid or contradict themselves', () => {
    expect(() => snapshotToTree({ ...emptySnapshot(), files: { '../etc/passwd': 'x' } })).toThrow(/leaves the workspace/);
    expect(() => snapshotToTree({ ...emptySnapshot(), files: { '/abs': 'x' } })).toThrow(/not a relative path/);
    expect(() => snapshotToTree({ ...emptySnapshot(), files: { a: 'x', 'a/b': 'y' } })).toThrow(
      /runs through the file|twice|inside "a", which is a file/,
    );
    expect(() => snapshotToTree({ ...emptySnapshot(), files: { a: 'x' }, dirs: ['a'] })).toThrow(
      /twice or as a directory|both a file and a directory|is a file/,
    );
    expect(() => snapshotToTree({ format: 'nope' } as unknown as Snapshot)).toThrow(/not a workspace snapshot/);
  });
});

describe('export excludes', () => {
  it('names every rebuildable folder at any depth, itself and its contents', () => {
    const globs = exportExcludes();
    expect(globs).toContain('**/node_modules');
    expect(globs).toContain('**/node_modules/**');
    expect(globs).toContain('**/.vite/**');
  });
});
