/**
 * The database layout and how older layouts become the current one. Each step runs inside
 * the upgrade transaction, so an upgrade either completes fully or leaves the old layout.
 *
 * Layout (version 1):
 *   meta       'schema' → { version, migratedAt }
 *   sessions   id → SessionMeta (the index row: small, never holds items)
 *   items      [sessionId, seq] → ResponseItem (the append-only log)
 *   snapshots  [sessionId, atItem] → StoredSnapshot (the latest two per session)
 */

export interface Migration {
  /** The schema version this step produces; steps run in ascending order. */
  version: number;
  /** Synchronous (IndexedDB upgrade rules); may start requests on `tx`. */
  upgrade(db: IDBDatabase, tx: IDBTransaction): void;
}

export const SCHEMA_KEY = 'schema';

export interface SchemaRecord {
  version: number;
  migratedAt: number;
}

/** Creates the current stores; exported so a test's fake older layout can upgrade into it. */
export function createStores(db: IDBDatabase): void {
  for (const name of ['meta', 'sessions', 'items', 'snapshots']) {
    if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
  }
}

export const MIGRATIONS: readonly Migration[] = [{ version: 1, upgrade: (db) => createStores(db) }];

export const SCHEMA_VERSION = 1;

/**
 * Runs every step newer than `oldVersion`, in order, then records the version reached in the
 * meta store (when the layout has one).
 */
export function runMigrations(db: IDBDatabase, tx: IDBTransaction, oldVersion: number, migrations: readonly Migration[]): void {
  const steps = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > oldVersion);
  for (const step of steps) step.upgrade(db, tx);
  const version = steps.at(-1)?.version;
  if (version !== undefined && db.objectStoreNames.contains('meta')) {
    const record: SchemaRecord = { version, migratedAt: Date.now() };
    tx.objectStore('meta').put(record, SCHEMA_KEY);
  }
}
