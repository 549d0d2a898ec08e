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
import type { LogView } from './log-fold';
import type { ControlRecord } from './log-records';
import type { Manifest, ManifestHistory, WorkspaceState } from './manifests';
import type { ListOptions, SessionMeta } from './session-index';
import type { TitleMark } from './title';
import type { WorkspaceSave } from './workspace-store';

export type { SessionMeta, ListOptions } from './session-index';
export type { SessionDocument } from './export';
export type { LogView } from './log-fold';
export type { ControlRecord, ToolRecord } from './log-records';
export type { Manifest, ManifestHistory, ManifestReason, WorkspaceState } from './manifests';
export type { WorkspaceSave } from './workspace-store';

export interface SessionList {
  /** Most recently updated first. */
  sessions: SessionMeta[];
  /** Index rows that could not be read and were left out. */
  problems: StoreError[];
}

export interface LoadedSession {
  session: SessionMeta;
  /**
   * The conversation that continues, normalised by core's `normalizeHistory` (a call cut off
   * by a crash gets its "aborted" output): ready for `new Agent({ history })`.
   */
  items: ResponseItem[];
  /** The whole log folded: every segment with record positions, turns, tool results, redo. */
  view: LogView;
  /** The workspace's history; `workspace` is its newest manifest (null when none). */
  manifests: ManifestHistory;
  workspace: Manifest | null;
  /** What could not be read (kind 'corrupt'), each with a sentence for the person. */
  problems: StoreError[];
}

export type ImportResult = { ok: true; session: SessionMeta; warnings: string[] } | { ok: false; problems: string[] };

export interface ImportOptions {
  /** Marks the title (unless it is the default one): a fork of a share link, an imported file. */
  mark?: TitleMark;
}

export interface ExportOptions {
  /** Every manifest and every file version they name; by default the newest manifest only. */
  history?: boolean;
}

export interface SessionStore {
  /** A new session; with `workspace`, its files are recorded at once as manifest 0 (see `manifests`). */
  create(init?: { title?: string; model?: string }, workspace?: Omit<WorkspaceSave, 'prev'>): Promise<SessionMeta>;
  /** Index rows only (never items): cheap for any number of sessions. */
  list(options?: ListOptions): Promise<SessionList>;
  get(sessionId: string): Promise<SessionMeta>;
  /**
   * The session's log folded, and its workspace history. With `repair` (only while holding
   * the session's lock) version 1 snapshots are turned into manifests. Never truncates.
   */
  load(sessionId: string, options?: { repair?: boolean }): Promise<LoadedSession>;
  /**
   * Appends one finished item (call it from `History.onAppend`, in order). Costs the same
   * few requests whatever the session's length; the index row takes its title from the
   * first typed user message while the title is still the default.
   */
  append(sessionId: string, item: ResponseItem): Promise<SessionMeta>;
  /** Appends one of the app's own records (a turn's end, a tool result, a rewind, a note). */
  appendControl(sessionId: string, record: ControlRecord): Promise<SessionMeta>;
  /**
   * Records a compaction: the conversation continues as `items`. One more record in the log
   * (nothing is rewritten); `load` shows what came before as earlier segments.
   */
  replaceHistory(sessionId: string, items: readonly ResponseItem[]): Promise<SessionMeta>;
  /**
   * Records the workspace as a manifest linked to the log's current position, writing only the
   * files that changed since `save.prev`. `manifest` is null when nothing changed.
   */
  saveWorkspace(sessionId: string, save: WorkspaceSave): Promise<{ session: SessionMeta; manifest: Manifest | null }>;
  /** The files of `state` (only `paths`, when given) as a snapshot, read from their blobs. */
  readFiles(state: WorkspaceState, paths?: readonly string[]): Promise<{ snapshot: Snapshot; missing: string[] }>;
  /** Deletes file contents no manifest names any more (call when idle). Returns how many. */
  collectGarbage(): Promise<number>;
  /** Renaming does not change `updatedAt` (that tracks the conversation). */
  rename(sessionId: string, title: string): Promise<SessionMeta>;
  setModel(sessionId: string, model: string): Promise<SessionMeta>;
  /** Moves the session to the trash (`deletedAt`); `undoDelete` brings it back. */
  delete(sessionId: string): Promise<SessionMeta>;
  undoDelete(sessionId: string): Promise<SessionMeta>;
  /** Removes for good the sessions put in the trash before `olderThan` (ms); returns how many. */
  purgeDeleted(olderThan: number): Promise<number>;
  /** A copy with the same log and workspace history, titled "… (copy)" (see `markedTitle`). */
  duplicate(sessionId: string): Promise<SessionMeta>;
  /**
   * A new session holding the log before record position `at` (every segment, compactions
   * included) and the workspace as it was there, with `forkedFrom`.
   */
  fork(sessionId: string, at: number): Promise<SessionMeta>;
  /** The session as a document (allow-listed fields, no settings, no keys). */
  exportSession(sessionId: string, options?: ExportOptions): Promise<SessionDocument>;
  /** Checks JSON text or a parsed value (see `checkDocument`) and stores it as a new session. */
  importSession(input: unknown, options?: ImportOptions): Promise<ImportResult>;
  close(): void;
}
