/** The matching levels of apply_patch (seekSequence) and hunks applied to a file's text (applyHunks). */
import { describe, expect, it } from 'vitest';
import { applyHunks, normalizeUnicode, seekSequence } from '../../../src/core/tools/apply-patch/match';
import { PatchError, parsePatch } from '../../../src/core/tools/apply-patch/parse';
import { lines, wrap } from '../../support/apply-patch-fixtures';

/** Applies one Update hunk list to `text` as file `f`. */
function update(text: string, ...body: string[]): string {
  const op = parsePatch(wrap('*** Update File: f', ...body)).ops[0];
  if (op?.kind !== 'update') throw new Error('not an update');
  return applyHunks(text, op.hunks, 'f');
}

describe('seekSequence: the four matching levels', () => {
  it('level 1, exact: preferred over a looser match that comes earlier', () => {
    expect(seekSequence(['  foo', 'bar', 'foo'], ['foo'], 0)).toEqual({ index: 2, level: 'exact' });
  });

  it('level 2, ignoring trailing whitespace: only it matches', () => {
    const file = [' foo', 'foo  \t'];
    expect(seekSequence(file, ['foo'], 0)).toEqual({ index: 1, level: 'trim-end' });
  });

  it('level 3, ignoring leading and trailing whitespace: only it matches', () => {
    expect(seekSequence(['x', '\tfoo(a);  ', 'y'], ['  foo(a);'], 0)).toEqual({ index: 1, level: 'trim' });
  });

  it('level 4, unicode punctuation: only it matches', () => {
    const file = ['const s = “it’s — fine…”;', 'a\u00A0=\u2009b'];
    expect(seekSequence(file, [`const s = "it's - fine...";`], 0)).toEqual({ index: 0, level: 'unicode' });
    expect(seekSequence(file, ['a = b'], 0)).toEqual({ index: 1, level: 'unicode' });
  });

  it('normalizes quotes, dashes, spaces and ellipsis to ASCII', () => {
    expect(normalizeUnicode('‘a’ “b” ‐‑‒–—―− …\u00A0\u3000\u200B.')).toBe(`'a' "b" ------- ...  .`);
  });

  it('searches from the start position and honours end-of-file anchoring', () => {
    const file = ['x', 'end', 'y', 'end'];
    expect(seekSequence(file, ['end'], 2)?.index).toBe(3);
    expect(seekSequence(file, ['end'], 0)?.index).toBe(1);
    expect(seekSequence(file, ['end'], 0, true)?.index).toBe(3);
    expect(seekSequence(file, ['x'], 0, true)?.index).toBe(0); // falls back to a normal scan
    expect(seekSequence(file, ['nope'], 0)).toBeNull();
    expect(seekSequence(['a'], ['a', 'b'], 0)).toBeNull();
  });
});

describe('applyHunks', () => {
  it('applies at each matching level', () => {
    expect(update('a  \nb\n', '@@', '-a', '+A')).toBe('A\nb\n');
    expect(update('  a\nb\n', '@@', ' a', '-b', '+B')).toBe('  a\nB\n');
    expect(update('say “hi”\n', '@@', '-say "hi"', '+say "bye"')).toBe('say "bye"\n');
  });

  it("keeps the file's own text for context lines that matched loosely", () => {
    expect(update('\tx = “q”  \ny\n', '@@', ' x = "q"', '-y', '+z')).toBe('\tx = “q”  \nz\n');
  });

  it('applies several hunks in order, each searching after the previous one', () => {
    const file = 'x = 1\nsep\nx = 1\nsep\n';
    expect(update(file, '@@', '-x = 1', '+x = 2', '@@', '-x = 1', '+x = 3')).toBe('x = 2\nsep\nx = 3\nsep\n');
  });

  it('uses an @@ context line to pick the right occurrence', () => {
    const file = lines('def a():', '    return 0', 'def b():', '    return 0', '');
    expect(update(file, '@@ def b():', '-    return 0', '+    return 1')).toBe(lines('def a():', '    return 0', 'def b():', '    return 1', ''));
  });

  it('tolerates the @@ context line repeated as the first context line', () => {
    const file = 'def a():\n    pass\n';
    expect(update(file, '@@ def a():', ' def a():', '-    pass', '+    return 1')).toBe('def a():\n    return 1\n');
  });

  it('anchors End of File hunks at the end', () => {
    const file = 'end\nmiddle\nend\n';
    expect(update(file, '@@', '-end', '+END', '*** End of File')).toBe('end\nmiddle\nEND\n');
  });

  it('inserts pure additions after the @@ line, or at the end without one', () => {
    expect(update('a\nb\n', '@@ a', '+inserted')).toBe('a\ninserted\nb\n');
    expect(update('a\nb\n', '@@', '+tail')).toBe('a\nb\ntail\n');
  });

  it('preserves a missing trailing newline and CRLF line endings', () => {
    expect(update('a\nb', '@@', '-b', '+c')).toBe('a\nc');
    expect(update('a\r\nb\r\n', '@@', '-a', '+x', '+y')).toBe('x\r\ny\r\nb\r\n');
    expect(update('', '@@', '+first')).toBe('first\n');
  });

  it('drops a trailing blank context line that the file does not have', () => {
    expect(update('a\nb', '@@', '-b', '+c', ' ')).toBe('a\nc');
  });

  it('reports missing lines with the file name, the expected lines and the closest place', () => {
    let err: unknown;
    try {
      update('one\ntwo\nthree\n', '@@', ' one', '-TWO', '+2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchError);
    const message = (err as Error).message;
    expect(message).toContain('in f');
    expect(message).toContain('  | one\n  | TWO');
    expect(message).toContain('line 1: the first 1 line(s) match');
    expect(message).toContain('"two"');
  });

  it('reports a missing @@ context line', () => {
    expect(() => update('a\n', '@@ class Nope:', '-a', '+b')).toThrow(/context line "@@ class Nope:" was not found/);
  });
});
