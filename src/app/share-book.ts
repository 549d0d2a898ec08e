/**
 * The share-service links this browser made (`unroll.shareLinks` in localStorage), so they can
 * be found and deleted later. Kept here only, like the API key: a link holds its key, and the
 * delete token is what removes it from the service.
 */
import type { StorageLike } from './safe-storage';

export const SHARE_BOOK_KEY = 'unroll.shareLinks';
const MAX_ENTRIES = 200;

export interface BookEntry {
  url: string;
  title: string;
  /** The service's base URL and the share's id there. */
  service: string;
  id: string;
  deleteToken: string;
  createdAt: number;
  expiresAt: string | null;
  live?: boolean;
}

export class ShareBook {
  readonly #storage: StorageLike | null;

  constructor(storage: StorageLike | null) {
    this.#storage = storage;
  }

  list(): BookEntry[] {
    let value: unknown;
    try {
      value = JSON.parse(this.#storage?.getItem(SHARE_BOOK_KEY) ?? '[]');
    } catch {
      return [];
    }
    if (!Array.isArray(value)) return [];
    const now = Date.now();
    return value.filter(
      (e): e is BookEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.url === 'string' &&
        typeof e.id === 'string' &&
        typeof e.service === 'string' &&
        typeof e.deleteToken === 'string' &&
        typeof e.title === 'string' &&
        typeof e.createdAt === 'number' &&
        (e.expiresAt === null || (typeof e.expiresAt === 'string' && Date.parse(e.expiresAt) > now)),
    );
  }

  add(entry: BookEntry): void {
    this.#write([entry, ...this.list().filter((e) => e.id !== entry.id)].slice(0, MAX_ENTRIES));
  }

  remove(id: string): void {
    this.#write(this.list().filter((e) => e.id !== id));
  }

  #write(entries: BookEntry[]): void {
    try {
      this.#storage?.setItem(SHARE_BOOK_KEY, JSON.stringify(entries));
    } catch {
      // A full or missing storage: the list lasts for this page only.
    }
  }
}
