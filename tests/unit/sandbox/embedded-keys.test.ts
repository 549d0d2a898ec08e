import { describe, expect, it } from 'vitest';
import { KeyDecoder } from '../../../src/sandbox/embedded/keys';
import { LineEditor, width } from '../../../src/sandbox/embedded/line-editor';

describe('KeyDecoder', () => {
  it('merges printable runs, including non-ASCII, into one text key', () => {
    expect(new KeyDecoder().feed('ls -la ünï 文件')).toEqual([{ name: 'text', text: 'ls -la ünï 文件' }]);
  });

  it('decodes Enter (CR, LF, CRLF once, even across writes), control keys and sequences', () => {
    const d = new KeyDecoder();
    expect(d.feed('a\rb\nc\r\nd\r').map((k) => k.name)).toEqual(['text', 'enter', 'text', 'enter', 'text', 'enter', 'text', 'enter']);
    expect(d.feed('\n')).toEqual([]); // the LF of a CRLF split across writes
    expect(d.feed('\x7f\b\x03\x04\x0c\x15\x0b\x17\x01\x05\x02\x06\x10\x0e\t').map((k) => k.name)).toEqual([
      'backspace',
      'backspace',
      'interrupt',
      'eof',
      'clear-screen',
      'kill-start',
      'kill-end',
      'delete-word',
      'home',
      'end',
      'left',
      'right',
      'up',
      'down',
      'tab',
    ]);
    expect(d.feed('\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1bOH\x1bOF\x1b[1~\x1b[4~\x1b[7~\x1b[8~\x1b[3~\x1b[1;5D').map((k) => k.name)).toEqual([
      'up',
      'down',
      'right',
      'left',
      'home',
      'end',
      'home',
      'end',
      'home',
      'end',
      'home',
      'end',
      'delete',
      'left',
    ]);
  });

  it('ignores unknown sequences, Alt+key, a lone Escape and other control characters', () => {
    const d = new KeyDecoder();
    expect(d.feed('\x1b[200~pasted\x1b[201~')).toEqual([{ name: 'text', text: 'pasted' }]);
    expect(d.feed('\x1bb\x1b[15~\x07x')).toEqual([{ name: 'text', text: 'x' }]);
    expect(d.feed('\x1b')).toEqual([]);
    expect(d.feed('y')).toEqual([{ name: 'text', text: 'y' }]);
  });

  it('holds a CSI sequence split across writes', () => {
    const d = new KeyDecoder();
    expect(d.feed('ab\x1b[1;')).toEqual([{ name: 'text', text: 'ab' }]);
    expect(d.feed('5Cc')).toEqual([{ name: 'right' }, { name: 'text', text: 'c' }]);
  });
});

describe('LineEditor', () => {
  it('counts terminal columns: wide CJK and emoji 2, combining marks 0', () => {
    expect(width(Array.from('abc'))).toBe(3);
    expect(width(Array.from('文件'))).toBe(4);
    expect(width(Array.from('e\u0301'))).toBe(1);
    expect(width(Array.from('🙂'))).toBe(2);
  });

  it('returns the redraw for edits in the middle of the line', () => {
    const e = new LineEditor();
    e.insert('ac');
    expect(e.left()).toBe('\x1b[1D');
    expect(e.insert('b')).toBe('bc\x1b[1D');
    expect(e.backspace()).toBe('\x1b[1Dc\x1b[K\x1b[1D');
    expect(e.home()).toBe('\x1b[1D');
    expect(e.end()).toBe('\x1b[2C');
    expect([e.text, e.cursorIndex]).toEqual(['ac', 2]);
  });

  it('keeps at most maxHistory entries', () => {
    const e = new LineEditor(2);
    for (const line of ['a', 'b', 'c']) e.remember(line);
    expect(e.entries).toEqual(['b', 'c']);
  });
});
