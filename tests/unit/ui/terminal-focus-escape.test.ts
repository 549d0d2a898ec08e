/** The terminal's keyboard way out: which key events xterm leaves to the browser. */
import { describe, expect, it } from 'vitest';
import { createFocusEscape, type KeyEventLike } from '../../../src/ui/terminal/focus-escape';

const key = (k: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({
  type: 'keydown',
  key: k,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...extra,
});

describe('createFocusEscape', () => {
  it('Tab alone and Esc alone stay with the terminal', () => {
    const handle = createFocusEscape();
    expect(handle(key('Tab'))).toBe(true);
    expect(handle(key('Escape'))).toBe(true);
    expect(handle(key('a'))).toBe(true);
    expect(handle(key('Tab'))).toBe(true);
  });

  it('Esc then Tab, and Esc then Shift+Tab, go to the browser once', () => {
    const handle = createFocusEscape();
    expect(handle(key('Escape'))).toBe(true);
    expect(handle(key('Tab'))).toBe(false);
    expect(handle(key('Tab'))).toBe(true);
    handle(key('Escape'));
    handle({ ...key('Escape'), type: 'keyup' });
    expect(handle(key('Shift', { shiftKey: true } as Partial<KeyEventLike>))).toBe(true);
    expect(handle(key('Tab'))).toBe(false);
  });

  it('another key between Esc and Tab cancels the way out', () => {
    const handle = createFocusEscape();
    handle(key('Escape'));
    handle(key('x'));
    expect(handle(key('Tab'))).toBe(true);
    handle(key('Escape'));
    expect(handle(key('Tab', { ctrlKey: true }))).toBe(true);
  });
});
