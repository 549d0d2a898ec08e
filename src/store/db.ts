/**
 * The one port the store talks through (`Database`: transactions over named tables, each call
 * one IndexedDB request) and its IndexedDB adapter. Tests wrap the port to count requests or
 * to fail writes; the adapter takes the `IDBFactory` to use, so each test gets its own.
 */
import { promisifyRequest } from 'idb-keyval';
import { StoreError, toStoreError } from './errors';
import { MIGRATIONS, SCHEMA_VERSION, runMigrations, type Migration } from './migrations';

export type StoreName = 'meta' | 'sessions' | 'items' | 'snapshots' | 'manifests' | 'blobs';

/** Keys between `lower` and `upper` (both included unless marked open). */
export interface KeyRange {
  lower: IDBValidKey;
  upper: IDBValidKey;
  lowerOpen?: boolean;
  upperOpen?: boolean;
}

/** One object store inside a transaction; every method is exactly one request. */
export interface Table {
  get(key: IDBValidKey): Promise<unknown>;
  put(value: unknown, key: IDBValidKey): Promise<void>;
  delete(query: IDBValidKey | KeyRange): Promise<void>;
  getAll(range?: KeyRange): Promise<unknown[]>;
  getAllKeys(range?: KeyRange): Promise<IDBValidKey[]>;
}

export type Tables = Record<StoreName, Table>;

export interface Database {
  /**
   * Runs `body` in one transaction over `stores` and resolves with its result once the
   * transaction has committed. `body` may await only table calls (IndexedDB commits a
   * transaction when it has nothing pending). A throw aborts the transaction: nothing
   * `body` wrote is kept. Failures reject with a `StoreError`.
   */
  transact<T>(stores: readonly StoreName[], mode: IDBTransactionMode, body: (tables: Tables) => Promise<T>): Promise<T>;
  close(): void;
}

export interface OpenOptions {
  /** Defaults to the page's `indexedDB`; tests pass `new IDBFactory()` from fake-indexeddb. */
  indexedDB?: IDBFactory;
  /** The `IDBKeyRange` that belongs to `indexedDB` (fake-indexeddb has its own). */
  keyRange?: typeof IDBKeyRange;
  name?: string;
  /** Schema steps in order; the last one's version is the version opened. */
  migrations?: readonly Migration[];
  /** How long to wait for other tabs to close an older version before giving up. */
  blockedTimeoutMs?: number;
}

const DEFAULT_DB_NAME = 'unroll';

/** Opens (creating or upgrading) the database; rejects with a StoreError of kind 'unavailable' when storage is refused. */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const factory = options.indexedDB ?? pageGlobal<IDBFactory>('indexedDB');
  const keyRange = options.keyRange ?? pageGlobal<typeof IDBKeyRange>('IDBKeyRange');
  if (!factory || !keyRange) throw new StoreError('unavailable', 'IndexedDB is missing');
  const migrations = options.migrations ?? MIGRATIONS;
  const version = migrations.length ? Math.max(...migrations.map((m) => m.version)) : SCHEMA_VERSION;
  const db = await openRaw(factory, options.name ?? DEFAULT_DB_NAME, version, migrations, options.blockedTimeoutMs ?? 10_000);
  return new IdbDatabase(db, keyRange);
}

function openRaw(
  factory: IDBFactory,
  name: string,
  version: number,
  migrations: readonly Migration[],
  blockedTimeoutMs: number,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, version);
    } catch (err) {
      reject(new StoreError('unavailable', String(err), { cause: err })); // SecurityError in some private modes
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (tx) runMigrations(request.result, tx, event.oldVersion, migrations);
    };
    request.onblocked = () => {
      timer ??= setTimeout(
        () =>
          reject(
            new StoreError('unavailable', 'upgrade blocked by another tab', {
              userMessage:
                'Another Unroll tab is using an older version of the saved sessions. Close or reload the other tabs, then reload this one.',
            }),
          ),
        blockedTimeoutMs,
      );
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      const db = request.result;
      // Another tab wants to upgrade: let it, and fail later calls here instead of blocking it.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => {
      clearTimeout(timer);
      const err = request.error;
      if (err?.name === 'VersionError') {
        reject(
          new StoreError('unavailable', err.message, {
            cause: err,
            userMessage: 'Saved sessions were written by a newer version of Unroll. Reload the page to get it.',
          }),
        );
      } else {
        reject(new StoreError('unavailable', err ? `${err.name}: ${err.message}` : 'open failed', { cause: err }));
      }
    };
  });
}

class IdbDatabase implements Database {
  readonly #db: IDBDatabase;
  readonly #keyRange: typeof IDBKeyRange;

  constructor(db: IDBDatabase, keyRange: typeof IDBKeyRange) {
    this.#db = db;
    this.#keyRange = keyRange;
  }

  async transact<T>(stores: readonly StoreName[], mode: IDBTransactionMode, body: (tables: Tables) => Promise<T>): Promise<T> {
    let tx: IDBTransaction;
    try {
      // 'relaxed': a commit is done once the browser has it, not once the OS has flushed it to
      // disk. A closed or crashed tab still keeps it; only a power cut could lose the last write.
      tx = this.#db.transaction([...stores], mode, { durability: 'relaxed' });
    } catch (err) {
      throw toStoreError(err);
    }
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new DOMException('The transaction was aborted.', 'AbortError'));
    });
    done.catch(() => {}); // observed below; avoids an unhandled rejection while `body` runs
    let result: T;
    try {
      result = await body(this.#tables(tx));
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // already finished or aborting
      }
      await done.catch(() => {});
      throw toStoreError(err);
    }
    try {
      await done;
    } catch (err) {
      throw toStoreError(err);
    }
    return result;
  }

  close(): void {
    this.#db.close();
  }

  #tables(tx: IDBTransaction): Tables {
    const cache = new Map<StoreName, Table>();
    const table = (name: StoreName): Table => {
      let t = cache.get(name);
      if (!t) cache.set(name, (t = idbTable(tx.objectStore(name), this.#keyRange)));
      return t;
    };
    return {
      get meta() {
        return table('meta');
      },
      get sessions() {
        return table('sessions');
      },
      get items() {
        return table('items');
      },
      get snapshots() {
        return table('snapshots');
      },
      get manifests() {
        return table('manifests');
      },
      get blobs() {
        return table('blobs');
      },
    };
  }
}

function idbTable(store: IDBObjectStore, keyRange: typeof IDBKeyRange): Table {
  const range = (r: KeyRange) => keyRange.bound(r.lower, r.upper, r.lowerOpen ?? false, r.upperOpen ?? false);
  const query = (q: IDBValidKey | KeyRange): IDBValidKey | IDBKeyRange => (isKeyRange(q) ? range(q) : q);
  return {
    get: (key) => promisifyRequest<unknown>(store.get(key)),
    put: async (value, key) => {
      await promisifyRequest(store.put(value, key));
    },
    delete: (q) => promisifyRequest(store.delete(query(q))),
    getAll: (r) => promisifyRequest<unknown[]>(store.getAll(r ? range(r) : undefined)),
    getAllKeys: (r) => promisifyRequest<IDBValidKey[]>(store.getAllKeys(r ? range(r) : undefined)),
  };
}

function isKeyRange(q: IDBValidKey | KeyRange): q is KeyRange {
  return typeof q === 'object' && q !== null && !Array.isArray(q) && 'lower' in q && 'upper' in q;
}

function pageGlobal<T>(name: string): T | undefined {
  try {
    return (globalThis as Record<string, unknown>)[name] as T | undefined;
  } catch {
    return undefined; // some sandboxed frames throw on access
  }
}
