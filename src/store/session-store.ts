/**
 * The port the app keeps sessions through. The IndexedDB implementation is in
 * `idb-session-store.ts`; everything here is types, so `app/` can depend on them alone.
 *
 * Contract for every method: failures reject with a `StoreError` (kind 'quota',
 * 'unavailable', 'not_found' or 'unknown'); records that fail validation on read never
 * reject, they come back as 'corrupt' problems next to whatever could be read.
 */
import type { ResponseItem } from '../core/items';
import type { Snapshot } from '../sandbox/snapshot';
import type { StoreError } from './errors';
import type { SessionDocument } from './export';
import type { ListOptions, SessionMeta } from './session-index';
import type { StoredSnapshot } from './snapshots';

export type { SessionMeta, ListOptions, SnapshotRef, DeletedFilter } from './session-index';
export type { StoredSnapshot } from './snapshots';
export type { SessionDocument } from './export';

export interface SessionList {
  /** Most recently updated first. */
  sessions: SessionMeta[];
  /** Index rows that could not be read and were left out. */
  problems: StoreError[];
}

export interface LoadedSession {
  session: SessionMeta;
  /**
   * The log up to its last intact record, normalised by core's `normalizeHistory` (a call
   * cut off by a crash gets its "aborted" output): ready for `new Agent({ history })`.
   */
  items: ResponseItem[];
  /** Conversations replaced by compactions, oldest first: still shown, no longer sent. */
  earlier: ResponseItem[][];
  /** The newest readable workspace snapshot, or null. */
  snapshot: StoredSnapshot | null;
  /** What could not be read (kind 'corrupt'), each with a sentence for the person. */
  problems: StoreError[];
}

export type ImportResult =
  | { ok: true; session: SessionMeta; warnings: string[] }
  | { ok: false; problems: string[] };

export interface SessionStore {
  create(init?: { title?: string; model?: string }): Promise<SessionMeta>;
  /** Index rows only (never items): cheap for any number of sessions. */
  list(options?: ListOptions): Promise<SessionList>;
  get(sessionId: string): Promise<SessionMeta>;
  /**
   * The session's items and newest snapshot. With `repair` (only while holding the session's
   * lock) a log cut short by an unreadable record is truncated there, so later appends
   * continue what was loaded instead of disappearing behind it.
   */
  load(sessionId: string, options?: { repair?: boolean }): Promise<LoadedSession>;
  /**
   * Appends one finished item (call it from `History.onAppend`, in order). Costs the same
   * few requests whatever the session's length; the index row takes its title from the
   * first typed user message while the title is still the default.
   */
  append(sessionId: string, item: ResponseItem): Promise<SessionMeta>;
  /**
   * Records a compaction: the conversation continues as `items`. One more record in the log
   * (nothing is rewritten); `load` returns `items` and what came before them in `earlier`.
   */
  replaceHistory(sessionId: string, items: readonly ResponseItem[]): Promise<SessionMeta>;
  /** Keeps `snapshot` as the workspace after the current last item (call at turn boundaries). */
  saveSnapshot(sessionId: string, snapshot: Snapshot): Promise<SessionMeta>;
  /** Renaming does not change `updatedAt` (that tracks the conversation). */
  rename(sessionId: string, title: string): Promise<SessionMeta>;
  setModel(sessionId: string, model: string): Promise<SessionMeta>;
  /** Moves the session to the trash (`deletedAt`); `undoDelete` brings it back. */
  delete(sessionId: string): Promise<SessionMeta>;
  undoDelete(sessionId: string): Promise<SessionMeta>;
  /** Removes for good the sessions put in the trash before `olderThan` (ms); returns how many. */
  purgeDeleted(olderThan: number): Promise<number>;
  /** A copy with the same items and newest snapshot, titled "… (copy)". */
  duplicate(sessionId: string): Promise<SessionMeta>;
  /**
   * A new session holding the first `count` items of the loaded (normalised) conversation, the
   * newest snapshot taken at or before that point, and `forkedFrom`.
   */
  fork(sessionId: string, count: number): Promise<SessionMeta>;
  /** The session as a document (allow-listed fields, no settings, no keys). */
  exportSession(sessionId: string): Promise<SessionDocument>;
  /** Checks JSON text or a parsed value (see `checkDocument`) and stores it as a new session. */
  importSession(input: unknown): Promise<ImportResult>;
  close(): void;
}
