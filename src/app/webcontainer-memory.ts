/**
 * Whether WebContainer could be reached from this browser the last time it was tried, kept in
 * localStorage (`unroll.webcontainerUnreachable`). Where StackBlitz is unreachable (offline, a
 * blocking network or policy) every automatic start would wait for a boot that cannot finish;
 * remembered, the next starts go to the embedded sandbox at once and say why, with a way to try
 * again. A successful boot forgets it; so does "Try WebContainer again".
 */
import type { StorageLike } from './safe-storage';

export const UNREACHABLE_KEY = 'unroll.webcontainerUnreachable';
/** After this long it is tried again on its own (networks change). */
export const REMEMBER_MS = 3 * 24 * 60 * 60 * 1000;

export interface Unreachable {
  /** When it failed (ms since the epoch). */
  at: number;
  /** Why, as the failed start said. */
  reason: string;
}

export class WebContainerMemory {
  readonly #storage: StorageLike | null;
  readonly #now: () => number;

  constructor(storage: StorageLike | null, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  /** The last failure, if it is recent enough to skip the wait. */
  recent(): Unreachable | null {
    let value: unknown;
    try {
      value = JSON.parse(this.#storage?.getItem(UNREACHABLE_KEY) ?? 'null');
    } catch {
      return null;
    }
    if (typeof value !== 'object' || value === null) return null;
    const { at, reason } = value as Partial<Unreachable>;
    if (typeof at !== 'number' || typeof reason !== 'string') return null;
    const age = this.#now() - at;
    return age >= 0 && age < REMEMBER_MS ? { at, reason } : null;
  }

  remember(reason: string): void {
    this.#write(JSON.stringify({ at: this.#now(), reason }));
  }

  forget(): void {
    try {
      this.#storage?.removeItem(UNREACHABLE_KEY);
    } catch {
      // nothing to forget where storage is blocked
    }
  }

  #write(text: string): void {
    try {
      this.#storage?.setItem(UNREACHABLE_KEY, text);
    } catch {
      // not remembered: the next start waits again
    }
  }
}
