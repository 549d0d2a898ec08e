import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryable, isTransientCode, MAX_REQUEST_RETRIES, Retries, type RetryLimits } from '../../../src/core/retry';
import { failureError } from '../../../src/core/stream';
import { fromFailureCode, ModelError } from '../../../src/model/errors';

const mid = () => 0.5; // no jitter
const MAX_BACKOFF_MS = 60_000;

/** How many retries a fresh `Retries` grants in `phase` before it refuses. */
function budget(phase: 'request' | 'stream', limits: RetryLimits = {}): number {
  const retries = new Retries(limits);
  let granted = 0;
  while (retries.next({ retryable: true }, phase) !== undefined) granted++;
  return granted;
}

describe('backoffMs', () => {
  it('doubles from 200 ms', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, null, mid))).toEqual([200, 400, 800, 1600, 3200]);
  });

  it('jitters by at most ±10 %', () => {
    expect(backoffMs(1, null, () => 0)).toBe(180);
    expect(backoffMs(1, null, () => 0.999999)).toBe(220);
    expect(backoffMs(3, undefined, () => 0)).toBe(720);
    for (let i = 0; i < 50; i++) {
      const value = backoffMs(2);
      expect(value).toBeGreaterThanOrEqual(360);
      expect(value).toBeLessThanOrEqual(440);
    }
  });

  it("prefers the server's delay, capped", () => {
    expect(backoffMs(1, { retryAfterMs: 1200 }, mid)).toBe(1200);
    expect(backoffMs(4, { retryAfterMs: 0 }, mid)).toBe(0);
    expect(backoffMs(1, { retryAfterMs: 10 * 60_000 }, mid)).toBe(MAX_BACKOFF_MS);
    expect(backoffMs(1, { retryAfterMs: -5 }, mid)).toBe(0);
    expect(backoffMs(2, { retryAfterMs: undefined }, mid)).toBe(400);
  });

  it('stays finite and capped for silly attempts', () => {
    expect(backoffMs(0, null, mid)).toBe(200);
    expect(backoffMs(Number.NaN, null, mid)).toBe(200);
    expect(backoffMs(100, null, mid)).toBe(MAX_BACKOFF_MS);
  });
});

describe('retry budgets', () => {
  it('match Codex', () => {
    expect(MAX_REQUEST_RETRIES).toBe(4);
    expect(budget('request')).toBe(4);
    expect(budget('stream')).toBe(5);
    expect(budget('stream', { maxStreamRetries: 2 })).toBe(2);
  });

  it('depend on whether the response had started: 4 retries before any event, 5 after', () => {
    const before = new Retries({ random: mid });
    const beforeDelays = Array.from({ length: 6 }, () => before.next({ retryable: true }, 'request'));
    expect(beforeDelays).toEqual([200, 400, 800, 1600, undefined, undefined]);
    const after = new Retries({ random: mid });
    const afterDelays = Array.from({ length: 6 }, () => after.next({ retryable: true }, 'stream'));
    expect(afterDelays).toEqual([200, 400, 800, 1600, 3200, undefined]);
  });

  it('count each phase on its own, whatever the kind of failure', () => {
    const retries = new Retries({ random: mid });
    expect(retries.next({ retryable: true }, 'request')).toBe(200);
    expect(retries.next({ retryable: true }, 'request')).toBe(400);
    // The first stream failure starts its own sequence.
    expect(retries.next({ retryable: true }, 'stream')).toBe(200);
    expect(retries.next({ retryable: true }, 'request')).toBe(800);
  });

  it('take overrides, including none at all', () => {
    const retries = new Retries({ maxRequestRetries: 1, maxStreamRetries: 0, random: mid });
    expect(retries.next({ retryable: true }, 'stream')).toBeUndefined();
    expect(retries.next({ retryable: true }, 'request')).toBe(200);
    expect(retries.next({ retryable: true }, 'request')).toBeUndefined();
  });

  it("give nothing to a failure that is not retryable, and honour the server's delay", () => {
    const retries = new Retries({ random: mid });
    expect(retries.next({ retryable: false }, 'request')).toBeUndefined();
    expect(retries.next({ retryable: false, retryAfterMs: 100 }, 'stream')).toBeUndefined();
    // Refusals spend no budget.
    expect(retries.next({ retryable: true, retryAfterMs: 1500 }, 'request')).toBe(1500);
    expect(retries.next({ retryable: true }, 'request')).toBe(400);
    expect(retries.next({ retryable: true, retryAfterMs: 10 * 60_000 }, 'stream')).toBe(MAX_BACKOFF_MS);
  });
});

describe('isRetryable', () => {
  it('retries the transient kinds and nothing else', () => {
    for (const kind of ['rate_limit', 'network', 'timeout', 'stream'] as const) expect(isRetryable({ kind }), kind).toBe(true);
    expect(isRetryable({ kind: 'server', status: 500 })).toBe(true);
    for (const kind of ['auth', 'quota', 'context_overflow', 'bad_request', 'not_found', 'cors', 'incomplete', 'aborted'] as const) {
      expect(isRetryable({ kind }), kind).toBe(false);
      expect(isRetryable({ kind, status: 500, code: 'server_error' }), kind).toBe(false);
    }
  });

  it('retries an HTTP server failure whatever its code', () => {
    expect(isRetryable({ kind: 'server', status: 502 })).toBe(true);
    expect(isRetryable({ kind: 'server', status: 409, code: 'something_new' })).toBe(true);
  });

  it('retries a server failure reported in the stream only when its code names a transient condition', () => {
    for (const code of ['server_error', 'internal_error', 'server_is_overloaded', 'overloaded', 'service_unavailable', 'timeout', 'slow_down']) {
      expect(isRetryable({ kind: 'server', code }), code).toBe(true);
    }
    expect(isRetryable({ kind: 'server' })).toBe(false);
    expect(isRetryable({ kind: 'server', code: 'something_new' })).toBe(false);
  });

  it('never retries an unclassified failure', () => {
    expect(isRetryable({ kind: 'stream', unclassified: true })).toBe(false);
    expect(isRetryable({ kind: 'server', status: 500, unclassified: true })).toBe(false);
  });

  it('knows the transient codes', () => {
    expect(isTransientCode('rate_limit_exceeded')).toBe(true);
    expect(isTransientCode('server_is_overloaded')).toBe(true);
    expect(isTransientCode('insufficient_quota')).toBe(false);
    expect(isTransientCode('context_length_exceeded')).toBe(false);
    expect(isTransientCode(undefined)).toBe(false);
  });
});

describe('one rule for the engine and the client', () => {
  it('gives a failure code the same decision whether the stream folder or the model client reads it', () => {
    const codes = [
      undefined,
      'server_error',
      'overloaded',
      'timeout',
      'rate_limit_exceeded',
      'insufficient_quota',
      'invalid_prompt',
      'context_length_exceeded',
      'odd_code',
    ];
    for (const code of codes) {
      expect(failureError(code, 'failed').retryable, String(code)).toBe(fromFailureCode(code, 'failed').retryable);
    }
    expect(new ModelError({ kind: 'server', message: 'x', status: 503 }).retryable).toBe(true);
    expect(new ModelError({ kind: 'server', message: 'x' }).retryable).toBe(false);
  });
});
