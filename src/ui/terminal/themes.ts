/**
 * Terminal colours for both system themes, matching global.css's --bg/--fg. The light palette
 * darkens the ANSI colours so coloured output (the prompt, ls, diffs) stays readable on white.
 */
import type { ITheme } from '@xterm/xterm';

export const DARK_THEME: ITheme = {
  background: '#0f1216',
  foreground: '#e6e9ee',
  cursor: '#e6e9ee',
  cursorAccent: '#0f1216',
  selectionBackground: '#3a4a66',
  black: '#1d2128',
  red: '#ff6b6b',
  green: '#5fd38a',
  yellow: '#f2c94c',
  blue: '#6aa2ff',
  magenta: '#d08cff',
  cyan: '#4fd1d9',
  white: '#c9d1d9',
  brightBlack: '#6e7681',
  brightRed: '#ff8f8f',
  brightGreen: '#7ee2a3',
  brightYellow: '#ffe08a',
  brightBlue: '#8fb8ff',
  brightMagenta: '#e0aaff',
  brightCyan: '#7ee6ec',
  brightWhite: '#ffffff',
};

export const LIGHT_THEME: ITheme = {
  background: '#ffffff',
  foreground: '#1d2128',
  cursor: '#1d2128',
  cursorAccent: '#ffffff',
  selectionBackground: '#b6d3ff',
  black: '#1d2128',
  red: '#c4262e',
  green: '#1a7f37',
  yellow: '#8a6100',
  blue: '#0b5cd5',
  magenta: '#8e3ab8',
  cyan: '#0b7a83',
  white: '#5b6472',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#116329',
  brightYellow: '#6f4e00',
  brightBlue: '#0a4aa8',
  brightMagenta: '#6e2b91',
  brightCyan: '#06626a',
  brightWhite: '#1d2128',
};
