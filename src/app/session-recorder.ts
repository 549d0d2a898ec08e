/**
 * Writes one conversation to the store as it happens: each finished item appended in order,
 * the workspace saved at turn boundaries and shortly after any file change. A failed write is
 * reported (once per kind) and the conversation goes on; later writes are still attempted.
 */
import type { ResponseItem } from '../core/items';
import type { Snapshot } from '../sandbox/snapshot';
import type { SessionMeta, SessionStore } from '../store/session-store';
import { toStoreError, type StoreError } from '../store/errors';

export interface RecorderOptions {
  /** The session's id, or null to create its index row with the first item. */
  sessionId: string | null;
  model?: string;
  /** Called with the session's row after each write. */
  onSaved?: (meta: SessionMeta) => void;
  onError?: (error: StoreError) => void;
}

export class SessionRecorder {
  readonly #store: SessionStore;
  readonly #options: RecorderOptions;
  #id: string | null;
  #chain: Promise<unknown> = Promise.resolve();
  #failed = false;

  constructor(store: SessionStore, options: RecorderOptions) {
    this.#store = store;
    this.#options = options;
    this.#id = options.sessionId;
  }

  get sessionId(): string | null {
    return this.#id;
  }

  append(item: ResponseItem): Promise<void> {
    return this.#enqueue(async () => this.#store.append(await this.#ensure(), item));
  }

  /** A compaction: the conversation continues as `items`. */
  replace(items: readonly ResponseItem[]): Promise<void> {
    return this.#enqueue(async () => this.#store.replaceHistory(await this.#ensure(), items));
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    // A workspace alone does not make a session: wait for the first item.
    if (!this.#id) return this.#chain.then(() => undefined);
    return this.#enqueue(async () => this.#store.saveSnapshot(await this.#ensure(), snapshot));
  }

  /** Resolves when every write asked for so far has finished (or failed). */
  idle(): Promise<void> {
    return this.#chain.then(() => undefined);
  }

  /** The session's id, creating its row first if needed (null when that fails). */
  async ensure(): Promise<string | null> {
    try {
      await this.#chain;
      return await this.#ensure();
    } catch (err) {
      this.#options.onError?.(toStoreError(err));
      return null;
    }
  }

  async #ensure(): Promise<string> {
    if (this.#id) return this.#id;
    const meta = await this.#store.create(this.#options.model ? { model: this.#options.model } : {});
    this.#id = meta.id;
    return meta.id;
  }

  #enqueue(write: () => Promise<SessionMeta>): Promise<void> {
    const next = this.#chain.then(write).then(
      (meta) => {
        this.#failed = false;
        this.#options.onSaved?.(meta);
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
