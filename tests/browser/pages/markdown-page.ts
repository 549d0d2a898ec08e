/**
 * Harness for tests/browser/poison-session.spec.ts: the real MarkdownView in Chromium, where
 * DOMPurify works. `window.__markdown` sets or grows the text and reports how long the page
 * took to apply it; texts are built in the page, as shipping 8 MB through the driver is slow.
 */
import { flushSync, mount } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import MarkdownView from '../../../src/ui/chat/MarkdownView.svelte';
import '../../../src/ui/global.css';

declare global {
  interface Window {
    __markdown?: {
      /** Shows `text`; milliseconds until the DOM had it. */
      show(text: string): number;
      /** Appends each delta in turn, as a streamed answer grows; the slowest step in milliseconds. */
      stream(deltas: string[]): number;
    };
  }
}

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
// A reactive holder without runes (this is a plain .ts module): the prop reads it through a getter.
const state = new SvelteMap([['text', '']]);
mount(MarkdownView, {
  target,
  props: {
    get text() {
      return state.get('text') ?? '';
    },
  },
});

function timed(work: () => void): number {
  const start = performance.now();
  work();
  flushSync();
  // Reading the height makes the browser lay the new content out within the measurement.
  void target!.offsetHeight;
  return performance.now() - start;
}

window.__markdown = {
  show: (text) => timed(() => state.set('text', text)),
  stream: (deltas) => Math.max(0, ...deltas.map((delta) => timed(() => state.set('text', (state.get('text') ?? '') + delta)))),
};
