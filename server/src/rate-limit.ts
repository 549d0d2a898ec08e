/**
 * A token bucket per client address, in memory: `perMinute` requests, refilled continuously.
 * One layer of several (a proxy or CDN in front may add its own); it keeps one client from
 * filling the database. Buckets of clients that went quiet are dropped.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  readonly #perMinute: number;
  readonly #now: () => number;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /** 0 when `client` may go ahead (and spends a token), else the seconds until it may. */
  take(client: string): number {
    const now = this.#now();
    const rate = this.#perMinute / 60_000;
    const bucket = this.#buckets.get(client) ?? { tokens: this.#perMinute, at: now };
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > 50_000) this.#prune(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  #prune(now: number): void {
    for (const [client, bucket] of this.#buckets) if (now - bucket.at > 120_000) this.#buckets.delete(client);
  }
}
