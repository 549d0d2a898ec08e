/**
 * The terminal's keyboard way out (WCAG 2.1.2, no keyboard trap). xterm takes Tab, Shift+Tab
 * and Esc for the shell, so once focused it would keep focus forever. Here Esc, then Tab or
 * Shift+Tab, hands that Tab back to the browser, which moves focus to the next or previous
 * focusable element. The Esc itself still reaches the shell and the programs in it, and a
 * Tab without an Esc just before it still reaches the shell (completion).
 */

/** Said to assistive technology (aria-describedby) and shown while the terminal has focus. */
export const FOCUS_ESCAPE_HINT = 'Esc then Tab leaves the terminal (Esc then Shift+Tab goes back); Tab alone completes.';

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

/** The part of a KeyboardEvent the handler reads. */
export type KeyEventLike = Pick<KeyboardEvent, 'type' | 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>;

/**
 * A handler for xterm's `attachCustomKeyEventHandler`: returns false (xterm ignores the
 * event, the browser does its default) only for the Tab that follows an Esc.
 */
export function createFocusEscape(): (event: KeyEventLike) => boolean {
  let armed = false;
  return (event) => {
    if (event.type !== 'keydown' || MODIFIERS.has(event.key)) return true;
    if (event.key === 'Tab' && armed && !event.ctrlKey && !event.altKey && !event.metaKey) {
      armed = false;
      return false;
    }
    armed = event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey;
    return true;
  };
}
