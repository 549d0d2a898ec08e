/**
 * Saved sessions: which one is open, the list to pick from, and everything done to them
 * (new, open, rename, delete with undo, duplicate, fork, rewind and redo, export, import,
 * share). The open session records into the store as it goes — items, and the workspace's
 * files within moments of any change; opening one restores its workspace. A share link opens
 * read-only, and its files reach the sandbox only when the user forks it.
 */
import type { Sandbox } from '../sandbox/sandbox';
import { emptySnapshot } from '../sandbox/snapshot';
import type { LockProvider, SessionLock } from '../store/lock';
import type { ExportOptions, LoadedSession, Manifest, SessionDocument, SessionMeta, SessionStore } from '../store/session-store';
import { acquireSessionLock } from '../store/lock';
import { toStoreError } from '../store/errors';
import { readShareLink, type ReadLink } from './share-links';
import { followBroadcast } from './broadcast';
import { SessionSharing } from './session-sharing.svelte';
import { describeError } from './describe-error';
import type { StorageLike } from './safe-storage';
import { documentFiles, documentView } from '../store/export';
import { stateFromSnapshot } from '../store/manifests';
import type { ChatSession } from './chat.svelte';
import type { CreateModelOptions } from './model-factory';
import { notReopenedNotice, type OpenGuard } from './open-guard';
import type { SessionRecorder } from './session-recorder';
import type { Settings } from './settings.svelte';
import { redoTo, restoreWorkspace, rewindTo } from './session-rewind';
import type { ToolSources } from './conversation-tools.svelte';
import { createSessionChat, type ChatStart } from './session-chat';
import { documentFile, sharedView, type SharedView } from './session-documents';

export const LAST_SESSION_KEY = 'unroll.lastSession';
/** Sessions in the trash longer than this are removed for good at start. */
const TRASH_DAYS = 30;

