/**
 * Saved sessions: which one is open, the list to pick from, and everything done to them
 * (new, open, rename, delete with undo, duplicate, fork, export, import, share). The open
 * session's ChatSession records into the store as it goes; opening one restores its workspace.
 * A share link opens read-only, and its files reach the sandbox only when the user forks it.
 */
import type { Sandbox } from '../sandbox/sandbox';
import type { Snapshot } from '../sandbox/snapshot';
import type { LockProvider, SessionLock } from '../store/lock';
import type { SessionDocument, SessionMeta, SessionStore } from '../store/session-store';
import { acquireSessionLock } from '../store/lock';
import { StoreError, toStoreError } from '../store/errors';
import { decodeShare, shareUrl, stripForShare, type Dropped, type ShareLink } from '../store/share';
import { serializeDocument } from '../store/export';
import { ChatSession } from './chat.svelte';
import type { CreateModelOptions } from './model-factory';
import { SessionRecorder } from './session-recorder';
import type { Settings } from './settings.svelte';

export const LAST_SESSION_KEY = 'unroll.lastSession';
/** Sessions in the trash longer than this are removed for good at start. */
const TRASH_DAYS = 30;

export interface SharedView {
  title: string;
  files: string[];
  dropped: Dropped;
  document: SessionDocument;
}

export interface SessionsOptions {
  sandbox: Sandbox;
  settings: Settings;
  /** null when IndexedDB is unavailable: sessions then live in memory only. */
  store: SessionStore | null;
  /** Why the store is unavailable, for the user. */
  storeProblem?: string;
  lockProvider?: LockProvider;
  /** Where the last open session's id is remembered (localStorage in the page). */
  memory?: Pick<Storage, 'getItem' | 'setItem'> | null;
  modelOptions?: CreateModelOptions;
  saveDelayMs?: number;
  now?: () => number;
}

export class Sessions {
  list = $state.raw<SessionMeta[]>([]);
  query = $state('');
  current = $state.raw<SessionMeta | null>(null);
  chat = $state.raw<ChatSession | null>(null);
  /** What went wrong with saving or loading, for a banner; '' when all is well. */
  problem = $state('');
  shared = $state.raw<SharedView | null>(null);
  /** Another tab holds the open session: this one shows it read-only. */
  lockedElsewhere = $state(false);
  /** The last deleted session, while its deletion can be undone. */
  deleted = $state.raw<SessionMeta | null>(null);
  readonly #o: SessionsOptions;
  #lock: SessionLock | null = null;

  constructor(options: SessionsOptions) {
    this.#o = options;
    if (!options.store) this.problem = options.storeProblem ?? 'Sessions cannot be saved in this browser; a reload loses the conversation.';
  }

  get store(): SessionStore | null {
    return this.#o.store;
  }

