/**
 * The hold this tab has on the session it has open: the lock that makes it the session's one
 * writer (or read-only while another tab has it), and, for a stored and writable session, the
 * recording — the recorder, the session's only writer, and its watch on the sandbox's files.
 * Leaving is ordered so nothing is lost and nothing is written by a tab that no longer holds
 * the session: the chat's turn is stopped and its last records written, the files saved, any
 * last writes made (a rewind), and only then is the lock let go.
 */
import { acquireSessionLock, type LockProvider, type SessionLock } from '../store/lock';
import type { SessionMeta } from '../store/session-store';
import type { ChatSession } from './chat.svelte';
import { createSessionChat, type ChatStart, type SessionChat, type SessionChatParts } from './session-chat';
import type { SessionRecorder } from './session-recorder';

export interface LeaveOptions {
  /** Whether the session is still this tab's to write: not read-only, not deleted. */
  save: boolean;
  /** Last writes through the recorder, once the files are saved (a rewind moving the log); must not throw. */
  lastly?: (recorder: SessionRecorder) => Promise<void>;
}

export class OpenSession {
  readonly #provider: LockProvider | undefined;
  #lock: SessionLock | null = null;
  #recording: SessionChat['recording'] = null;

  constructor(provider?: LockProvider) {
    this.#provider = provider;
  }

  /**
   * Takes session `id`'s lock (read-only when another tab has it and `steal` is not set);
   * `onLost` runs if another tab takes it over while it is still the one held here.
   */
  async hold(id: string, { steal, onLost }: { steal: boolean; onLost: () => void }): Promise<SessionLock> {
    const lock = await acquireSessionLock(id, this.#provider, steal ? { steal } : {});
    this.#lock = lock;
    lock.onLost(() => {
      if (this.#lock === lock) onLost();
    });
    return lock;
  }

  /**
   * The chat on session `meta` (session-chat.ts), continuing from `from`; a stored, writable
   * session is recorded from now on, until `leave`.
   */
  start(parts: SessionChatParts, meta: SessionMeta | null, from: ChatStart, options: { readOnly: boolean }): ChatSession {
    const made = createSessionChat(parts, meta, from, options);
    this.#recording = made.recording;
    return made.chat;
  }

  /** Pending file changes written now (the page is being hidden, a link made). */
  flush(): Promise<void> {
    return this.#recording?.recorder.flush() ?? Promise.resolve();
  }

  /** Lets the session go (see the order above); `chat` is the one on it. */
  async leave(chat: ChatSession | null, options: LeaveOptions): Promise<void> {
    const lock = this.#lock;
    const recording = this.#recording;
    this.#lock = null;
    this.#recording = null;
    // What changes in the sandbox from now on is not this session's.
    recording?.stop();
    try {
      await chat?.settle();
      const recorder = recording?.recorder;
      if (recorder && options.save && options.lastly) {
        await recorder.flush();
        await options.lastly(recorder);
      }
      await recorder?.close({ save: options.save });
    } finally {
      await lock?.release();
    }
  }
}
