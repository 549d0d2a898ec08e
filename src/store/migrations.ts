/**
 * The database layout and how older layouts become the current one. Each step runs inside
 * the upgrade transaction, so an upgrade either completes fully or leaves the old layout.
 *
 * Layout (version 2):
 *   meta       'schema' → { version, migratedAt }
 *   sessions   id → SessionMeta (the index row: small, never holds items)
 *   items      [sessionId, seq] → a log record: an item or a record of ours (log-records.ts)
 *   manifests  [sessionId, n] → ManifestRecord (the workspace's history, manifests.ts)
 *   blobs      sha-256 hex → Uint8Array (file contents, shared by every session)
 *   snapshots  [sessionId, atItem] → StoredSnapshot (version 1's whole-workspace copies; each
 *              session's are turned into manifests when it is next opened)
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
  for (const name of ['meta', 'sessions', 'items', 'snapshots', 'manifests', 'blobs']) {
    if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
  }
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, upgrade: (db) => createStores(db) },
  // Workspace history: new stores only; old snapshots are converted per session on open.
  { version: 2, upgrade: (db) => createStores(db) },
];

export const SCHEMA_VERSION = 2;

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
