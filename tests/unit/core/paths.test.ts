import { describe, expect, it } from 'vitest';
import { dirname, isInside, joinPath, normalizePath, pathsBetween, resolvePath } from '../../../src/core/paths';

describe('normalizePath', () => {
  it.each([
    ['/', '/'],
    ['', '.'],
    ['.', '.'],
    ['./', '.'],
    ['/workspace/', '/workspace'],
    ['//workspace///src//', '/workspace/src'],
    ['/workspace/./src/.', '/workspace/src'],
    ['/workspace/src/../lib', '/workspace/lib'],
    ['/..', '/'],
    ['/../../etc', '/etc'],
    ['/a/b/../../..', '/'],
    ['a/b/..', 'a'],
    ['a/..', '.'],
    ['../a', '../a'],
    ['a/../../b', '../b'],
    ['../../', '../..'],
    ['a\\b', 'a\\b'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });
});

describe('joinPath', () => {
  it('joins with one slash and normalises', () => {
    expect(joinPath('/workspace', 'src', 'a.ts')).toBe('/workspace/src/a.ts');
    expect(joinPath('/workspace/', '/src/')).toBe('/workspace/src');
    expect(joinPath('/workspace', '../etc')).toBe('/etc');
    expect(joinPath('a', 'b')).toBe('a/b');
  });

  it('ignores empty parts', () => {
    expect(joinPath('', '/workspace', '', 'x')).toBe('/workspace/x');
    expect(joinPath('/workspace', '')).toBe('/workspace');
    expect(joinPath()).toBe('.');
  });
});

describe('resolvePath', () => {
  it('resolves a relative target against the base', () => {
    expect(resolvePath('/workspace', 'src/a.ts')).toBe('/workspace/src/a.ts');
    expect(resolvePath('/workspace/src', '../README.md')).toBe('/workspace/README.md');
    expect(resolvePath('/workspace', '.')).toBe('/workspace');
    expect(resolvePath('/workspace', '')).toBe('/workspace');
  });

  it('keeps an absolute target, normalised', () => {
    expect(resolvePath('/workspace', '/tmp//x/../y')).toBe('/tmp/y');
    expect(resolvePath('/workspace', '/')).toBe('/');
  });

  it('cannot climb above the filesystem root', () => {
    expect(resolvePath('/workspace', '../../../..')).toBe('/');
  });
});

describe('dirname', () => {
  it.each([
    ['/workspace/src/a.ts', '/workspace/src'],
    ['/workspace/src/', '/workspace'],
    ['/workspace', '/'],
    ['/', '/'],
    ['a/b', 'a'],
    ['a', '.'],
    ['.', '.'],
    ['/a/b/../c', '/a'],
  ])('%j → %j', (input, expected) => {
    expect(dirname(input)).toBe(expected);
  });
});

describe('isInside', () => {
  it('accepts the root itself and anything below it', () => {
    expect(isInside('/workspace', '/workspace')).toBe(true);
    expect(isInside('/workspace', '/workspace/')).toBe(true);
    expect(isInside('/workspace', '/workspace/src/a.ts')).toBe(true);
    expect(isInside('/workspace/', '/workspace/src')).toBe(true);
  });

  it('rejects a sibling that merely shares the prefix', () => {
    expect(isInside('/workspace', '/workspace2')).toBe(false);
    expect(isInside('/workspace', '/workspace2/a')).toBe(false);
    expect(isInside('/workspace', '/workspace-old')).toBe(false);
  });

  it('rejects parents and paths that climb out', () => {
    expect(isInside('/workspace', '/')).toBe(false);
    expect(isInside('/workspace/src', '/workspace')).toBe(false);
    expect(isInside('/workspace', '/workspace/../etc/passwd')).toBe(false);
    expect(isInside('/workspace', '/workspace/src/../../workspace2')).toBe(false);
  });

  it('accepts a path that climbs out and back in', () => {
    expect(isInside('/workspace', '/workspace/src/../lib')).toBe(true);
    expect(isInside('/workspace', '/tmp/../workspace/x')).toBe(true);
  });

  it('treats "/" as holding every absolute path but no relative one', () => {
    expect(isInside('/', '/')).toBe(true);
    expect(isInside('/', '/anything/at/all')).toBe(true);
    expect(isInside('/', 'relative')).toBe(false);
  });
});

describe('pathsBetween', () => {
  it('lists every directory from the outer one down to the inner one, both included', () => {
    expect(pathsBetween('/workspace', '/workspace/packages/app/src')).toEqual([
      '/workspace',
      '/workspace/packages',
      '/workspace/packages/app',
      '/workspace/packages/app/src',
    ]);
  });

  it('starts at "/" when asked to', () => {
    expect(pathsBetween('/', '/a/b')).toEqual(['/', '/a', '/a/b']);
    expect(pathsBetween('/', '/')).toEqual(['/']);
  });

  it('is just the directory when both ends are equal (after normalising)', () => {
    expect(pathsBetween('/workspace', '/workspace')).toEqual(['/workspace']);
    expect(pathsBetween('/workspace/', '/workspace/./')).toEqual(['/workspace']);
  });

  it('normalises both ends', () => {
    expect(pathsBetween('/workspace/src/..', '/workspace//lib/./x/')).toEqual(['/workspace', '/workspace/lib', '/workspace/lib/x']);
  });

  it('is empty when the inner path is not inside the outer one', () => {
    expect(pathsBetween('/workspace', '/workspace2/src')).toEqual([]);
    expect(pathsBetween('/workspace/src', '/workspace')).toEqual([]);
    expect(pathsBetween('/a', '/b/c')).toEqual([]);
  });
});
