/**
 * `SessionStore` over the `Database` port (IndexedDB in the tab, fake-indexeddb in tests).
 * Each operation is one transaction, so a crash leaves either all of it or none of it.
 */
import { normalizeHistory } from '../core/history';
import type { ResponseItem } from '../core/items';
import { openDatabase, type Database, type OpenOptions } from './db';
import { corrupt, type StoreError } from './errors';
import { buildDocument, checkDocument, documentBlobs, workspaceDocument, type SessionDocument } from './export';
import { appendControl, appendReplacement, appendToLog, getRow, logRange, readLog, writeRecords } from './item-log';
import type { ControlRecord } from './log-records';
import {
  ManifestHistory,
  recordFor,
  snapshotFromState,
  stateFromSnapshot,
  type Manifest,
  type ManifestRecord,
  type WorkspaceState,
} from './manifests';
import { filterAndSort, newRow, readRow, type ListOptions, type SessionMeta } from './session-index';
import type { ExportOptions, ImportOptions, ImportResult, LoadedSession, SessionList, SessionStore } from './session-store';
import { readSnapshot, snapshotRange } from './snapshots';
import { DEFAULT_TITLE, markedTitle } from './title';
import {
  collectBlobs,
  manifestRange,
  putWorkspace,
  readBlobs,
  readManifests,
  stateBytes,
  writeManifests,
  type WorkspaceSave,
} from './workspace-store';

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

