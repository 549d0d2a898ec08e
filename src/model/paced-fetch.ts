/**
 * A fetch whose response bodies arrive in small pieces with the event loop let through now
 * and then. When a page falls behind a fast stream, the network hands over megabytes at once;
 * the SSE parser then works through all of it in one task (copying its buffer per event, so
 * the work grows with the square of the piece), and the page cannot paint or take input until
 * it is done. Cutting bodies into pieces of at most `maxChunkBytes` bounds that work, and
 * yielding a macrotask every `sliceMs` lets the page render between pieces.
 */

export interface PacedFetchOptions {
  /** Largest piece handed on at once. Default 16 KiB. */
  maxChunkBytes?: number;
  /** Longest stretch of work between two yields to the event loop. Default 8 ms. */
  sliceMs?: number;
  now?: () => number;
  /** How to yield; default a MessageChannel message (no 4 ms timer clamp), else setTimeout. */
  yieldToLoop?: () => Promise<void>;
  /** Called with the size of every piece the network delivers, before any parsing. */
  onBytes?: (bytes: number) => void;
}

export function pacedFetch(inner: typeof fetch, options: PacedFetchOptions = {}): typeof fetch {
  const max = options.maxChunkBytes ?? 16 * 1024;
  const sliceMs = options.sliceMs ?? 8;
  const now = options.now ?? (() => performance.now());
  const pause = options.yieldToLoop ?? defaultYield();
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const reader = response.body.getReader();
    let pending: Uint8Array | null = null;
    let sliceStart = now();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (now() - sliceStart > sliceMs) {
          await pause();
          sliceStart = now();
        }
        if (!pending || pending.length === 0) {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            return;
          }
          pending = value;
          options.onBytes?.(value.byteLength);
        }
        const piece: Uint8Array = pending.length > max ? pending.subarray(0, max) : pending;
        pending = pending.length > max ? pending.subarray(max) : null;
        controller.enqueue(piece);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function defaultYield(): () => Promise<void> {
  if (typeof MessageChannel === 'function') {
    return () =>
      new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
}
