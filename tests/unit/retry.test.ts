import { describe, expect, it } from 'vitest';
import { backoffMs, MAX_BACKOFF_MS, MAX_REQUEST_RETRIES, MAX_STREAM_RETRIES, maxRetriesFor } from '../../src/core/retry';

const mid = () => 0.5; // no jitter

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
    expect(MAX_STREAM_RETRIES).toBe(5);
  });

  it('depend on the failure', () => {
    expect(maxRetriesFor({ kind: 'stream', retryable: true })).toBe(5);
    expect(maxRetriesFor({ kind: 'timeout', retryable: true })).toBe(5);
    expect(maxRetriesFor({ kind: 'rate_limit', retryable: true })).toBe(4);
    expect(maxRetriesFor({ kind: 'server', retryable: false })).toBe(0);
    expect(maxRetriesFor({ kind: 'quota', retryable: false })).toBe(0);
  });
});
