/** Reads the delay a server asks for before the next attempt. */

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * From response headers: `retry-after-ms` (milliseconds), else `retry-after` as seconds or an
 * HTTP date. Returns milliseconds (≥ 0) or undefined. `now` is injectable for tests.
 * Browsers hide these headers on cross-origin responses unless the server exposes them.
 */
export function parseRetryAfter(headers: HeaderSource | undefined | null, now: number = Date.now()): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = headers.get('retry-after')?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** From an error message ("Please try again in 1.2s"): the same reading the engine uses. */
export { delayFromMessage as retryAfterFromMessage } from '../core/failures';
