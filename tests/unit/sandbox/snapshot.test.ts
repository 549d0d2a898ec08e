import { describe, expect, it } from 'vitest';
import {
  asText,
  emptySnapshot,
  fromBase64,
  isRebuildable,
  SNAPSHOT_VERSION,
  toBase64,
  validateSnapshot,
  type Snapshot,
} from '../../../src/sandbox/snapshot';

const snap = (over: Record<string, unknown>): unknown => ({ ...emptySnapshot(), ...over });

describe('snapshot helpers', () => {
  it('base64 round-trips every byte value and large buffers', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
    const big = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    expect(fromBase64(toBase64(big))).toEqual(big);
    expect(toBase64(new Uint8Array())).toBe('');
  });

  it('asText accepts UTF-8 without NUL and refuses the rest', () => {
    expect(asText(new TextEncoder().encode('héllo 文件 ✓'))).toBe('héllo 文件 ✓');
    expect(asText(new Uint8Array([0x68, 0x00, 0x69]))).toBeUndefined();
    expect(asText(new Uint8Array([0xff, 0xfe]))).toBeUndefined();
    expect(asText(new Uint8Array([0xe6, 0x96]))).toBeUndefined(); // cut in the middle of a character
    expect(asText(new Uint8Array())).toBe('');
  });

  it('isRebuildable matches rebuildable folder names anywhere, and nothing else', () => {
    expect(isRebuildable('node_modules')).toBe(true);
    expect(isRebuildable('packages/app/node_modules/x/index.js')).toBe(true);
    expect(isRebuildable('dist/index.js')).toBe(true);
    expect(isRebuildable('src/distance.ts')).toBe(false);
    expect(isRebuildable('my_node_modules/x')).toBe(false);
  });
});

describe('validateSnapshot', () => {
  it('accepts a valid snapshot and returns a clean copy', () => {
    const value = snap({ files: { 'a.txt': 'A', 'dir with space/ü 文.txt': 'u' }, binary: { 'b.bin': 'AAEC' }, dirs: ['empty'] });
    const out = validateSnapshot(JSON.parse(JSON.stringify(value)));
    expect(out).toEqual(value);
    expect(out.dirs).not.toBe((value as Snapshot).dirs);
  });

  it.each([
    ['null', null],
    ['a string', 'unroll-workspace'],
    ['an array', []],
    ['another format', { format: 'zip', version: 1 }],
  ])('refuses %s', (_, value) => {
    expect(() => validateSnapshot(value)).toThrow('not a workspace snapshot');
  });

  it('refuses other versions', () => {
    expect(() => validateSnapshot(snap({ version: SNAPSHOT_VERSION + 1 }))).toThrow('unsupported snapshot version 2');
    expect(() => validateSnapshot(snap({ version: '1' }))).toThrow('unsupported snapshot version 1');
  });

  it('refuses missing or mistyped records and lists', () => {
    expect(() => validateSnapshot(snap({ files: undefined }))).toThrow('"files" must be an object');
    expect(() => validateSnapshot(snap({ binary: ['x'] }))).toThrow('"binary" must be an object');
    expect(() => validateSnapshot(snap({ dirs: 'a' }))).toThrow('"dirs" must be a list');
    expect(() => validateSnapshot(snap({ dirs: [1] }))).toThrow('"dirs" must be a list');
  });

  it('refuses non-string file contents', () => {
    expect(() => validateSnapshot(snap({ files: { 'a.txt': 1 } }))).toThrow('file "a.txt" must be a string');
    expect(() => validateSnapshot(snap({ files: { 'a.txt': null } }))).toThrow('must be a string');
    expect(() => validateSnapshot(snap({ binary: { 'b.bin': { length: 1 } } }))).toThrow('must be a string');
  });

  it.each([
    ['/etc/passwd', 'not a relative path'],
    ['../escape', 'leaves the workspace'],
    ['a/../../escape', 'leaves the workspace'],
    ['a/./b', 'not normalised'],
    ['a//b', 'not normalised'],
    ['a/', 'not normalised'],
    ['', 'not a relative path'],
    ['a\\..\\b', 'not a relative path'],
    ['nul\0byte', 'holds U+0000 (a NUL)'],
  ])('refuses the path %j in files, binary and dirs', (path, message) => {
    expect(() => validateSnapshot(snap({ files: { [path]: 'x' } }))).toThrow(message);
    expect(() => validateSnapshot(snap({ binary: { [path]: 'AA==' } }))).toThrow(message);
    expect(() => validateSnapshot(snap({ dirs: [path] }))).toThrow(message);
  });

  it('treats "__proto__" as an ordinary name and never touches prototypes', () => {
    const parsed = JSON.parse('{"format":"unroll-workspace","version":1,"files":{"__proto__":"x","constructor":"y"},"binary":{},"dirs":[]}');
    const out = validateSnapshot(parsed);
    expect(Object.keys(out.files).sort()).toEqual(['__proto__', 'constructor']);
    expect(out.files['__proto__']).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const polluting = JSON.parse('{"format":"unroll-workspace","version":1,"files":{"__proto__":{"polluted":"yes"}},"binary":{},"dirs":[]}');
    expect(() => validateSnapshot(polluting)).toThrow('must be a string');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([['not base64!'], ['abcde'], ['ab=c'], ['a==='], ['A'], ['AB=']])('refuses the binary content %j', (text) => {
    expect(() => validateSnapshot(snap({ binary: { 'b.bin': text } }))).toThrow('"b.bin" is not base64');
  });

  it('accepts unpadded base64 that atob decodes', () => {
    for (const text of ['', 'AA', 'AAE', 'AAEC', 'AA==', 'AAE=']) {
      const out = validateSnapshot(snap({ binary: { 'b.bin': text } }));
      expect(() => fromBase64(out.binary['b.bin'] as string)).not.toThrow();
    }
  });

  it('refuses paths that could not all be written: duplicates and files under files', () => {
    expect(() => validateSnapshot(snap({ files: { a: 'x' }, binary: { a: 'AA==' } }))).toThrow('"a" is both a text and a binary file');
    expect(() => validateSnapshot(snap({ files: { a: 'x', 'a/b': 'y' } }))).toThrow('"a/b" is inside "a", which is a file');
    expect(() => validateSnapshot(snap({ binary: { a: 'AA==' }, dirs: ['a/c'] }))).toThrow('inside "a"');
    expect(() => validateSnapshot(snap({ files: { a: 'x' }, dirs: ['a'] }))).toThrow('"a" is both a file and a directory');
  });
});
