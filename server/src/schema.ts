/**
 * The schema, applied on the primary at start. Only online-safe changes (create if missing,
 * add nullable columns, concurrent indexes), each under a short `lock_timeout` so a migration
 * that would wait behind traffic fails fast instead of queueing every query behind it.
 */
import type { Db } from './db';

const STEPS = [
  `CREATE TABLE IF NOT EXISTS shares (
     id text PRIMARY KEY,
     body bytea NOT NULL,
     body_hash text NOT NULL,
     idempotency_key text UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now(),
     expires_at timestamptz,
     live boolean NOT NULL DEFAULT false,
     write_token_hash text
   )`,
  'CREATE INDEX IF NOT EXISTS shares_expires_at ON shares (expires_at) WHERE expires_at IS NOT NULL',
  `CREATE TABLE IF NOT EXISTS share_chunks (
     share_id text NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     body bytea NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (share_id, seq)
   )`,
  // A live share that its broadcaster ended (followers stop waiting).
  'ALTER TABLE shares ADD COLUMN IF NOT EXISTS ended_at timestamptz',
  `CREATE TABLE IF NOT EXISTS service_secrets (
     name text PRIMARY KEY,
     value text NOT NULL
   )`,
];

export async function migrate(db: Db, lockTimeoutMs = 3_000): Promise<void> {
  for (const step of STEPS) {
    // Each step in its own transaction with its own lock_timeout (SET LOCAL: nothing outlives
    // it, so this works through transaction-mode pooling too).
    await db.exec(`BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}; ${step}; COMMIT;`);
  }
}
