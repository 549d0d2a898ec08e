/**
 * What is done to saved sessions from the list: rename, delete with undo, duplicate, fork,
 * export and import (and a shared session made the person's own). Each works on the store, then on what is open through `LibraryHost`
 * (`Sessions`), and refreshes the list. A failure becomes the banner's problem, never an
 * exception.
 */
import type { ExportOptions, SessionDocument, SessionMeta, SessionStore } from '../store/session-store';
import { toStoreError } from '../store/errors';
import type { ChatSession } from './chat.svelte';
import { describeError } from './describe-error';
import { documentFile } from './session-documents';

/** The open session and the list, as the library changes them. */
export interface LibraryHost {
  readonly store: SessionStore | null;
  readonly chat: ChatSession | null;
  current: SessionMeta | null;
  deleted: SessionMeta | null;
  problem: string;
  open(id: string): Promise<void>;
  newSession(): Promise<void>;
  refresh(): Promise<void>;
  /** Writes the open session's pending file changes. */
  flush(): Promise<void>;
}

export class SessionLibrary {
  readonly #host: LibraryHost;

  constructor(host: LibraryHost) {
    this.#host = host;
  }

  async rename(id: string, title: string): Promise<void> {
    await this.#try(async (store) => {
      const meta = await store.rename(id, title);
      if (this.#host.current?.id === id) this.#host.current = meta;
    });
  }

  /** Moves session `id` to the trash; the open one gives way to the most recent other one. */
  async remove(id: string): Promise<void> {
    const host = this.#host;
    await this.#try(async (store) => {
      host.deleted = await store.delete(id);
      if (host.current?.id === id) {
        // The most recent remaining session takes its place; a new one only when none is left.
        host.current = host.deleted;
        const next = (await store.list()).sessions[0];
        if (next) await host.open(next.id);
        else await host.newSession();
      }
    });
  }

  async undoRemove(): Promise<void> {
    const deleted = this.#host.deleted;
    if (!deleted) return;
    this.#host.deleted = null;
    await this.#try((store) => store.undoDelete(deleted.id));
  }

  async duplicate(id: string): Promise<void> {
    await this.#try(async (store) => this.#host.open((await store.duplicate(id)).id));
  }

  /**
   * A new session with the conversation before log position `at` of session `id` (the open
   * one, saved first) and the workspace as it was there; `text` goes back into the composer.
   */
  async forkAt(id: string, at: number, text: string): Promise<void> {
    const host = this.#host;
    await host.flush();
    await host.chat?.saved();
    await this.#try(async (store) => {
      await host.open((await store.fork(id, at)).id);
      if (host.chat && text) host.chat.draft = text;
    });
  }

  /** A shared session stored as the person's own (its title marked a fork), and opened. */
  async adopt(document: SessionDocument): Promise<void> {
    await this.#try(async (store) => {
      const result = await store.importSession(document, { mark: 'fork' });
      if (!result.ok) throw new Error(result.problems.join(' '));
      await this.#host.open(result.session.id);
    });
  }

  /** Session `id` as a file to download (the open one with its latest files). */
  async exportFile(id: string, options: ExportOptions): Promise<File | null> {
    return this.#try(async (store) => {
      if (id === this.#host.current?.id) await this.#host.flush();
      return documentFile(await store.exportSession(id, options));
    });
  }

  /** Imports an exported session and opens it; the problems when it cannot be. */
  async importText(text: string): Promise<string[]> {
    const host = this.#host;
    if (!host.store) return ['Sessions cannot be saved in this browser, so there is nowhere to import to.'];
    try {
      const result = await host.store.importSession(text, { mark: 'imported' });
      if (!result.ok) return result.problems;
      await host.open(result.session.id);
      // What the import left out or repaired, at the end of the opened chat.
      for (const line of result.warnings) host.chat?.entries.push({ kind: 'note', text: line });
      return [];
    } catch (err) {
      return [toStoreError(err).userMessage];
    }
  }

  /** Runs `work` on the store, then refreshes the list; null (and the problem said) when it fails. */
  async #try<T>(work: (store: SessionStore) => Promise<T>): Promise<T | null> {
    const store = this.#host.store;
    if (!store) return null;
    try {
      const result = await work(store);
      await this.#host.refresh();
      return result;
    } catch (err) {
      this.#host.problem = describeError(err);
      return null;
    }
  }
}
