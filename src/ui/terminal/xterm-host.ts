/**
 * xterm.js in one element: fitted to it, themed after the system colour scheme. This module
 * (with xterm, its fit addon and its CSS) is only ever imported dynamically, so none of it is
 * in the first bundle.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { createFocusEscape } from './focus-escape';
import { DARK_THEME, LIGHT_THEME } from './themes';
import { xtermOptions } from './xterm-options';

export interface XtermHost {
  readonly cols: number;
  readonly rows: number;
  write(data: string): void;
  focus(): void;
  /** Keys and pastes, as the bytes a terminal sends. */
  onData(listener: (data: string) => void): () => void;
  /** Columns and rows after a fit changed them. */
  onResize(listener: (size: { cols: number; rows: number }) => void): () => void;
  dispose(): void;
}

export interface XtermHostOptions {
  /** Id of the element that describes the terminal (its keyboard way out) to assistive technology. */
  describedBy?: string;
}

/**
 * Opens a terminal in `element`, which must be laid out (have a size) to fit it. Esc then
 * Tab (or Shift+Tab) moves focus out of it (see focus-escape.ts).
 */
export function createXtermHost(element: HTMLElement, options: XtermHostOptions = {}): XtermHost {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const term = new Terminal(xtermOptions(dark.matches));
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.attachCustomKeyEventHandler(createFocusEscape());
  term.open(element);
  if (options.describedBy) term.textarea?.setAttribute('aria-describedby', options.describedBy);
  fit.fit();

  const onScheme = () => (term.options.theme = dark.matches ? DARK_THEME : LIGHT_THEME);
  dark.addEventListener('change', onScheme);

  // Several size changes in one frame (a dragged splitter) cost one fit.
  let frame = 0;
  const observer = new ResizeObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      fit.fit();
    });
  });
  observer.observe(element);

  return {
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
    write: (data) => term.write(data),
    focus: () => term.focus(),
    onData(listener) {
      const subscription = term.onData(listener);
      return () => subscription.dispose();
    },
    onResize(listener) {
      const subscription = term.onResize(listener);
      return () => subscription.dispose();
    },
    dispose() {
      observer.disconnect();
      cancelAnimationFrame(frame);
      dark.removeEventListener('change', onScheme);
      term.dispose();
    },
  };
}
