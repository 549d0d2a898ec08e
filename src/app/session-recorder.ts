/**
 * The only writer of an open session: each finished item, the app's own records (turn endings,
 * tool results, notes, rewinds), and the workspace's manifests — saved within `saveDelayMs` (at
 * most `maxDelayMs`) of any file change, before each item is appended (so a manifest sits at
 * the log position its files belong to), at each turn's end and on `flush`. Writes happen one
 * after another, in the order they were asked for.
 *
 * Contract: no method throws or rejects. A failed write is reported through `onError` (once per
 * run of failures, so a full disk is not announced for every item) and the conversation goes
 * on; later writes are still attempted. The last save of `close` and a `goto` are reported
 * whenever they fail: the person must learn that leaving or rewinding lost something. Once
 * `close` is called nothing more is written (the tab is letting the session go).
 */
import type { ResponseItem } from '../core/items';
import { StoreError, toStoreError } from '../store/errors';
import type { GotoRecord } from '../store/log-records';
import type { ControlRecord, Manifest, ManifestReason, SessionMeta, SessionStore } from '../store/session-store';
import { hostClearTimeout, hostSetTimeout } from './host-timers';
import type { WorkspaceTracker } from './workspace-tracker';
import type { StoredFiles } from './turn-changes';

export interface RecorderOptions {
  sessionId: string;
  /** Records already in the log (the next record's position). */
  records: number;
  /** The newest stored manifest. */
  manifest: Manifest | null;
  tracker?: WorkspaceTracker;
  /** Called with the session's row after each write. */
  onSaved?: (meta: SessionMeta) => void;
  /** Called with what went wrong when a write fails (see the contract above). */
  onError?: (error: StoreError) => void;
  saveDelayMs?: number;
  maxDelayMs?: number;
}

/** How a write's failure is reported: once per run of failures, or every time. */
type Reporting = 'once' | 'always';

export class SessionRecorder {
  /** Reads what was written (file contents of manifests); every write goes through the recorder. */
  readonly files: StoredFiles;
  readonly #store: SessionStore;
  readonly sessionId: string;
  readonly #options: RecorderOptions;
  #chain: Promise<unknown> = Promise.resolve();
  #failed = false;
  #closed = false;
  #position: number;
  #manifest: Manifest | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstDirtyAt = 0;
  /** The position the newest manifest was linked to: positions never go back. */
  #label = 0;

  constructor(store: SessionStore, options: RecorderOptions) {
    this.#store = store;
    this.files = { readFiles: (state, paths) => store.readFiles(state, paths) };
    this.#options = options;
    this.sessionId = options.sessionId;
    this.#position = options.records;
    this.#manifest = options.manifest;
    this.#label = options.manifest?.atRecord ?? 0;
  }

  /** The log position the next record gets. */
  get position(): number {
    return this.#position;
  }

  /** The newest manifest written (or loaded). */
  get manifest(): Manifest | null {
    return this.#manifest;
  }

  /**
   * Appends an item; returns its log position. Files changed before it was produced are saved
   * first, linked to the position before it, so a fork there has them and one earlier does not.
   */
  append(item: ResponseItem): number {
    const at = this.#position++;
    if (this.#options.tracker?.dirty && !this.#closed) {
      // A failed file save must not cost the item: it is reported and the item still written.
      this.#chain = this.#chain.then(() => this.#saveFiles('auto', false, at).catch((err: unknown) => this.#report(err, 'once')));
    }
    void this.#enqueue(() => this.#store.append(this.sessionId, item));
    return at;
  }

  /** A compaction: the conversation continues as `items`. */
  replace(items: readonly ResponseItem[]): number {
    const at = this.#position++;
    void this.#enqueue(() => this.#store.replaceHistory(this.sessionId, items));
    return at;
  }

  control(record: ControlRecord): number {
    const at = this.#position++;
    void this.#enqueue(() => this.#store.appendControl(this.sessionId, record));
    return at;
  }