  /** Opens the share link in `hash` if there is one, else the last session, else a new one. */
  async start(hash = ''): Promise<void> {
    const store = this.#o.store;
    if (store) void store.purgeDeleted(this.#now() - TRASH_DAYS * 86_400_000).catch(() => 0);
    if (await this.openLink(hash)) return;
    await this.refresh();
    const last = this.#o.memory?.getItem(LAST_SESSION_KEY);
    const target = this.list.find((s) => s.id === last) ?? this.list[0];
    if (target) await this.open(target.id);
    else this.newSession();
  }

  /** Shows the session in a `#share=` link read-only; false when `hash` holds none or it is bad. */
  async openLink(hash: string): Promise<boolean> {
    if (!hash.includes('share=')) return false;
    const check = decodeShare(hash);
    if (!check.ok) {
      this.problem = `This share link could not be opened: ${check.problems.join(' ')}`;
      return false;
    }
    await this.#showShared(check.document);
    void this.refresh();
    return true;
  }

  async refresh(): Promise<void> {
    const store = this.#o.store;
    if (!store) return;
    try {
      const { sessions, problems } = await store.list({ query: this.query });
      this.list = sessions;
      if (problems.length) this.problem = problems.map((p) => p.userMessage).join(' ');
    } catch (err) {
      this.problem = toStoreError(err).userMessage;
    }
  }

  /** A new conversation on the current workspace; stored with its first message. */
  newSession(): void {
    void this.#leave();
    this.current = null;
    this.shared = null;
    this.lockedElsewhere = false;
    this.#setChat(null, [], false);
  }

  /** Opens a saved session; with `steal`, takes it from another tab that has it open. */
  async open(id: string, options: { steal?: boolean } = {}): Promise<void> {
    const store = this.#o.store;
    if (!store) return;
    await this.#leave();
    this.shared = null;
    try {
      const lock = await this.#hold(id, options.steal ?? false);
      const loaded = await store.load(id, { repair: !lock.readOnly });
      if (loaded.problems.length) this.problem = loaded.problems.map((p) => p.userMessage).join(' ');
      await this.#o.sandbox.restore(loaded.snapshot?.snapshot ?? emptySnapshot());
      this.current = loaded.session;
      this.#o.memory?.setItem(LAST_SESSION_KEY, id);
      this.#setChat(loaded.session, loaded.items, lock.readOnly, true, loaded.earlier);
    } catch (err) {
      this.problem = toStoreError(err).userMessage;
    }
  }

  /** Takes the session over from the other tab that has it open. */
  async useHere(): Promise<void> {
    const id = this.current?.id;
    if (id) await this.open(id, { steal: true });
  }

  /** Lets go of the open session (the tab is closing). */
  async close(): Promise<void> {
    await this.#leave();
    this.chat?.dispose();
  }

  async #hold(id: string, steal: boolean): Promise<SessionLock> {
    const lock = await acquireSessionLock(id, this.#o.lockProvider, steal ? { steal } : {});
    this.#lock = lock;
    this.lockedElsewhere = lock.readOnly;
    lock.onLost(() => {
      if (this.#lock !== lock) return;
      this.lockedElsewhere = true;
      if (this.chat) this.chat.readOnly = true;
    });
    return lock;
  }

  async rename(id: string, title: string): Promise<void> {
    await this.#try(async (store) => {
      const meta = await store.rename(id, title);
      if (this.current?.id === id) this.current = meta;
    });
  }

