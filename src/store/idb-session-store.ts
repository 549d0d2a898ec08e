/**
 * `SessionStore` over the `Database` port (IndexedDB in the tab, fake-indexeddb in tests).
 * Each operation is one transaction, so a crash leaves either all of it or none of it.
 */
import { normalizeHistory } from '../core/history';
import type { ResponseItem } from '../core/items';
import type { Snapshot } from '../sandbox/snapshot';
import { openDatabase, type Database, type OpenOptions } from './db';
import { corrupt, type StoreError } from './errors';
import { buildDocument, checkDocument, type SessionDocument } from './export';
import { appendReplacement, appendToLog, byteLength, getRow, logRange, readLog, truncateLog, writeLog } from './item-log';
import { filterAndSort, newRow, readRow, type ListOptions, type SessionMeta } from './session-index';
import type { ImportResult, LoadedSession, SessionList, SessionStore } from './session-store';
import { putSnapshot, readSnapshot, snapshotRange, type StoredSnapshot } from './snapshots';
import { DEFAULT_TITLE } from './title';

export interface StoreOptions {
  /** Milliseconds since the epoch; injectable so tests control ordering. */
  now?: () => number;
  newId?: () => string;
}

/** Opens the database (see `OpenOptions`) and returns the store over it. */
export async function openSessionStore(options: OpenOptions & StoreOptions = {}): Promise<SessionStore> {
  return createSessionStore(await openDatabase(options), options);
}

export function createSessionStore(db: Database, options: StoreOptions = {}): SessionStore {
  return new IdbSessionStore(db, options.now ?? Date.now, options.newId ?? randomId);
}

const ALL = ['sessions', 'items', 'snapshots'] as const;

/** `randomUUID` exists only in secure contexts; plain http on a LAN address still gets an id. */
function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

