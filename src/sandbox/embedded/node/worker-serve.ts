/**
 * The worker's side of a `node` run: runs each request on QuickJS and posts what it produces.
 * Output is batched (at most every OUTPUT_EVERY_MS or OUTPUT_CHARS) so a chatty script does
 * not flood the page with messages; filesystem changes are posted at once, in order.
 * Nothing here stops a spinning script: the page terminates the worker for that.
 */
import { runEngine } from './engine';
import type { FromWorker, ToWorker } from './worker-protocol';

const OUTPUT_EVERY_MS = 30;
const OUTPUT_CHARS = 64 * 1024;

export function serveRuns(post: (message: FromWorker) => void): (message: ToWorker) => void {
  return (message) => {
    if (message?.type !== 'run') return;
    const pending: Record<1 | 2, string> = { 1: '', 2: '' };
    let lastFlush = Date.now();
    const flush = () => {
      for (const fd of [1, 2] as const) {
        if (pending[fd]) post({ type: 'out', fd, text: pending[fd] });
        pending[fd] = '';
      }
      lastFlush = Date.now();
    };
    void runEngine(message.request, {
      write(fd, text) {
        pending[fd] += text;
        if (pending[1].length + pending[2].length >= OUTPUT_CHARS || Date.now() - lastFlush >= OUTPUT_EVERY_MS) flush();
      },
      fsOp(op) {
        flush();
        post({ type: 'fs', op });
      },
      // Polled mid-computation too: output written before a long computation still shows.
      aborted() {
        if (Date.now() - lastFlush >= OUTPUT_EVERY_MS) flush();
        return false;
      },
      sleep(ms) {
        flush();
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    }).then((result) => {
      flush();
      post({ type: 'done', result });
    });
  };
}
