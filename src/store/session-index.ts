/**
 * The session index: one small row per session (never its items), read whole for the
 * session list. Rows are checked on read; a bad row is reported and left out, not fatal.
 */
import { DEFAULT_TITLE } from './title';
import { describe, isCount, isObject, isTimestamp, type Checked } from './validate';

/** A kept workspace snapshot, as the index row knows it (the blob lives in `snapshots`). */
export interface SnapshotRef {
  /** The number of items in the log when the snapshot was taken (a turn boundary). */
  atItem: number;
  bytes: number;
  savedAt: number;
}

export interface SessionMeta {
  id: string;
  title: string;
  /** 'default' until a title is chosen; 'auto' from the first user message; 'user' once renamed. */
  titleSource: 'default' | 'auto' | 'user';
  createdAt: number;
  updatedAt: number;
  /** The model id last used; '' when none yet. */
  model: string;
  /** Items in the log; also the next item's sequence number. */
  itemCount: number;
  /** UTF-8 bytes of the stored records plus the files of the newest workspace manifest. */
  bytes: number;
  /** Version 1's whole-workspace snapshots, oldest first; empty once turned into manifests. */
  snapshots: SnapshotRef[];
  /** Workspace manifests recorded (the next one's number). */
  manifests: number;
  /** Set while the session is in the trash; cleared by `undoDelete`. */
  deletedAt?: number;
  /** The session and item count this one was forked from. */
  forkedFrom?: { sessionId: string; seq: number };
}

export type DeletedFilter = 'exclude' | 'include' | 'only';

export interface ListOptions {
  /** Case-insensitive text the title must contain. */
  query?: string;
  /** Sessions in the trash are left out by default. */
  deleted?: DeletedFilter;
}

/** Rows matching `options`, most recently updated first. */
export function filterAndSort(rows: readonly SessionMeta[], options: ListOptions = {}): SessionMeta[] {
  const query = options.query?.trim().toLowerCase() ?? '';
  const deleted = options.deleted ?? 'exclude';
  return rows
    .filter((row) => (deleted === 'include' ? true : deleted === 'only' ? row.deletedAt !== undefined : row.deletedAt === undefined))
    .filter((row) => !query || row.title.toLowerCase().includes(query))
    .sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

/** A stored row as a SessionMeta (a fresh object with known fields only), or what is wrong with it. */
export function readRow(value: unknown, key: IDBValidKey): Checked<SessionMeta> {
  const bad = (why: string): Checked<SessionMeta> => ({ ok: false, problem: `the index entry for session ${describe(String(key))} ${why}` });
  if (!isObject(value)) return bad('is not an object');
  if (typeof value.id !== 'string' || value.id !== key) return bad('has a wrong id');
  if (typeof value.title !== 'string') return bad('has no title');
  if (!['default', 'auto', 'user'].includes(value.titleSource as string)) return bad('has an unknown title source');
  if (!isTimestamp(value.createdAt) || !isTimestamp(value.updatedAt)) return bad('has bad dates');
  if (typeof value.model !== 'string') return bad('has no model');
  if (!isCount(value.itemCount) || !isCount(value.bytes)) return bad('has bad counts');
  if (!Array.isArray(value.snapshots)) return bad('has no snapshot list');
  const snapshots: SnapshotRef[] = [];
  for (const ref of value.snapshots) {
    if (!isObject(ref) || !isCount(ref.atItem) || !isCount(ref.bytes) || !isTimestamp(ref.savedAt)) return bad('has a bad snapshot entry');
    snapshots.push({ atItem: ref.atItem, bytes: ref.bytes, savedAt: ref.savedAt });
  }
  const row: SessionMeta = {
    id: value.id,
    title: value.title,
    titleSource: value.titleSource as SessionMeta['titleSource'],
    createdAt: value.createdAt,
    updatedAt: value.updatedAt,
    model: value.model,
    itemCount: value.itemCount,
    bytes: value.bytes,
    snapshots,
    manifests: isCount(value.manifests) ? value.manifests : 0,
  };
  if (value.deletedAt !== undefined) {
    if (!isTimestamp(value.deletedAt)) return bad('has a bad deletion date');
    row.deletedAt = value.deletedAt;
  }
  if (value.forkedFrom !== undefined) {
    const from = value.forkedFrom;
    if (!isObject(from) || typeof from.sessionId !== 'string' || !isCount(from.seq)) return bad('has a bad fork origin');
    row.forkedFrom = { sessionId: from.sessionId, seq: from.seq };
  }
  return { ok: true, value: row };
}

export function newRow(id: string, now: number, init: { title?: string; model?: string } = {}): SessionMeta {
  const title = init.title?.trim();
  return {
    id,
    title: title || DEFAULT_TITLE,
    titleSource: title ? 'user' : 'default',
    createdAt: now,
    updatedAt: now,
    model: init.model ?? '',
    itemCount: 0,
    bytes: 0,
    snapshots: [],
    manifests: 0,
  };
}
