/**
 * Retry timing for model requests. The engine loop owns the retry loop; this file only
 * computes limits and delays so the numbers live in one place.
 */
import type { ModelErrorShape } from './ports';

/** Attempts after the first for a request that failed before any event arrived. */
export const MAX_REQUEST_RETRIES = 4;
/** Attempts after the first for a stream that broke (cut short, stalled, malformed). */
export const MAX_STREAM_RETRIES = 5;
/** Delay before the first retry; doubles with each further attempt. */
export const BASE_BACKOFF_MS = 200;
/** Upper bound on any delay, including one the server asked for. */
export const MAX_BACKOFF_MS = 60_000;
/** Jitter as a fraction of the computed delay (±10 %). */
export const BACKOFF_JITTER = 0.1;

/**
 * How long to wait before retry number `attempt` (1 for the first retry).
 * The server's delay (`retryAfterMs`) wins when present, capped at `MAX_BACKOFF_MS`;
 * otherwise `BASE_BACKOFF_MS × 2^(attempt−1)` with ±10 % jitter. `rand` must return [0, 1).
 */
export function backoffMs(attempt: number, error?: Pick<ModelErrorShape, 'retryAfterMs'> | null, rand: () => number = Math.random): number {
  const serverDelay = error?.retryAfterMs;
  if (typeof serverDelay === 'number' && Number.isFinite(serverDelay)) {
    return Math.min(Math.max(0, Math.round(serverDelay)), MAX_BACKOFF_MS);
  }
  const n = Math.max(1, Math.floor(Number.isFinite(attempt) ? attempt : 1));
  // Cap the exponent so huge attempt numbers cannot overflow to Infinity.
  const base = BASE_BACKOFF_MS * 2 ** Math.min(n - 1, 20);
  const jitter = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * clamp01(rand());
  return Math.min(Math.round(base * jitter), MAX_BACKOFF_MS);
}

/**
 * How many retries a failure deserves: none when it is not retryable, the stream budget for
 * failures of an open stream (`stream`, `timeout`), the request budget otherwise.
 */
export function maxRetriesFor(error: Pick<ModelErrorShape, 'kind' | 'retryable'>): number {
  if (!error.retryable) return 0;
  return error.kind === 'stream' || error.kind === 'timeout' ? MAX_STREAM_RETRIES : MAX_REQUEST_RETRIES;
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0.5;
  return Math.min(Math.max(value, 0), 1);
}
