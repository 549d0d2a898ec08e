/**
 * Making links to the sessions and broadcasting them: `#share=` links for what fits in a URL,
 * the share service for the rest (share-links.ts), live broadcasts (broadcast.ts), and the
 * list of service links this browser made (share-book.ts). Opening links stays with Sessions.
 */
import type { SessionStore } from '../store/session-store';
import { deleteShare } from '../store/share-service';
import { Broadcast } from './broadcast';
import { describeError } from './describe-error';
import type { StorageLike } from './safe-storage';
import { BUILD_SHARE_SERVICE, type Settings } from './settings.svelte';
import { ShareBook, type BookEntry } from './share-book';
import { makeShareLink, type MadeLink } from './share-links';

export interface SharingHost {
  store: SessionStore | null;
  settings: Settings;
  /** Saves what the session shows, when it is the open one, so the link holds all of it. */
  flush(id: string): Promise<void>;
  /** Says a problem to the person. */
  report(problem: string): void;
  refresh(): Promise<void>;
}

export class SessionSharing {
  /** The session being published live, if any. */
  broadcast = $state.raw<Broadcast | null>(null);
  /** The share-service links this browser made, newest first. */
  links = $state.raw<BookEntry[]>([]);
  readonly #book: ShareBook;

  readonly #host: SharingHost;

  constructor(host: SharingHost, linkStorage: StorageLike | null) {
    this.#host = host;
    this.#book = new ShareBook(linkStorage);
    this.links = this.#book.list();
  }

  /** Whether sessions can go through the share service (and be broadcast): one is set. */
  get canBroadcast(): boolean {
    return this.#host.settings.shareService !== '';
  }

  /** A link to session `id` on the app at `base`: in the URL when it fits, else through the share service. */
  async share(id: string, base: string, options: { expiresIn?: number; fetch?: typeof fetch } = {}): Promise<MadeLink | null> {
    const store = this.#host.store;
    if (!store) return null;
    try {
      await this.#host.flush(id);
      const document = await store.exportSession(id);
      const link = await makeShareLink(document, base, {
        service: this.#host.settings.shareService,
        defaultService: BUILD_SHARE_SERVICE,
        ...options,
      });
      if (link.service) {
        this.#remember({
          url: link.url,
          title: document.session.title,
          service: link.service.base,
          id: link.service.id,
          deleteToken: link.service.deleteToken,
          createdAt: Date.now(),
          expiresAt: link.service.expiresAt,
        });
      }
      await this.#host.refresh();
      return link;
    } catch (err) {
      this.#host.report(describeError(err));
      return null;
    }
  }

  /**
   * Deletes a link this browser made from its service (and from the list); true when it is
   * gone, false (and the problem said) when the service could not be told.
   */
  async deleteLink(entry: Pick<BookEntry, 'service' | 'id' | 'deleteToken'>): Promise<boolean> {
    try {
      await deleteShare(entry.service, entry.id, entry.deleteToken);
    } catch (err) {
      // Already gone is what was wanted; anything else is said.
      if (!(err instanceof Error && /no such share/i.test(err.message))) {
        this.#host.report(describeError(err));
        return false;
      }
    }
    if (this.broadcast?.made.id === entry.id) this.stopBroadcast();
    this.#book.remove(entry.id);
    this.links = this.#book.list();
    return true;
  }

  /** Publishes session `id` live through the share service; `broadcast.url` is the link to give. */
  async startBroadcast(id: string, base: string): Promise<Broadcast | null> {
    const store = this.#host.store;
    if (!store) return null;
    this.stopBroadcast();
    try {
      await this.#host.flush(id);
      const title = (await store.exportSession(id)).session.title;
      const broadcast = await Broadcast.start(base, {
        service: this.#host.settings.shareService,
        defaultService: BUILD_SHARE_SERVICE,
        load: async () => {
          await this.#host.flush(id);
          return store.exportSession(id);
        },
        onProblem: (problem) => this.#host.report(`The broadcast could not send: ${problem} It tries again.`),
      });
      this.broadcast = broadcast;
      const made = broadcast.made;
      this.#remember({
        url: broadcast.url,
        title,
        service: made.base,
        id: made.id,
        deleteToken: made.deleteToken,
        createdAt: Date.now(),
        expiresAt: null,
        live: true,
      });
      return broadcast;
    } catch (err) {
      this.#host.report(describeError(err));
      return null;
    }
  }

  stopBroadcast(): void {
    this.broadcast?.stop();
    this.broadcast = null;
  }

  #remember(entry: BookEntry): void {
    this.#book.add(entry);
    this.links = this.#book.list();
  }
}