  /** A file changed: save soon (debounced, but never later than `maxDelayMs` after the first change). */
  changed(): void {
    const delay = this.#options.saveDelayMs ?? 100;
    const max = this.#options.maxDelayMs ?? 250;
    const now = Date.now();
    if (this.#timer === undefined) this.#firstDirtyAt = now;
    else hostClearTimeout(this.#timer);
    const wait = Math.max(0, Math.min(delay, this.#firstDirtyAt + max - now));
    this.#timer = hostSetTimeout(() => {
      this.#timer = undefined;
      void this.saveWorkspace('auto');
    }, wait);
  }

  /**
   * Records the workspace now; resolves with the newest manifest once written. `force`
   * records one even when nothing changed (a turn's end points at it).
   */
  saveWorkspace(reason: ManifestReason, force = false): Promise<Manifest | null> {
    if (this.#timer !== undefined) {
      hostClearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // Linked to the items produced so far: those produced while it waits its turn come after.
    const at = this.#position;
    return this.#enqueue(() => this.#saveFiles(reason, force, at)).then(() => this.#manifest);
  }

  /** Pending saves written now (the page is going away). */
  flush(): Promise<void> {
    return this.saveWorkspace('save').then(() => undefined);
  }

  /**
   * A rewind or a redo: the `goto` record, then `workspace` (what the sandbox is about to hold)
   * as the newest manifest. The manifest is saved only when the record was: a log that did not
   * move keeps its files. Resolves once both are written, or the failure reported.
   */
  goto(record: GotoRecord, workspace: Manifest | null): Promise<void> {
    this.#position++;
    return this.#enqueue(async () => {
      const meta = await this.#store.appendControl(this.sessionId, record);
      if (!workspace) return meta;
      const saved = await this.#store.saveWorkspace(this.sessionId, {
        prev: this.#manifest,
        next: workspace,
        blobs: new Map(),
        reason: 'rewind',
        force: true,
      });
      this.#manifest = saved.manifest;
      if (saved.manifest) this.#label = saved.manifest.atRecord;
      // What was changed on disk before the rewind is not the rewound session's.
      this.#options.tracker?.reset(workspace);
      return saved.session;
    }, 'always');
  }

  /**
   * The session is being left: pending files saved (a failure of this last save reported even
   * within a run of failures) and every write finished; nothing is written after. With `save`
   * false the session is no longer this tab's to write (deleted, or another tab took it):
   * pending file changes are dropped, writes already asked for still finish.
   */
  async close({ save = true }: { save?: boolean } = {}): Promise<void> {
    if (this.#closed) return this.idle();
    this.dispose();
    const at = this.#position;
    const last = save ? this.#enqueue(() => this.#saveFiles('save', false, at), 'always') : this.idle();
    this.#closed = true;
    await last;
  }

  /** Resolves when every write asked for so far has finished (or failed). */
  idle(): Promise<void> {
    return this.#chain.then(() => undefined);
  }

  dispose(): void {
    if (this.#timer !== undefined) hostClearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** `at`: the log position the files belong to. */
  async #saveFiles(reason: ManifestReason, force: boolean, at: number): Promise<SessionMeta | null> {
    const tracker = this.#options.tracker;
    const collected = tracker ? await tracker.collect() : null;
    if (!collected && !force) return null;
    const next = collected?.next ?? tracker?.state ?? this.#manifest ?? { files: new Map(), dirs: [] };
    const atRecord = Math.max(at, this.#label);
    try {
      const saved = await this.#store.saveWorkspace(this.sessionId, {
        prev: this.#manifest,
        next,
        blobs: collected?.blobs ?? new Map(),
        reason,
        force,
        atRecord,
      });
      this.#label = atRecord;
      if (collected) tracker?.commit(collected);
      this.#manifest = saved.manifest;
      return saved.session;
    } catch (err) {
      if (collected) tracker?.retry(collected);
      throw err;
    }
  }

  #enqueue(write: () => Promise<SessionMeta | null>, reporting: Reporting = 'once'): Promise<void> {
    if (this.#closed) {
      // A bug, not a full disk: the session was let go, and writing now could interleave with
      // the tab that holds it next. Said rather than done, and never silently.
      this.#report(new StoreError('unknown', 'a write came after the session was closed'), 'always');
      return this.idle();
    }
    const next = this.#chain.then(write).then(
      (meta) => {
        this.#failed = false;
        if (meta) this.#options.onSaved?.(meta);
      },
      (err: unknown) => this.#report(err, reporting),
    );
    this.#chain = next;
    return next;
  }

  /** The first failure of a run is reported, not every write after it, unless `always`. */
  #report(err: unknown, reporting: Reporting): void {
    if (!this.#failed || reporting === 'always') this.#options.onError?.(toStoreError(err));
    this.#failed = true;
  }
}