export type { SharedView } from './session-documents';

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
  /** MCP servers and web search for every conversation. */
  tools?: ToolSources;
  /** Keeps a session that failed to open at an earlier page load from being reopened on its own. */
  openGuard?: OpenGuard | null;
  /** Where the share-service links this browser made are listed (default: none kept). */
  linkStorage?: StorageLike | null;
  /** How soon after a file change the workspace is saved (ms; default 100, never later than 250). */
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
  /** Making links and broadcasts of the sessions (session-sharing.svelte.ts). */
  readonly sharing: SessionSharing;
  #follow: AbortController | null = null;
  /** Another tab holds the open session: this one shows it read-only. */
  lockedElsewhere = $state(false);
  /** The last deleted session, while its deletion can be undone. */
  deleted = $state.raw<SessionMeta | null>(null);
  /** After a rewind, until the next message: the log position a redo goes back to. */
  redo = $state<number | null>(null);
  /** A session is being left and another opened: what is typed now would reach the old one. */
  switching = $state(false);
  readonly #o: SessionsOptions;
  #lock: SessionLock | null = null;
  #recorder: SessionRecorder | null = null;
  #unwatch: () => void = () => {};
  #switches = 0;

  constructor(options: SessionsOptions) {
    this.#o = options;
    this.sharing = new SessionSharing(
      {
        store: options.store,
        settings: options.settings,
        flush: async (id) => {
          if (id === this.current?.id) await this.#recorder?.flush();
        },
        report: (problem) => (this.problem = problem),
        refresh: () => this.refresh(),
      },
      options.linkStorage ?? null,
    );
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
    if (target && this.#o.openGuard?.shouldAutoOpen(target.id) === false) {
      await this.newSession();
      this.problem = notReopenedNotice(target.title);
    } else if (target) await this.open(target.id);
    else await this.newSession();
  }

  /** Session `id`'s transcript has been drawn: it opens fine, so later page loads may reopen it. */
  opened(id: string): void {
    this.#o.openGuard?.markOpened(id);
  }

  /** Shows the session in a `#share=` or `#s=` link read-only; false when `hash` holds none or it is bad. */
  async openLink(hash: string): Promise<boolean> {
    const read = await readShareLink(hash, this.#o.settings.shareService);
    if (read === null) return false;
    const { check, live } = read;
    this.#follow?.abort();
    this.#follow = null;
    if (!check.ok) {
      this.problem = `This share link could not be opened: ${check.problems.join(' ')}`;
      return false;
    }
    await this.#showShared(check.document, check.warnings);
    if (live) this.#followLive(live);
    void this.refresh();
    return true;
  }

  /** Shows what a live share gains, as it arrives, while it is the session shown. */
  #followLive(link: NonNullable<ReadLink['live']>): void {
    const follow = new AbortController();
    this.#follow = follow;
    void followBroadcast(
      link,
      (next) => {
        if (this.#follow !== follow || this.shared === null) {
          follow.abort();
          return;
        }
        void this.#showShared(next);
      },
      {
        signal: follow.signal,
        onEnded: () => {
          if (this.#follow === follow && this.shared)
            this.chat?.entries.push({ kind: 'note', text: 'The broadcast has ended: this is the whole session.' });
        },
      },
    );
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

  /**
   * A new conversation on the current workspace, stored at once with its files (an empty
   * session that is open already is kept rather than adding another).
   */
  async newSession(): Promise<void> {
    const store = this.#o.store;
    const current = this.current;
    if (store && current && !current.deletedAt && current.itemCount === 0 && !this.chat?.readOnly && !this.shared) return;
    await this.#switching(() => this.#newSession(store));
  }

  async #newSession(store: SessionStore | null): Promise<void> {
    await this.#leave();
    this.shared = null;
    this.lockedElsewhere = false;
    this.current = null;
    if (!store) {
      this.#setChat(null, null, false);
      return;
    }
    try {
      const { state, blobs } = stateFromSnapshot(await this.#o.sandbox.snapshot().catch(() => emptySnapshot()));
      const created = await store.create({ model: this.#o.settings.effectiveModel }, { next: state, blobs, reason: 'new' });
      const lock = await this.#hold(created.id, false);
      this.current = created;
      this.#o.memory?.setItem(LAST_SESSION_KEY, created.id);
      const manifest = { n: 0, atRecord: 0, savedAt: created.createdAt, sinceBase: 0, ...state };
      this.#setChat(created, { manifest, state }, lock.readOnly);
      void this.refresh();
    } catch (err) {
      this.problem = toStoreError(err).userMessage;
      this.#setChat(null, null, false);
    }
  }

  /** Opens a saved session; with `steal`, takes it from another tab that has it open. */
  async open(id: string, options: { steal?: boolean } = {}): Promise<void> {
    const store = this.#o.store;
    if (!store) return;
    await this.#switching(() => this.#open(store, id, options));
  }

  /** While `work` runs, the composer waits (nested switches count once). */
  async #switching(work: () => Promise<void>): Promise<void> {
    this.#switches += 1;
    this.switching = true;
    try {
      await work();
    } finally {
      this.#switches -= 1;
      this.switching = this.#switches > 0;
    }
  }

  async #open(store: SessionStore, id: string, options: { steal?: boolean }): Promise<void> {
    await this.#leave();
    this.shared = null;
    this.#o.openGuard?.markOpening(id);
    try {
      const lock = await this.#hold(id, options.steal ?? false);
      const loaded = await store.load(id, { repair: !lock.readOnly });
      if (loaded.problems.length) this.problem = loaded.problems.map((p) => p.userMessage).join(' ');
      const files = loaded.workspace ? await store.readFiles(loaded.workspace) : null;
      if (files?.missing.length)
        this.problem = `${files.missing.length} file(s) of this session's workspace could not be read: ${files.missing.slice(0, 5).join(', ')}.`;
      await this.#o.sandbox.restore(files?.snapshot ?? emptySnapshot());
      this.current = loaded.session;
      this.redo = loaded.view.redo;
      this.#o.memory?.setItem(LAST_SESSION_KEY, id);
      this.#setChat(loaded.session, loaded, lock.readOnly);
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

  /** Deletes stored file contents nothing names any more; skipped while a turn runs. */
  async collectGarbage(): Promise<number> {
    if (!this.#o.store || this.chat?.running) return 0;
    return this.#o.store.collectGarbage().catch(() => 0);
  }

  /** Writes pending file changes now (the page is being hidden or unloaded). */
  flush(): Promise<void> {
    return this.#recorder?.flush() ?? Promise.resolve();
  }

  /**
   * Puts the conversation and the workspace back as they were at the end of the turn whose
   * record is at `turnAt`, in place. What came after stays in the log, aside, until the next
   * message: `redoRewind` brings it back. The model is told with the next message.
   */
  async rewind(turnAt: number): Promise<void> {
    const id = this.current?.id;
    const store = this.#o.store;
    if (!id || !store || this.chat?.readOnly) return;
    await this.#reopen(id, (loaded) => rewindTo(store, loaded, turnAt));
  }

  /** Undoes the last rewind (only until a message is sent after it). */
  async redoRewind(): Promise<void> {
    const id = this.current?.id;
    const store = this.#o.store;
    const to = this.redo;
    if (!id || !store || to === null) return;
    await this.#reopen(id, (loaded) => redoTo(store, loaded, to));
  }

  /** Saves and leaves the session, changes its log, restores `work`'s workspace, opens it again. */
  async #reopen(id: string, work: (loaded: LoadedSession) => Promise<Manifest | null>): Promise<void> {
    await this.#switching(() => this.#reopenNow(id, work));
  }

  async #reopenNow(id: string, work: (loaded: LoadedSession) => Promise<Manifest | null>): Promise<void> {
    const store = this.#o.store!;
    await this.#leave();
    try {
      const loaded = await store.load(id);
      const target = await work(loaded);
      if (target) await restoreWorkspace(store, this.#o.sandbox, loaded, target);
    } catch (err) {
      this.problem = describeError(err);
    }
    await this.open(id);
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
        // The most recent remaining session takes its place; a new one only when none is left.
        this.current = this.deleted;
        const next = (await store.list()).sessions[0];
        if (next) await this.open(next.id);
        else await this.newSession();
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

  /**
   * A new session with the conversation before log position `at` and the workspace as it was
   * there; `text` goes back into the composer.
   */
  async forkAt(at: number, text = ''): Promise<void> {
    const id = this.current?.id;
    if (!id) return;
    await this.#recorder?.flush();
    await this.chat?.saved();
    await this.#try(async (store) => {
      await this.open((await store.fork(id, at)).id);
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
      await this.#o.sandbox.restore(documentFiles(shared.document) ?? emptySnapshot());
      this.shared = null;
      this.#setChat(null, { view: documentView(shared.document) }, false);
      return;
    }
    await this.#try(async () => {
      const result = await store.importSession(shared.document, { mark: 'fork' });
      if (!result.ok) throw new Error(result.problems.join(' '));
      await this.open(result.session.id);
    });
  }

  async exportFile(id: string, options: ExportOptions = {}): Promise<File | null> {
    return this.#try(async (store) => {
      if (id === this.current?.id) await this.#recorder?.flush();
      return documentFile(await store.exportSession(id, options));
    });
  }

  /** Imports an exported session and opens it; the problems when it cannot be. */
  async importText(text: string): Promise<string[]> {
    const store = this.#o.store;
    if (!store) return ['Sessions cannot be saved in this browser, so there is nowhere to import to.'];
    try {
      const result = await store.importSession(text, { mark: 'imported' });
      if (!result.ok) return result.problems;
      await this.open(result.session.id);
      this.#tell(result.warnings);
      return [];
    } catch (err) {
      return [toStoreError(err).userMessage];
    }
  }

  async #showShared(document: SessionDocument, warnings: readonly string[] = []): Promise<void> {
    await this.#leave();
    this.shared = sharedView(document);
    this.current = null;
    this.redo = null;
    this.#setChat(null, { view: documentView(document) }, true);
    this.#tell(warnings);
  }

  /** Notes at the end of the open chat (what an import left out or repaired). */
  #tell(lines: readonly string[]): void {
    for (const text of lines) this.chat?.entries.push({ kind: 'note', text });
  }

  /** The chat for a session (session-chat.ts); a stored, writable one is recorded as it goes. */
  #setChat(meta: SessionMeta | null, from: ChatStart, readOnly: boolean): void {
    this.chat?.dispose();
    const made = createSessionChat(
      {
        sandbox: this.#o.sandbox,
        settings: this.#o.settings,
        store: this.#o.store,
        ...(this.#o.modelOptions ? { modelOptions: this.#o.modelOptions } : {}),
        ...(this.#o.tools ? { tools: this.#o.tools } : {}),
        ...(this.#o.saveDelayMs !== undefined ? { saveDelayMs: this.#o.saveDelayMs } : {}),
        onSaved: (saved) => this.#saved(saved),
        onError: (error) => (this.problem = error.userMessage),
        onNew: () => {
          void this.newSession().then(() => this.chat?.entries.push({ kind: 'note', text: 'New conversation. The workspace is unchanged.' }));
        },
      },
      meta,
      from,
      readOnly,
    );
    if (made.recording) {
      this.#recorder = made.recording.recorder;
      this.#unwatch = made.recording.stop;
    }
    this.chat = made.chat;
  }

  #saved(meta: SessionMeta): void {
    if (this.current?.id !== meta.id) return; // a write of a session already left
    this.current = meta;
    // Something was sent after a rewind: it can no longer be redone.
    if (this.redo !== null && meta.itemCount > this.redo + 1) this.redo = null;
    const at = this.list.findIndex((s) => s.id === meta.id);
    this.list = [meta, ...this.list.filter((_, i) => i !== at)];
  }

  /** Saves the open session's workspace and lets go of it. */
  async #leave(): Promise<void> {
    const chat = this.chat;
    const current = this.current;
    const lock = this.#lock;
    const recorder = this.#recorder;
    this.#lock = null;
    this.#recorder = null;
    this.#unwatch();
    this.#unwatch = () => {};
    if (chat && recorder && !chat.readOnly && current && !current.deletedAt) {
      chat.stop();
      await chat.saved();
      await recorder.flush();
    }
    recorder?.dispose();
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
      this.problem = describeError(err);
      return null;
    }
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}
