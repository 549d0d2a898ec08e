/**
 * Saved sessions: which one is open, the list to pick from, and everything done to them
 * (new, open, rename, delete with undo, duplicate, fork, rewind and redo, export, import,
 * share). The open session records into the store as it goes — items, and the workspace's
 * files within moments of any change; opening one restores its workspace. A share link opens
 * read-only, and its files reach the sandbox only when the user forks it.
 */
import { emptySnapshot } from '../sandbox/snapshot';
import type { SessionLock } from '../store/lock';
import type { ExportOptions, LoadedSession, SessionDocument, SessionMeta, SessionStore } from '../store/session-store';
import { toStoreError } from '../store/errors';
import { SessionSharing } from './session-sharing.svelte';
import { describeError } from './describe-error';
import { documentFiles, documentView } from '../store/export';
import { stateFromSnapshot } from '../store/manifests';
import type { ChatSession } from './chat.svelte';
import { LinkViewer } from './link-viewer';
import { notReopenedNotice } from './open-guard';
import { OpenSession } from './open-session';
import type { SessionRecorder } from './session-recorder';
import { redoTarget, rewindTarget, type GotoTarget } from './session-rewind';
import type { ChatStart, SessionChatParts } from './session-chat';
import { sharedView, type SharedView } from './session-documents';
import { SessionLibrary } from './session-library';
import type { SessionsOptions } from './sessions-options';

export const LAST_SESSION_KEY = 'unroll.lastSession';
/** Sessions in the trash longer than this are removed for good at start. */
const TRASH_DAYS = 30;

