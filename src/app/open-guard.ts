/**
 * Keeps one bad session from locking the app: a session is marked as opening before it
 * opens and unmarked once its transcript has been drawn. A page load that crashed or froze
 * on the way never unmarks it, so the next load knows not to reopen it on its own (the user
 * can still open it from the Sessions list, which clears the mark when it works).
 *
 * The marks live in Web Storage so they outlive the page that froze; they are a list, so two
 * tabs opening different sessions do not erase each other's. Storage that throws or is
 * missing makes the guard let everything open: it must never be what stops the app starting.
 */
import type { StorageLike } from './safe-storage';

export const OPENING_KEY = 'unroll.openingSessions';
/** Marks kept at most; the oldest go first (tabs closed mid-open leave theirs behind). */
const MAX_MARKS = 20;

export class OpenGuard {
  readonly #storage: StorageLike | null;
  /** What earlier page loads left marked, read once: marks this page makes do not count. */
  readonly #unfinished: Set<string>;

  constructor(storage: StorageLike | null) {
    this.#storage = storage;
    this.#unfinished = new Set(this.#read());
  }

  /** Call before loading session `id`; until `markOpened(id)`, a later page load will not reopen it automatically. */
  markOpening(id: string): void {
    this.#write([...this.#read().filter((mark) => mark !== id), id].slice(-MAX_MARKS));
  }

  /** Call once session `id`'s transcript has been drawn: it opens fine, so it may be reopened again. */
  markOpened(id: string): void {
    this.#unfinished.delete(id);
    const marks = this.#read();
    if (marks.includes(id)) this.#write(marks.filter((mark) => mark !== id));
  }

  /** False when an earlier page load began opening `id` and never finished. */
  shouldAutoOpen(id: string): boolean {
    return !this.#unfinished.has(id);
  }

  #read(): string[] {
    try {
      const value: unknown = JSON.parse(this.#storage?.getItem(OPENING_KEY) ?? '[]');
      return Array.isArray(value) ? value.filter((mark): mark is string => typeof mark === 'string') : [];
    } catch {
      return [];
    }
  }

  #write(marks: string[]): void {
    try {
      if (marks.length) this.#storage?.setItem(OPENING_KEY, JSON.stringify(marks));
      else this.#storage?.removeItem(OPENING_KEY);
    } catch {
      // Best effort: without storage the guard simply cannot protect the next load.
    }
  }
}

/** The notice shown instead of a session the guard kept closed. */
export function notReopenedNotice(title: string): string {
  return `The session “${title}” was not reopened because it failed to open last time. Open it from Sessions to try again.`;
}
