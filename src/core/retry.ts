/**
 * The retry rule for model requests, in one place: whether a failure is worth another attempt
 * (`isRetryable`, which every ModelError takes its `retryable` from), how many attempts each
 * phase of a request gets, and how long to wait before each (`Retries`, `backoffMs`). The retry
 * loops themselves (sampling, remote compaction) only ask.
 */
import type { ModelErrorKind, ModelErrorShape } from './ports';

/** Attempts after the first for a request that failed before any event arrived. */
export const MAX_REQUEST_RETRIES = 4;
/** Attempts after the first for a stream that broke (cut short, stalled, malformed). */
const MAX_STREAM_RETRIES = 5;
/** Delay before the first retry; doubles with each further attempt. */
const BASE_BACKOFF_MS = 200;
/** Upper bound on any delay, including one the server asked for. */
const MAX_BACKOFF_MS = 60_000;
/** Jitter as a fraction of the computed delay (±10 %). */
const BACKOFF_JITTER = 0.1;

/** Kinds of failure that pass: rate limits, server trouble, the network, timeouts, broken streams. */
const TRANSIENT_KINDS: ReadonlySet<ModelErrorKind> = new Set(['rate_limit', 'server', 'network', 'timeout', 'stream']);

/** Failure codes the Responses API (and servers like it) use for conditions that pass. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'rate_limit_exceeded',
  'slow_down',
  'server_error',
  'internal_error',
  'server_is_overloaded',
  'overloaded',
  'service_unavailable',
  'timeout',
]);

/** What the rule looks at in a failure. */
export interface FailureFacts {
  kind: ModelErrorKind;
  /** The server's failure code, when it sent one. */
  code?: string | undefined;
  /** The HTTP status, when the failure was an HTTP response. */
  status?: number | undefined;
  /** Something was thrown that no client classified: a bug, not a condition that passes. */
  unclassified?: boolean;
}

/**
 * Whether another attempt can help: yes for the transient kinds, with two exceptions. A
 * `server` failure that came without an HTTP status (a stream's `response.failed` or `error`
 * event) is the server's considered answer, retried only when its code names a transient
 * condition; and an unclassified failure never is.
 */
export function isRetryable(failure: FailureFacts): boolean {
  if (failure.unclassified || !TRANSIENT_KINDS.has(failure.kind)) return false;
  if (failure.kind === 'server' && failure.status === undefined) return isTransientCode(failure.code);
  return true;
}

/** Whether a failure code names a condition that passes (an overload, a rate limit, a timeout). */
export function isTransientCode(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/**
 * Which budget a failure draws on: `request` while no event of the response has arrived,
 * `stream` once one has (a retry then streams visible output again).
 */
export type RetryPhase = 'request' | 'stream';

export interface RetryLimits {
  /** Defaults to `MAX_REQUEST_RETRIES`. */
  maxRequestRetries?: number;
  /** Defaults to `MAX_STREAM_RETRIES`. */
  maxStreamRetries?: number;
  /** Jitter source; must return [0, 1). */
  random?: () => number;
}

/** The retries of one request: each phase has its own budget and its own backoff sequence. */
export class Retries {
  readonly #limits: RetryLimits;
  readonly #used: Record<RetryPhase, number> = { request: 0, stream: 0 };

  constructor(limits: RetryLimits = {}) {
    this.#limits = limits;
  }

  /**
   * The wait before trying again after `error`, counting the retry; undefined when the error
   * is to be reported instead: it is not `retryable`, or its phase's budget is spent.
   */
  next(error: Pick<ModelErrorShape, 'retryable' | 'retryAfterMs'>, phase: RetryPhase): number | undefined {
    const budget =
      phase === 'stream' ? (this.#limits.maxStreamRetries ?? MAX_STREAM_RETRIES) : (this.#limits.maxRequestRetries ?? MAX_REQUEST_RETRIES);
    if (!error.retryable || this.#used[phase] >= budget) return undefined;
    return backoffMs(++this.#used[phase], error, this.#limits.random);
  }
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry).
 * The server's delay (`retryAfterMs`: Retry-After or "try again in …") wins when present,
 * capped at `MAX_BACKOFF_MS`; otherwise `BASE_BACKOFF_MS × 2^(attempt−1)` with ±10 % jitter.
 * `rand` must return [0, 1).
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

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0.5;
  return Math.min(Math.max(value, 0), 1);
}
