import { describe, expect, it } from 'vitest';
import { confine, relativeTo, watchedPath } from '../../../src/sandbox/webcontainer/paths';
import { insideRebuildable } from '../../../src/sandbox/webcontainer/watch';

const root = '/home/workspace';

describe('confining paths to the workdir', () => {
  it('resolves relative and absolute paths inside the root to workdir-relative form', () => {
    expect(confine(root, 'src/a.ts')).toEqual({ abs: '/home/workspace/src/a.ts', rel: 'src/a.ts' });
    expect(confine(root, '/home/workspace/src/../b c/ü.txt')).toEqual({ abs: '/home/workspace/b c/ü.txt', rel: 'b c/ü.txt' });
    expect(confine(root, '.')).toEqual({ abs: root, rel: '.' });
    expect(confine(root, '')).toEqual({ abs: root, rel: '.' });
    expect(confine(root, '/home/workspace/')).toEqual({ abs: root, rel: '.' });
  });

  it('refuses paths outside the root, however they get there', () => {
    for (const path of ['../../etc/passwd', '/etc/passwd', '/home/workspace2/x', 'a/../../x', '/home', '..']) {
      expect(() => confine(root, path), path).toThrow(/outside the workspace/);
    }
    expect(() => confine(root, 'a\0b')).toThrow(/not a valid path/);
  });

  it('relativeTo handles the root and a root of /', () => {
    expect(relativeTo(root, root)).toBe('.');
    expect(relativeTo('/', '/x/y')).toBe('x/y');
  });

  it('reads watcher filenames relative to the root or absolute, ignoring the rest', () => {
    expect(watchedPath(root, 'src/a.ts')).toBe('/home/workspace/src/a.ts');
    expect(watchedPath(root, '/home/workspace/src/a.ts')).toBe('/home/workspace/src/a.ts');
    expect(watchedPath(root, '')).toBeUndefined();
    expect(watchedPath(root, '.')).toBeUndefined();
    expect(watchedPath(root, '../outside')).toBeUndefined();
    expect(watchedPath(root, '/tmp/x')).toBeUndefined();
  });

  it('knows what lies strictly inside a rebuildable folder', () => {
    expect(insideRebuildable('node_modules')).toBe(false);
    expect(insideRebuildable('node_modules/react/index.js')).toBe(true);
    expect(insideRebuildable('packages/a/dist/x.js')).toBe(true);
    expect(insideRebuildable('src/distance.ts')).toBe(false);
  });
});
