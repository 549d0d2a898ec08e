/**
 * The one interface the service's SQL runs through, and its two implementations: PGlite (the
 * embedded default: PostgreSQL compiled to WebAssembly, in a local folder) and node-postgres
 * pools (a real PostgreSQL primary and its read replicas, or PgBouncer in front of them). The
 * same SQL runs on both: parameters as $1…, bytes as bytea, no session state between queries
 * (so transaction-mode pooling works).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';

export interface Db {
  /** A label for logs and health reports (never the password). */
  readonly name: string;
  query<T extends object>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters, in one round trip (one transaction when wrapped in BEGIN/COMMIT). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens PGlite in `dir` (created if missing; `memory://` keeps nothing). */
export async function openPglite(dir: string): Promise<Db> {
  const { PGlite: Engine } = await import('@electric-sql/pglite');
  const db: PGlite = await Engine.create(dir);
  return {
    name: `pglite:${dir}`,
    async query<T extends object>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    close: () => db.close(),
  };
}

export interface PoolOptions {
  /** Connections per pool: small, as many instances share one database. */
  max?: number;
  /** Every query's limit (ms): a stuck database fails the request instead of holding it. */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** A node-postgres pool on `url` (the password is kept out of `name`). */
export async function openPool(url: string, options: PoolOptions = {}): Promise<Db> {
  const pg = await import('pg');
  const pool: Pool = new pg.default.Pool({
    connectionString: url,
    max: options.max ?? 5,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
    idleTimeoutMillis: 10_000,
    // Sent with each query (no session settings: they would not survive transaction pooling).
    query_timeout: options.statementTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    idle_in_transaction_session_timeout: 10_000,
  });
  // A connection that drops while idle must not take the process down.
  pool.on('error', () => undefined);
  const parsed = new URL(url);
  return {
    name: `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`,
    async query<T extends object>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}
