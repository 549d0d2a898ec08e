/**
 * The options of the terminal pane's xterm, apart from the DOM it is opened in (pure, so they
 * are tested against a real xterm in Node).
 *
 * `convertEol`: a bare LF also returns to column 1. Programs on the WebContainer's
 * pseudo-terminal and messages the app prints may end lines with LF alone; without it each
 * such line would start where the previous one ended. Output that already ends lines with
 * CRLF (the embedded shell's, jsh's) looks the same either way: CR CR LF is CR LF.
 */
import type { ITerminalOptions } from '@xterm/xterm';
import { DARK_THEME, LIGHT_THEME } from './themes';

const FONT = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

export function xtermOptions(dark: boolean): ITerminalOptions {
  return {
    fontFamily: FONT,
    fontSize: 13,
    lineHeight: 1.15,
    cursorBlink: true,
    scrollback: 5000,
    convertEol: true,
    theme: dark ? DARK_THEME : LIGHT_THEME,
  };
}