const ALL = ['sessions', 'items', 'snapshots', 'manifests', 'blobs'] as const;

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

  create(init: { title?: string; model?: string } = {}, workspace?: Omit<WorkspaceSave, 'prev'>): Promise<SessionMeta> {
    const row = newRow(this.#newId(), this.#now(), init);
    return this.#db.transact(['sessions', 'manifests', 'blobs'], 'readwrite', async (t) => {
      const manifest = workspace ? await putWorkspace(t, row, { ...workspace, prev: null, force: true }, row.createdAt) : null;
      row.bytes = stateBytes(manifest);
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

  async load(sessionId: string, options: { repair?: boolean } = {}): Promise<LoadedSession> {
    const loaded = await this.#db.transact(ALL, 'readonly', async (t) => {
      const row = await getRow(t.sessions, sessionId);
      const log = await readLog(t.items, sessionId, row.itemCount);
      const manifests = await readManifests(t, sessionId);
      // Version 1 kept whole snapshots; until converted they are the workspace's history.
      const legacy = row.snapshots.length && manifests.history.records.length === 0 ? await readSnapshot(t, row) : null;
      return { row, log, manifests, legacy };
    });
    const { row, log, legacy } = loaded;
    let history = loaded.manifests.history;
    const problems = [...log.problems, ...loaded.manifests.problems, ...(legacy?.problems ?? [])];
    if (legacy?.stored) {
      const { state, blobs } = stateFromSnapshot(legacy.stored.snapshot);
      const record = recordFor(null, state, { n: 0, atRecord: legacy.stored.atItem, savedAt: legacy.stored.savedAt, reason: 'migrate' })!;
      history = new ManifestHistory([record]);
      // Contents are stored either way (by hash, so harmlessly), so its files can be read,
      // copied and exported; only the lock holder records the manifest and drops the old copy.
      if (options.repair) await this.#migrate(row, record, blobs);
      else await this.#db.transact(['blobs'], 'readwrite', (t) => Promise.all([...blobs].map(([hash, bytes]) => t.blobs.put(bytes, hash))));
    }
    return {
      session: row,
      items: normalizeHistory(log.view.items),
      view: log.view,
      manifests: history,
      workspace: history.latest(),
      problems,
    };
  }

  /** Stores a version 1 snapshot as manifest 0 and lets the old copies go. */
  #migrate(row: SessionMeta, record: ManifestRecord, blobs: ReadonlyMap<string, Uint8Array>): Promise<void> {
    return this.#db.transact(ALL, 'readwrite', async (t) => {
      const current = await getRow(t.sessions, row.id);
      if (current.manifests > 0) return;
      await Promise.all([...blobs].map(([hash, bytes]) => t.blobs.put(bytes, hash)));
      await t.manifests.put(record, [row.id, 0]);
      await t.snapshots.delete(snapshotRange(row.id));
      current.manifests = 1;
      current.snapshots = [];
      await t.sessions.put(current, row.id);
      Object.assign(row, current);
    });
  }

  append(sessionId: string, item: ResponseItem): Promise<SessionMeta> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'items'], 'readwrite', (t) => appendToLog(t, sessionId, item, now));
  }

  appendControl(sessionId: string, record: ControlRecord): Promise<SessionMeta> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'items'], 'readwrite', (t) => appendControl(t, sessionId, record, now));
  }

  replaceHistory(sessionId: string, items: readonly ResponseItem[]): Promise<SessionMeta> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'items'], 'readwrite', (t) => appendReplacement(t, sessionId, items, now));
  }

  saveWorkspace(sessionId: string, save: WorkspaceSave): Promise<{ session: SessionMeta; manifest: Manifest | null }> {
    const now = this.#now();
    return this.#db.transact(['sessions', 'manifests', 'blobs'], 'readwrite', async (t) => {
      const row = await getRow(t.sessions, sessionId);
      const manifest = await putWorkspace(t, row, save, now);
      if (!manifest) return { session: row, manifest: save.prev };
      row.bytes = Math.max(0, row.bytes - stateBytes(save.prev) + stateBytes(manifest));
      await t.sessions.put(row, sessionId);
      return { session: row, manifest };
    });
  }

  readFiles(state: WorkspaceState, paths?: readonly string[]) {
    const wanted = paths ?? [...state.files.keys()];
    const hashes = wanted.flatMap((path) => {
      const ref = state.files.get(path);
      return ref ? [ref.hash] : [];
    });
    return this.#db.transact(['blobs'], 'readonly', async (t) => snapshotFromState(state, await readBlobs(t, hashes), paths));
  }

  collectGarbage(): Promise<number> {
    return this.#db.transact(['manifests', 'blobs'], 'readwrite', (t) => collectBlobs(t));
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
      await Promise.all(
        doomed.flatMap((id) => [
          t.sessions.delete(id),
          t.items.delete(logRange(id)),
          t.snapshots.delete(snapshotRange(id)),
          t.manifests.delete(manifestRange(id)),
        ]),
      );
      return doomed.length;
    });
  }

  duplicate(sessionId: string): Promise<SessionMeta> {
    return this.#copy(sessionId, Infinity, 'copy');
  }

  async fork(sessionId: string, at: number): Promise<SessionMeta> {
    if (!Number.isSafeInteger(at) || at < 0) throw new RangeError(`fork point ${at} is not a record position`);
    return this.#copy(sessionId, at, 'fork');
  }

  /** A new session with the log before position `at` and the workspace history up to there. */
  async #copy(sessionId: string, at: number, suffix: 'copy' | 'fork'): Promise<SessionMeta> {
    const source = await this.load(sessionId);
    const from = source.session;
    const end = Math.min(at, source.view.records);
    if (at !== Infinity && at > source.view.records) throw new RangeError(`fork point ${at} is outside 0..${source.view.records}`);
    const values = await this.#db.transact(['items'], 'readonly', (t) => readLog(t.items, sessionId)).then((log) => log.values.slice(0, end));
    const records = source.manifests.records.filter((r) => r.atRecord <= end);
    const row = newRow(this.#newId(), this.#now(), { model: from.model });
    if (from.titleSource !== 'default') {
      row.title = markedTitle(from.title, suffix);
      row.titleSource = from.titleSource;
    }
    if (suffix === 'fork') row.forkedFrom = { sessionId, seq: end };
    const copied = records;
    return this.#db.transact(ALL, 'readwrite', async (t) => {
      row.bytes = (await writeRecords(t.items, row.id, values)) + stateBytes(new ManifestHistory(copied).latest());
      row.itemCount = values.length;
      await writeManifests(t, row.id, copied);
      row.manifests = (copied.at(-1)?.n ?? -1) + 1;
      await t.sessions.put(row, row.id);
      return row;
    });
  }

  async exportSession(sessionId: string, options: ExportOptions = {}): Promise<SessionDocument> {
    const loaded = await this.load(sessionId);
    const values = await this.#db.transact(['items'], 'readonly', async (t) => (await readLog(t.items, sessionId)).values);
    const latest = loaded.workspace;
    let records: ManifestRecord[] = [];
    if (options.history) records = [...loaded.manifests.records];
    else if (latest) {
      const reason = loaded.manifests.records.find((r) => r.n === latest.n)?.reason ?? 'migrate';
      records = [recordFor(null, latest, { n: latest.n, atRecord: latest.atRecord, savedAt: latest.savedAt, reason })!];
    }
    const hashes = new Set<string>();
    for (const record of records) for (const ref of Object.values(record.files)) if (ref) hashes.add(ref.hash);
    const blobs = await this.#db.transact(['blobs'], 'readonly', (t) => readBlobs(t, hashes));
    return buildDocument(loaded.session, values, records.length ? workspaceDocument(records, blobs) : null);
  }

  async importSession(input: unknown, options: ImportOptions = {}): Promise<ImportResult> {
    const checked = checkDocument(input);
    if (!checked.ok) return checked;
    const { session, log, workspace } = checked.document;
    const now = this.#now();
    const title = session.title === DEFAULT_TITLE ? '' : options.mark ? markedTitle(session.title, options.mark) : session.title;
    const row = newRow(this.#newId(), now, { title, model: session.model });
    row.createdAt = session.createdAt || now;
    row.updatedAt = session.updatedAt || now;
    const records = workspace?.manifests ?? [];
    const blobs = workspace ? documentBlobs(workspace) : new Map<string, Uint8Array>();
    const stored = await this.#db.transact(ALL, 'readwrite', async (t) => {
      await Promise.all([...blobs].map(([hash, bytes]) => t.blobs.put(bytes, hash)));
      row.bytes =
        (await writeRecords(
          t.items,
          row.id,
          log.map((v) => v ?? undefined),
        )) + stateBytes(new ManifestHistory(records).latest());
      row.itemCount = log.length;
      await writeManifests(t, row.id, records);
      row.manifests = (records.at(-1)?.n ?? -1) + 1;
      await t.sessions.put(row, row.id);
      return row;
    });
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
}
