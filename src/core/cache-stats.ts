/**
 * How much of each request a prompt cache can reuse: the bytes that repeat the previous
 * request exactly from its start. Requests are compared as a cache reads them, static parts
 * first (model, instructions, tools), then `input`.
 */
import { utf8Length } from './tokens';

export interface CacheableBody {
  model?: unknown;
  instructions?: unknown;
  tools?: unknown;
  input?: unknown;
}

/** The request as one string in the order a prompt cache reads it. */
export function cacheText(body: CacheableBody): string {
  return JSON.stringify({ model: body.model, instructions: body.instructions, tools: body.tools, input: body.input });
}

/** Length (UTF-16 units) of the longest common prefix of `a` and `b`. */
export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Compare in blocks first: much faster than char by char on long equal prefixes.
  const block = 4096;
  while (i + block <= n && a.slice(i, i + block) === b.slice(i, i + block)) i += block;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export interface PrefixSample {
  /** UTF-8 bytes of the request (as `cacheText`). */
  bytes: number;
  /** Of those, the bytes that are an exact prefix of the previous request. */
  prefixBytes: number;
}

/** Compares each request with the one before; remembers only the last request's text. */
export class PrefixTracker {
  #previous: string | undefined;

  next(text: string): PrefixSample {
    const bytes = utf8Length(text);
    const previous = this.#previous;
    this.#previous = text;
    if (previous === undefined) return { bytes, prefixBytes: 0 };
    const shared = commonPrefixLength(previous, text);
    return { bytes, prefixBytes: shared === text.length ? bytes : utf8Length(text.slice(0, shared)) };
  }

  reset(): void {
    this.#previous = undefined;
  }
}

export interface PrefixStats {
  requests: number;
  /** Sum of every request's bytes: what a server without a cache processes. */
  totalBytes: number;
  /** Sum of the bytes each request shares as a prefix with the previous one. */
  prefixBytes: number;
  /** prefixBytes / totalBytes (0 without requests). */
  prefixShare: number;
  /** totalBytes − prefixBytes: what a server with a perfect prefix cache processes anew. */
  newBytes: number;
  /**
   * The quadratic worst case: what the requests would total had nothing ever been dropped,
   * each one resending everything before it (request i = request i−1 + its new bytes).
   */
  quadraticBytes: number;
  /** Requests that do not extend the previous request exactly (compactions, edits). */
  breaks: number;
  /** The prefix share counting only requests that extend their predecessor exactly. */
  prefixShareBetweenBreaks: number;
}

/**
 * Prefix statistics for a session's requests in order: parsed bodies (`input` and the static
 * fields) or strings already in `cacheText` form.
 */
export function prefixStats(bodies: Iterable<CacheableBody | string>): PrefixStats {
  const tracker = new PrefixTracker();
  let requests = 0;
  let totalBytes = 0;
  let prefixBytes = 0;
  let quadraticBytes = 0;
  let grown = 0;
  let breaks = 0;
  let previousBytes = 0;
  let extendingBytes = 0;
  let extendingPrefix = 0;
  for (const body of bodies) {
    const sample = tracker.next(typeof body === 'string' ? body : cacheText(body));
    if (requests > 0) {
      // An exact extension shares the whole previous request except its closing brackets.
      const extends_ = sample.prefixBytes >= previousBytes - 4;
      if (extends_) {
        extendingBytes += sample.bytes;
        extendingPrefix += sample.prefixBytes;
      } else breaks++;
    }
    requests++;
    totalBytes += sample.bytes;
    prefixBytes += sample.prefixBytes;
    grown += sample.bytes - sample.prefixBytes;
    quadraticBytes += grown;
    previousBytes = sample.bytes;
  }
  return {
    requests,
    totalBytes,
    prefixBytes,
    prefixShare: totalBytes > 0 ? prefixBytes / totalBytes : 0,
    newBytes: totalBytes - prefixBytes,
    quadraticBytes,
    breaks,
    prefixShareBetweenBreaks: extendingBytes > 0 ? extendingPrefix / extendingBytes : 0,
  };
}
