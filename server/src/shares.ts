/**
 * Shares on PostgreSQL: every write on the primary, reads on the replicas when there are any.
 *
 * - A read goes to a healthy replica (round robin). A replica that fails a query is left out
 *   for a while and the read tries the next one, then the primary: a replica down costs no
 *   client error.
 * - Read-your-writes: a share a replica does not have (yet) is looked up on the primary before
 *   the answer is "not found", so a link opened right after it was made never gets a false 404.
 * - One database read per id at a time in this process however many requests miss at once
 *   (single flight), and an in-process cache of recent shares (they never change).
 * - The primary down: reads continue from the replicas, writes fail with PrimaryUnavailable
 *   (the API answers 503 with Retry-After); both recover without a restart.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db';
import { migrate } from './schema';
import { isShareId, newId, newSecret, tokenFor, tokenMatches } from './tokens';

export interface Share {
  id: string;
  body: Uint8Array;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface Created {
  id: string;
  deleteToken: string;
  /** A live share's token for appending chunks. */
  writeToken?: string;
  /** True when an earlier create with the same idempotency key made it. */
  replayed: boolean;
}

export class PrimaryUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the primary database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PrimaryUnavailable';
  }
}

export class ReadUnavailable extends Error {
  constructor(cause: unknown) {
    super(`no database answered the read: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ReadUnavailable';
  }
}

export class IdempotencyConflict extends Error {
  constructor() {
    super('this Idempotency-Key was used for a different body');
    this.name = 'IdempotencyConflict';
  }
}

export interface ShareStoreOptions {
  primary: Db;
  replicas?: Db[];
  /** How long a replica that failed is left out (ms). */
  replicaBackoffMs?: number;
  /** Bytes of share bodies kept in memory (0: none). */
  cacheBytes?: number;
  /** A replica more than this many bytes of WAL behind the primary is skipped (default 16 MB). */
  maxLagBytes?: number;
  now?: () => number;
}

interface Row {
  id: string;
  body: Uint8Array;
  body_hash: string;
  created_at: Date | string;
  expires_at: Date | string | null;
}

export interface ReadStats {
  primary: number;
  replica: number;
  cache: number;
}

export class ShareStore {
  readonly stats: ReadStats = { primary: 0, replica: 0, cache: 0 };
  #secret = '';
  readonly #primary: Db;
  readonly #replicas: { db: Db; downUntil: number }[];
  #next = 0;
  readonly #flights = new Map<string, Promise<Share | null>>();
  readonly #cache = new Map<string, Share>();
  #cached = 0;
  readonly #now: () => number;
  readonly #chunkListeners = new Map<string, Set<() => void>>();

  readonly #options: ShareStoreOptions;

  constructor(options: ShareStoreOptions) {
    this.#options = options;
    this.#primary = options.primary;
    this.#replicas = (options.replicas ?? []).map((db) => ({ db, downUntil: 0 }));
    this.#now = options.now ?? Date.now;
  }

  /** Applies the schema on the primary and loads (or makes) the token secret. */
  async init(): Promise<void> {
    await migrate(this.#primary);
    await this.#primary.query('INSERT INTO service_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', ['tokens', newSecret()]);
    const [row] = await this.#primary.query<{ value: string }>('SELECT value FROM service_secrets WHERE name = $1', ['tokens']);
    if (!row) throw new Error('the token secret could not be stored');
    this.#secret = row.value;
  }

  async create(body: Uint8Array, options: { expiresAt?: Date | null; idempotencyKey?: string; live?: boolean } = {}): Promise<Created> {
    const hash = createHash('sha256').update(body).digest('base64url');
    const id = newId();
    let rows: { id: string; body_hash: string }[];
    try {
      rows = await this.#primary.query(
        `INSERT INTO shares (id, body, body_hash, idempotency_key, expires_at, live) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = shares.idempotency_key
         RETURNING id, body_hash`,
        [id, body, hash, options.idempotencyKey ?? null, options.expiresAt ?? null, options.live === true],
      );
    } catch (err) {
      throw new PrimaryUnavailable(err);
    }
    const row = rows[0];
    if (!row) throw new PrimaryUnavailable(new Error('the insert returned nothing'));
    if (row.body_hash !== hash) throw new IdempotencyConflict();
    return {
      id: row.id,
      deleteToken: tokenFor(this.#secret, 'delete', row.id),
      ...(options.live ? { writeToken: tokenFor(this.#secret, 'write', row.id) } : {}),
      replayed: row.id !== id,
    };
  }

  /**
   * Appends chunk `seq` to live share `id`. Sequence numbers start at 1 and have no gaps; a
   * retry of a chunk already stored (same bytes) is accepted again, different bytes under a
   * taken number are refused.
   */
  async append(
    id: string,
    token: string,
    seq: number,
    body: Uint8Array,
  ): Promise<{ ok: true; replayed: boolean } | { ok: false; reason: 'forbidden' | 'not-found' | 'not-live' | 'conflict'; expected?: number }> {
    if (!isShareId(id)) return { ok: false, reason: 'not-found' };
    if (!tokenMatches(this.#secret, 'write', id, token)) return { ok: false, reason: 'forbidden' };
    try {
      const [share] = await this.#primary.query<{ live: boolean; last: number | null }>(
        'SELECT live, (SELECT max(seq) FROM share_chunks WHERE share_id = $1) AS last FROM shares WHERE id = $1',
        [id],
      );
      if (!share) return { ok: false, reason: 'not-found' };
      if (!share.live) return { ok: false, reason: 'not-live' };
      const last = Number(share.last ?? 0);
      if (seq <= last) {
        const [stored] = await this.#primary.query<{ body: Uint8Array }>('SELECT body FROM share_chunks WHERE share_id = $1 AND seq = $2', [id, seq]);
        const same = stored && Buffer.from(stored.body).equals(Buffer.from(body));
        return same ? { ok: true, replayed: true } : { ok: false, reason: 'conflict', expected: last + 1 };
      }
      if (seq !== last + 1) return { ok: false, reason: 'conflict', expected: last + 1 };
      // The primary key refuses a second writer of the same number: the loser is told the next one.
      const inserted = await this.#primary.query(
        'INSERT INTO share_chunks (share_id, seq, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING seq',
        [id, seq, body],
      );
      if (inserted.length === 0) return { ok: false, reason: 'conflict', expected: seq + 1 };
      for (const listener of this.#chunkListeners.get(id) ?? []) listener();
      return { ok: true, replayed: false };
    } catch (err) {
      throw new PrimaryUnavailable(err);
    }
  }

  /** Ends live share `id` (its followers stop waiting); false for a wrong token or an unknown share. */
  async end(id: string, token: string): Promise<boolean> {
    if (!isShareId(id) || !tokenMatches(this.#secret, 'write', id, token)) return false;
    let rows: unknown[];
    try {
      rows = await this.#primary.query('UPDATE shares SET ended_at = coalesce(ended_at, now()) WHERE id = $1 AND live RETURNING id', [id]);
    } catch (err) {
      throw new PrimaryUnavailable(err);
    }
    for (const listener of this.#chunkListeners.get(id) ?? []) listener();
    return rows.length > 0;
  }

  /** Whether live share `id` was ended (read from the primary: it decides when followers stop). */
  async ended(id: string): Promise<boolean> {
    if (!isShareId(id)) return false;
    const [row] = await this.#primary
      .query<{ ended: boolean }>('SELECT ended_at IS NOT NULL AS ended FROM shares WHERE id = $1', [id])
      .catch(() => []);
    return row?.ended === true;
  }

  /** Chunks of live share `id` after `after`, in order (at most `limit`). */
  async chunks(id: string, after: number, limit = 500): Promise<{ seq: number; body: Uint8Array }[] | null> {
    if (!isShareId(id)) return null;
    const sql = 'SELECT seq, body FROM share_chunks WHERE share_id = $1 AND seq > $2 ORDER BY seq LIMIT $3';
    const share = await this.read(id);
    if (!share) return null;
    for (const replica of this.#healthyReplicas()) {
      try {
        const rows = await replica.db.query<{ seq: number; body: Uint8Array }>(sql, [id, after, limit]);
        if (rows.length > 0) return rows.map((r) => ({ seq: Number(r.seq), body: new Uint8Array(r.body) }));
        break;
      } catch {
        replica.downUntil = this.#now() + (this.#options.replicaBackoffMs ?? 5_000);
      }
    }
    const rows = await this.#primary.query<{ seq: number; body: Uint8Array }>(sql, [id, after, limit]);
    return rows.map((r) => ({ seq: Number(r.seq), body: new Uint8Array(r.body) }));
  }

  /** Calls `listener` when this process stores a chunk of `id`; returns the unsubscribe. */
  onChunk(id: string, listener: () => void): () => void {
    const set = this.#chunkListeners.get(id) ?? new Set();
    set.add(listener);
    this.#chunkListeners.set(id, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#chunkListeners.delete(id);
    };
  }

  /** The share, or null when there is none (unknown, deleted or expired). */
  async read(id: string): Promise<Share | null> {
    if (!isShareId(id)) return null;
    const cached = this.#cache.get(id);
    if (cached) {
      if (this.#expired(cached)) return null;
      this.stats.cache++;
      return cached;
    }
    let flight = this.#flights.get(id);
    if (!flight) {
      flight = this.#load(id).finally(() => this.#flights.delete(id));
      this.#flights.set(id, flight);
    }
    const share = await flight;
    return share && !this.#expired(share) ? share : null;
  }

  async remove(id: string, token: string): Promise<'deleted' | 'not-found' | 'forbidden'> {
    if (!isShareId(id)) return 'not-found';
    if (!tokenMatches(this.#secret, 'delete', id, token)) return 'forbidden';
    let rows: unknown[];
    try {
      rows = await this.#primary.query('DELETE FROM shares WHERE id = $1 RETURNING id', [id]);
    } catch (err) {
      throw new PrimaryUnavailable(err);
    }
    this.#forget(id);
    return rows.length > 0 ? 'deleted' : 'not-found';
  }

  /** Deletes up to `batch` expired shares (small batches: short locks); returns how many. */
  async collect(batch = 100): Promise<number> {
    const rows = await this.#primary.query(
      `DELETE FROM shares WHERE id IN (SELECT id FROM shares WHERE expires_at IS NOT NULL AND expires_at < $1 ORDER BY expires_at LIMIT $2) RETURNING id`,
      [new Date(this.#now()), batch],
    );
    for (const row of rows as { id: string }[]) this.#forget(row.id);
    return rows.length;
  }

  /**
   * Checks every replica against the primary (PostgreSQL only): one that does not answer, or
   * has replayed less than the primary wrote by more than `maxLagBytes`, is left out of reads
   * until a later check finds it well; one that is well is taken back. Run every few seconds.
   */
  async checkReplicas(): Promise<{ name: string; lagBytes: number | null; used: boolean }[]> {
    if (this.#replicas.length === 0) return [];
    let primaryLsn: string;
    try {
      const [row] = await this.#primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      primaryLsn = row?.lsn ?? '';
    } catch {
      return this.#replicas.map((r) => ({ name: r.db.name, lagBytes: null, used: r.downUntil <= this.#now() }));
    }
    const limit = this.#options.maxLagBytes ?? 16 * 1024 * 1024;
    return Promise.all(
      this.#replicas.map(async (replica) => {
        try {
          const [row] = await replica.db.query<{ lag: string | number | null }>(
            'SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) AS lag',
            [primaryLsn],
          );
          const lag = Math.max(0, Number(row?.lag ?? Number.POSITIVE_INFINITY));
          replica.downUntil = lag > limit ? Number.POSITIVE_INFINITY : 0;
          return { name: replica.db.name, lagBytes: lag, used: lag <= limit };
        } catch {
          replica.downUntil = this.#now() + (this.#options.replicaBackoffMs ?? 5_000);
          return { name: replica.db.name, lagBytes: null, used: false };
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.#primary.close(), ...this.#replicas.map((r) => r.db.close())]);
  }

  async #load(id: string): Promise<Share | null> {
    const sql = 'SELECT id, body, body_hash, created_at, expires_at FROM shares WHERE id = $1';
    const tried = new Set<Db>();
    for (const replica of this.#healthyReplicas()) {
      tried.add(replica.db);
      try {
        const [row] = await replica.db.query<Row>(sql, [id]);
        if (row) {
          this.stats.replica++;
          return this.#keep(row);
        }
        break; // a replica without it: ask the primary (it may be too new to have arrived)
      } catch {
        replica.downUntil = this.#now() + (this.#options.replicaBackoffMs ?? 5_000);
      }
    }
    try {
      const [row] = await this.#primary.query<Row>(sql, [id]);
      this.stats.primary++;
      return row ? this.#keep(row) : null;
    } catch (err) {
      // The primary is down too: a replica left out after a failure may be back.
      for (const replica of this.#replicas) {
        if (tried.has(replica.db)) continue;
        try {
          const [row] = await replica.db.query<Row>(sql, [id]);
          replica.downUntil = 0;
          this.stats.replica++;
          return row ? this.#keep(row) : null;
        } catch {
          replica.downUntil = this.#now() + (this.#options.replicaBackoffMs ?? 5_000);
        }
      }
      throw new ReadUnavailable(err);
    }
  }

  #healthyReplicas(): { db: Db; downUntil: number }[] {
    const now = this.#now();
    const up = this.#replicas.filter((r) => r.downUntil <= now);
    if (up.length === 0) return [];
    const start = this.#next++ % up.length;
    return [...up.slice(start), ...up.slice(0, start)];
  }

  #keep(row: Row): Share {
    const share: Share = {
      id: row.id,
      body: row.body instanceof Uint8Array ? row.body : new Uint8Array(row.body as ArrayBuffer),
      createdAt: new Date(row.created_at),
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    };
    const limit = this.#options.cacheBytes ?? 64 * 1024 * 1024;
    if (limit > 0 && share.body.byteLength <= limit / 8) {
      this.#cache.set(share.id, share);
      this.#cached += share.body.byteLength;
      for (const [key, value] of this.#cache) {
        if (this.#cached <= limit) break;
        this.#cache.delete(key);
        this.#cached -= value.body.byteLength;
      }
    }
    return share;
  }

  #forget(id: string): void {
    const share = this.#cache.get(id);
    if (!share) return;
    this.#cache.delete(id);
    this.#cached -= share.body.byteLength;
  }

  #expired(share: Share): boolean {
    return share.expiresAt !== null && share.expiresAt.getTime() <= this.#now();
  }
}