export type { SharedView } from './session-documents';
export type { SessionsOptions } from './sessions-options';

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
  /** Another tab holds the open session: this one shows it read-only. */
  lockedElsewhere = $state(false);
  /** The last deleted session, while its deletion can be undone. */
  deleted = $state.raw<SessionMeta | null>(null);
  /** After a rewind, until the next message: the log position a redo goes back to. */
  redo = $state<number | null>(null);
  /** A session is being left and another opened: what is typed now would reach the old one. */
  switching = $state(false);
  readonly #o: SessionsOptions;
  /** The open session's lock and recording. */
  readonly #openSession: OpenSession;
  /** What every chat is built from (session-chat.ts). */
  readonly #chatParts: SessionChatParts;
  readonly #library = new SessionLibrary(this);
  readonly #links: LinkViewer;
  #switches = 0;

  constructor(options: SessionsOptions) {
    this.#o = options;
    this.#openSession = new OpenSession(options.lockProvider);
    this.#chatParts = {
      sandbox: options.sandbox,
      settings: options.settings,
      store: options.store,
      ...(options.modelOptions ? { modelOptions: options.modelOptions } : {}),
      ...(options.tools ? { tools: options.tools } : {}),
      ...(options.saveDelayMs !== undefined ? { saveDelayMs: options.saveDelayMs } : {}),
      onSaved: (saved) => this.#saved(saved),
      // The recorder's failures (a full disk, storage taken away) reach the banner.
      onError: (error) => (this.problem = error.userMessage),
      onNew: () => {
        void this.newSession().then(() => this.#tell(['New conversation. The workspace is unchanged.']));
      },
    };
    this.#links = new LinkViewer({
      shareService: () => options.settings.shareService,
      show: (document, warnings) => this.#showShared(document, warnings),
      showing: () => this.shared !== null,
      note: (text) => this.#tell([text]),
      report: (problem) => (this.problem = problem),
    });
    this.sharing = new SessionSharing(
      {
        store: options.store,
        settings: options.settings,
        flush: async (id) => {
          if (id === this.current?.id) await this.#openSession.flush();
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
    const shown = await this.#links.open(hash);
    if (shown) void this.refresh();
    return shown;
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
      this.#setChat(null, null, { readOnly: false });
      return;
    }
    try {
      const { state, blobs } = stateFromSnapshot(await this.#o.sandbox.snapshot().catch(() => emptySnapshot()));
      const created = await store.create({ model: this.#o.settings.effectiveModel }, { next: state, blobs, reason: 'new' });
      const lock = await this.#hold(created.id, { steal: false });
      this.current = created;
      this.#o.memory?.setItem(LAST_SESSION_KEY, created.id);
      const manifest = { n: 0, atRecord: 0, savedAt: created.createdAt, sinceBase: 0, ...state };
      this.#setChat(created, { manifest, state }, { readOnly: lock.readOnly });
      void this.refresh();
    } catch (err) {
      this.problem = toStoreError(err).userMessage;
      this.#setChat(null, null, { readOnly: false });
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
      const lock = await this.#hold(id, { steal: options.steal ?? false });
      const loaded = await store.load(id, { repair: !lock.readOnly });
      if (loaded.problems.length) this.problem = loaded.problems.map((p) => p.userMessage).join(' ');
      const files = loaded.workspace ? await store.readFiles(loaded.workspace) : null;
      if (files?.missing.length)
        this.problem = `${files.missing.length} file(s) of this session's workspace could not be read: ${files.missing.slice(0, 5).join(', ')}.`;
      await this.#o.sandbox.restore(files?.snapshot ?? emptySnapshot());
      this.current = loaded.session;
      this.redo = loaded.view.redo;
      this.#o.memory?.setItem(LAST_SESSION_KEY, id);
      this.#setChat(loaded.session, loaded, { readOnly: lock.readOnly });
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
    return this.#openSession.flush();
  }

  /**
   * Puts the conversation and the workspace back as they were at the end of the turn whose
   * record is at `turnAt`, in place. What came after stays in the log, aside, until the next
   * message: `redoRewind` brings it back. The model is told with the next message.
   */
  async rewind(turnAt: number): Promise<void> {
    const id = this.current?.id;
    if (!id || !this.#o.store || this.chat?.readOnly) return;
    await this.#reopen(id, (loaded) => rewindTarget(loaded, turnAt));
  }

  /** Undoes the last rewind (only until a message is sent after it). */
  async redoRewind(): Promise<void> {
    const id = this.current?.id;
    const to = this.redo;
    if (!id || !this.#o.store || to === null) return;
    await this.#reopen(id, (loaded) => redoTarget(loaded, to));
  }

  /**
   * Leaves the session, its recorder's last write moving the log to `target` (with that point's
   * workspace), and opens it again there: its files go back into the sandbox as it opens.
   */
  async #reopen(id: string, target: (loaded: LoadedSession) => GotoTarget): Promise<void> {
    const store = this.#o.store!;
    await this.#switching(async () => {
      await this.#leave(async (recorder) => {
        try {
          const { record, workspace } = target(await store.load(id));
          await recorder.goto(record, workspace);
        } catch (err) {
          this.problem = describeError(err);
        }
      });
      await this.open(id);
    });
  }

  async #hold(id: string, { steal }: { steal: boolean }): Promise<SessionLock> {
    const lock = await this.#openSession.hold(id, {
      steal,
      onLost: () => {
        this.lockedElsewhere = true;
        if (this.chat) this.chat.readOnly = true;
      },
    });
    this.lockedElsewhere = lock.readOnly;
    return lock;
  }

  rename(id: string, title: string): Promise<void> {
    return this.#library.rename(id, title);
  }

  /** To the trash, undoable (`undoRemove`); an open session gives way to the most recent other. */
  remove(id: string): Promise<void> {
    return this.#library.remove(id);
  }

  undoRemove(): Promise<void> {
    return this.#library.undoRemove();
  }

  duplicate(id: string): Promise<void> {
    return this.#library.duplicate(id);
  }

  /**
   * A new session with the conversation before log position `at` and the workspace as it was
   * there; `text` goes back into the composer.
   */
  async forkAt(at: number, text = ''): Promise<void> {
    const id = this.current?.id;
    if (id) await this.#library.forkAt(id, at, text);
  }

  /** The shared session becomes the user's own: stored, its files in the sandbox. */
  async forkShared(): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    if (this.#o.store) return this.#library.adopt(shared.document);
    // No storage: continue in memory.
    await this.#o.sandbox.restore(documentFiles(shared.document) ?? emptySnapshot());
    this.shared = null;
    this.#setChat(null, { view: documentView(shared.document) }, { readOnly: false });
  }

  exportFile(id: string, options: ExportOptions = {}): Promise<File | null> {
    return this.#library.exportFile(id, options);
  }

  /** Imports an exported session and opens it; the problems when it cannot be. */
  importText(text: string): Promise<string[]> {
    return this.#library.importText(text);
  }

  async #showShared(document: SessionDocument, warnings: readonly string[] = []): Promise<void> {
    await this.#leave();
    this.shared = sharedView(document);
    this.current = null;
    this.redo = null;
    this.#setChat(null, { view: documentView(document) }, { readOnly: true });
    this.#tell(warnings);
  }

  /** Notes at the end of the open chat. */
  #tell(lines: readonly string[]): void {
    for (const text of lines) this.chat?.entries.push({ kind: 'note', text });
  }

  /** The chat for a session (session-chat.ts); a stored, writable one is recorded as it goes. */
  #setChat(meta: SessionMeta | null, from: ChatStart, options: { readOnly: boolean }): void {
    this.chat?.dispose();
    this.chat = this.#openSession.start(this.#chatParts, meta, from, options);
  }

  #saved(meta: SessionMeta): void {
    if (this.current?.id !== meta.id) return; // a write of a session already left
    this.current = meta;
    // Something was sent after a rewind: it can no longer be redone.
    if (this.redo !== null && meta.itemCount > this.redo + 1) this.redo = null;
    const at = this.list.findIndex((s) => s.id === meta.id);
    this.list = [meta, ...this.list.filter((_, i) => i !== at)];
  }

  /**
   * Lets go of the open session (open-session.ts): its turn stopped and recorded, its files
   * saved, `lastly`'s writes made while it is still held (a writable, undeleted session only).
   */
  async #leave(lastly?: (recorder: SessionRecorder) => Promise<void>): Promise<void> {
    const chat = this.chat;
    const current = this.current;
    const save = !!chat && !chat.readOnly && !!current && !current.deletedAt;
    await this.#openSession.leave(chat, lastly ? { save, lastly } : { save });
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }
}