class IdbSessionStore implements SessionStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #newId: () => string;

  constructor(db: Database, now: () => number, newId: () => string) {
    this.#db = db;
    this.#now = now;
    this.#newId = newId;
  }

  create(init: { title?: string; model?: string } = {}): Promise<SessionMeta> {
    const row = newRow(this.#newId(), this.#now(), init);
    return this.#db.transact(['sessions'], 'readwrite', async (t) => {
      await t.sessions.put(row, row.id);
      return row;
    });
  }

  list(options: ListOptions = {}): Promise<SessionList> {
    return this.#db.transact(['sessions'], 'readonly', async (t) => {
      const [keys, values] = await Promise.all([t.sessions.getAllKeys(), t.sessions.getAll()]);
      const rows: SessionMeta[] = [];
      const problems: StoreError[] = [];
      keys.forEach((key, i) => {
        const row = readRow(values[i], key);
        if (row.ok) rows.push(row.value);
        else problems.push(corrupt(row.problem));
      });
      return { sessions: filterAndSort(rows, options), problems };
    });
  }

  get(sessionId: string): Promise<SessionMeta> {
    return this.#db.transact(['sessions'], 'readonly', (t) => getRow(t.sessions, sessionId));
  }

  load(sessionId: string, options: { repair?: boolean } = {}): Promise<LoadedSession> {
    return this.#db.transact(ALL, options.repair ? 'readwrite' : 'readonly', async (t) => {
      const row = await getRow(t.sessions, sessionId);
      const log = await readLog(t.items, sessionId, row.itemCount);
      const { stored, problems } = await readSnapshot(t, row);
      if (options.repair && (log.unreadable > 0 || row.itemCount !== log.records)) {
        await truncateLog(t.items, sessionId, log.records);
        row.itemCount = log.records;
        row.bytes = log.items.reduce((sum, item) => sum + byteLength(item), 0) + row.snapshots.reduce((sum, r) => sum + r.bytes, 0);
        await t.sessions.put(row, sessionId);
      }
      return {
        session: row,
        items: normalizeHistory(log.items),
        earlier: log.earlier,
        snapshot: stored,
        problems: [...log.problems, ...problems],
      };
    });
  }

  append(sessionId: string, item: ResponseItem): Promise<SessionMeta> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'items'], 'readwrite', (t) => appendToLog(t, sessionId, item, now));
  }

  replaceHistory(sessionId: string, items: readonly ResponseItem[]): Promise<SessionMeta> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'items'], 'readwrite', (t) => appendReplacement(t, sessionId, items, now));
  }

  saveSnapshot(sessionId: string, snapshot: Snapshot): Promise<SessionMeta> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'snapshots'], 'readwrite', async (t) => {
      const row = await getRow(t.sessions, sessionId);
      await putSnapshot(t, row, { snapshot, atItem: row.itemCount, savedAt: now });
      row.updatedAt = now;
      await t.sessions.put(row, sessionId);
      return row;
    });
  }

  rename(sessionId: string, title: string): Promise<SessionMeta> {
    const trimmed = title.trim();
    return this.#update(sessionId, (row) => {
      row.title = trimmed || DEFAULT_TITLE;
      row.titleSource = trimmed ? 'user' : 'default';
    });
  }

  setModel(sessionId: string, model: string): Promise<SessionMeta> {
    return this.#update(sessionId, (row) => {
      row.model = model;
    });
  }

  delete(sessionId: string): Promise<SessionMeta> {
    const now = this.#now();
    return this.#update(sessionId, (row) => {
      row.deletedAt ??= now;
    });
  }

  undoDelete(sessionId: string): Promise<SessionMeta> {
    return this.#update(sessionId, (row) => {
      delete row.deletedAt;
    });
  }

  purgeDeleted(olderThan: number): Promise<number> {
    return this.#db.transact(ALL, 'readwrite', async (t) => {
      const [keys, values] = await Promise.all([t.sessions.getAllKeys(), t.sessions.getAll()]);
      const doomed = keys
        .map((key, i) => readRow(values[i], key))
        .flatMap((row) => (row.ok && row.value.deletedAt !== undefined && row.value.deletedAt < olderThan ? [row.value.id] : []));
      await Promise.all(doomed.flatMap((id) => [t.sessions.delete(id), t.items.delete(logRange(id)), t.snapshots.delete(snapshotRange(id))]));
      return doomed.length;
    });
  }

  async duplicate(sessionId: string): Promise<SessionMeta> {
    const source = await this.load(sessionId);
    return this.#copy(source, source.items.length, { suffix: 'copy' });
  }

  async fork(sessionId: string, count: number): Promise<SessionMeta> {
    const source = await this.load(sessionId);
    if (!Number.isSafeInteger(count) || count < 0 || count > source.items.length) {
      throw new RangeError(`fork point ${count} is outside 0..${source.items.length}`);
    }
    return this.#copy(source, count, { suffix: 'fork', forkedFrom: { sessionId, seq: count } });
  }

  async exportSession(sessionId: string): Promise<SessionDocument> {
    const loaded = await this.load(sessionId);
    return buildDocument(loaded.session, loaded.items, loaded.snapshot?.snapshot ?? null);
  }

  async importSession(input: unknown): Promise<ImportResult> {
    const checked = checkDocument(input);
    if (!checked.ok) return checked;
    const { session, items, snapshot } = checked.document;
    const now = this.#now();
    const row = newRow(this.#newId(), now, { title: session.title === DEFAULT_TITLE ? '' : session.title, model: session.model });
    row.createdAt = session.createdAt || now;
    const stored = await this.#write(row, items, snapshot && { snapshot, atItem: items.length, savedAt: now });
    return { ok: true, session: stored, warnings: checked.warnings };
  }

  close(): void {
    this.#db.close();
  }

  #update(sessionId: string, change: (row: SessionMeta) => void): Promise<SessionMeta> {
    return this.#db.transact(['sessions'], 'readwrite', async (t) => {
      const row = await getRow(t.sessions, sessionId);
      change(row);
      await t.sessions.put(row, sessionId);
      return row;
    });
  }

  #copy(source: LoadedSession, count: number, how: { suffix: string; forkedFrom?: SessionMeta['forkedFrom'] }): Promise<SessionMeta> {
    const from = source.session;
    const now = this.#now();
    const row = newRow(this.#newId(), now, { model: from.model });
    if (from.titleSource !== 'default') {
      row.title = `${from.title} (${how.suffix})`;
      row.titleSource = from.titleSource;
    }
    if (how.forkedFrom) row.forkedFrom = how.forkedFrom;
    const snapshot = source.snapshot && source.snapshot.atItem <= count ? source.snapshot : null;
    return this.#writeWithOlderSnapshot(row, source, count, snapshot);
  }

  /** Forks before the newest snapshot need an older one, which `load` did not read. */
  async #writeWithOlderSnapshot(row: SessionMeta, source: LoadedSession, count: number, newest: StoredSnapshot | null): Promise<SessionMeta> {
    let snapshot = newest;
    if (!snapshot && source.session.snapshots.some((r) => r.atItem <= count)) {
      snapshot = await this.#db.transact(['snapshots'], 'readonly', async (t) => (await readSnapshot(t, source.session, count)).stored);
    }
    return this.#write(row, source.items.slice(0, count), snapshot);
  }

  #write(row: SessionMeta, items: readonly ResponseItem[], snapshot: StoredSnapshot | null): Promise<SessionMeta> {
    return this.#db.transact(ALL, 'readwrite', async (t) => {
      row.bytes = await writeLog(t.items, row.id, items);
      row.itemCount = items.length;
      if (snapshot) await putSnapshot(t, row, snapshot);
      await t.sessions.put(row, row.id);
      return row;
    });
  }
}
