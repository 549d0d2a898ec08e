/**
 * Writes one session to the store as it happens, in order: each finished item, the app's own
 * records (turn endings, tool results, notes), and the workspace's manifests — saved within
 * `saveDelayMs` (at most `maxDelayMs`) of any file change, before each item is appended (so a
 * manifest sits at the log position its files belong to), at each turn's end and on `flush`.
 * A failed write is reported (once per run of failures) and the conversation goes on; later
 * writes are still attempted.
 */
import type { ResponseItem } from '../core/items';
import type { ControlRecord, Manifest, ManifestReason, SessionMeta, SessionStore } from '../store/session-store';
import { toStoreError, type StoreError } from '../store/errors';
import { hostClearTimeout, hostSetTimeout } from './host-timers';
import type { WorkspaceTracker } from './workspace-tracker';

export interface RecorderOptions {
  sessionId: string;
  /** Records already in the log (the next record's position). */
  records: number;
  /** The newest stored manifest. */
  manifest: Manifest | null;
  tracker?: WorkspaceTracker;
  /** Called with the session's row after each write. */
  onSaved?: (meta: SessionMeta) => void;
  onError?: (error: StoreError) => void;
  saveDelayMs?: number;
  maxDelayMs?: number;
}

export class SessionRecorder {
  readonly store: SessionStore;
  readonly sessionId: string;
  readonly #options: RecorderOptions;
  #chain: Promise<unknown> = Promise.resolve();
  #failed = false;
  #position: number;
  #manifest: Manifest | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstDirtyAt = 0;
  /** The position the newest manifest was linked to: positions never go back. */
  #label = 0;

  constructor(store: SessionStore, options: RecorderOptions) {
    this.store = store;
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
    if (this.#options.tracker?.dirty) {
      // A failed file save must not cost the item: it is reported and the item still written.
      this.#chain = this.#chain.then(() => this.#saveFiles('auto', false, at).catch((err: unknown) => this.#options.onError?.(toStoreError(err))));
    }
    void this.#enqueue(() => this.store.append(this.sessionId, item));
    return at;
  }

  /** A compaction: the conversation continues as `items`. */
  replace(items: readonly ResponseItem[]): number {
    const at = this.#position++;
    void this.#enqueue(() => this.store.replaceHistory(this.sessionId, items));
    return at;
  }

  control(record: ControlRecord): number {
    const at = this.#position++;
    void this.#enqueue(() => this.store.appendControl(this.sessionId, record));
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
      const saved = await this.store.saveWorkspace(this.sessionId, {
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

  #enqueue(write: () => Promise<SessionMeta | null>): Promise<void> {
    const next = this.#chain.then(write).then(
      (meta) => {
        this.#failed = false;
        if (meta) this.#options.onSaved?.(meta);
      },
      (err: unknown) => {
        // Report the first failure of a run, not every write after it.
        if (!this.#failed) this.#options.onError?.(toStoreError(err));
        this.#failed = true;
      },
    );
    this.#chain = next;
    return next;
  }
}