  async remove(id: string): Promise<void> {
    await this.#try(async (store) => {
      this.deleted = await store.delete(id);
      if (this.current?.id === id) {
        this.current = this.deleted;
        this.newSession();
      }
    });
  }

  async undoRemove(): Promise<void> {
    const deleted = this.deleted;
    if (!deleted) return;
    this.deleted = null;
    await this.#try((store) => store.undoDelete(deleted.id));
  }

  async duplicate(id: string): Promise<void> {
    await this.#try(async (store) => this.open((await store.duplicate(id)).id));
  }

  /** A new session with the conversation before history item `seq`; `text` goes back into the composer. */
  async forkAt(seq: number, text = ''): Promise<void> {
    const id = this.current?.id;
    if (!id) return;
    await this.chat?.saved();
    await this.#try(async (store) => {
      await this.open((await store.fork(id, seq)).id);
      if (this.chat && text) this.chat.draft = text;
    });
  }

  /** The shared session becomes the user's own: stored, its files in the sandbox. */
  async forkShared(): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    const store = this.#o.store;
    if (!store) {
      // No storage: continue in memory.
      await this.#o.sandbox.restore(shared.document.snapshot ?? emptySnapshot());
      this.shared = null;
      this.#setChat(null, shared.document.items, false);
      return;
    }
    await this.#try(async () => {
      const result = await store.importSession(shared.document);
      if (!result.ok) throw new Error(result.problems.join(' '));
      await this.open(result.session.id);
    });
  }

  async exportFile(id: string): Promise<File | null> {
    return this.#try(async (store) => {
      const document = await store.exportSession(id);
      const name = `${fileName(document.session.title)}.unroll.json`;
      return new File([serializeDocument(document)], name, { type: 'application/json' });
    });
  }

  /** Imports an exported session and opens it; the problems when it cannot be. */
  async importText(text: string): Promise<string[]> {
    const store = this.#o.store;
    if (!store) return ['Sessions cannot be saved in this browser, so there is nowhere to import to.'];
    try {
      const result = await store.importSession(text);
      if (!result.ok) return result.problems;
      await this.open(result.session.id);
      return [];
    } catch (err) {
      return [toStoreError(err).userMessage];
    }
  }

  async share(id: string, base: string): Promise<ShareLink | null> {
    return this.#try(async (store) => shareUrl(base, await store.exportSession(id)));
  }

  async #showShared(document: SessionDocument): Promise<void> {
    await this.#leave();
    const { dropped } = stripForShare(document);
    this.shared = { title: document.session.title, files: Object.keys(document.snapshot?.files ?? {}).sort(), dropped, document };
    this.current = null;
    this.#setChat(null, document.items, true, false);
  }

  #setChat(meta: SessionMeta | null, items: SessionDocument['items'], readOnly: boolean, record = true, earlier: SessionDocument['items'][] = []): void {
    this.chat?.dispose();
    const store = this.#o.store;
    const recorder =
      store && record && !readOnly
        ? new SessionRecorder(store, {
            sessionId: meta?.id ?? null,
            model: this.#o.settings.effectiveModel,
            onSaved: (saved) => this.#saved(saved),
            onError: (error) => (this.problem = error.userMessage),
          })
        : undefined;
    this.chat = new ChatSession(this.#o.sandbox, this.#o.settings, {
      history: items,
      earlier,
      ...(meta ? { sessionId: meta.id } : {}),
      ...(recorder ? { recorder } : {}),
      readOnly,
      onNew: () => {
        this.newSession();
        this.chat?.entries.push({ kind: 'note', text: 'New conversation. The workspace is unchanged.' });
      },
      ...(this.#o.modelOptions ? { modelOptions: this.#o.modelOptions } : {}),
      ...(this.#o.saveDelayMs !== undefined ? { saveDelayMs: this.#o.saveDelayMs } : {}),
    });
  }

  #saved(meta: SessionMeta): void {
    const isNew = this.current?.id !== meta.id;
    this.current = meta;
    if (isNew) {
      this.#o.memory?.setItem(LAST_SESSION_KEY, meta.id);
      void this.#hold(meta.id, false);
    }
    const at = this.list.findIndex((s) => s.id === meta.id);
    this.list = [meta, ...this.list.filter((_, i) => i !== at)];
  }

  /** Saves the open session's workspace and lets go of it. */
  async #leave(): Promise<void> {
    const chat = this.chat;
    const current = this.current;
    const lock = this.#lock;
    this.#lock = null;
    if (chat && !chat.readOnly && current && !current.deletedAt) {
      chat.stop();
      await chat.saved();
      const snapshot = await this.#o.sandbox.snapshot().catch(() => null);
      if (snapshot) await this.#o.store?.saveSnapshot(current.id, snapshot).catch(() => undefined);
    }
    await lock?.release();
  }

  async #try<T>(work: (store: SessionStore) => Promise<T>): Promise<T | null> {
    const store = this.#o.store;
    if (!store) return null;
    try {
      const result = await work(store);
      await this.refresh();
      return result;
    } catch (err) {
      this.problem = describe(err);
      return null;
    }
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}

function describe(err: unknown): string {
  if (err instanceof StoreError) return err.userMessage;
  if (err instanceof Error && err.name === 'Error') return err.message;
  return toStoreError(err).userMessage;
}

function emptySnapshot(): Snapshot {
  return { format: 'unroll-workspace', version: 1, files: {}, binary: {}, dirs: [] };
}

function fileName(title: string): string {
  return title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'session';
}
