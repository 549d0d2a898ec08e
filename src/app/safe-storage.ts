/**
 * Web Storage that never throws. Private windows, disabled storage, sandboxed frames and full
 * quotas all make `localStorage` throw (even on access); the app then keeps working in memory
 * and reports what went wrong once, in words a person can act on.
 */

/** The slice of `Storage` the app uses; tests pass plain objects. */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** `localStorage` or `sessionStorage` of this page, or null when the browser refuses it. */
export function browserStorage(kind: 'localStorage' | 'sessionStorage'): StorageLike | null {
  try {
    const storage = (globalThis as Partial<Record<typeof kind, Storage>>)[kind];
    return storage ?? null;
  } catch {
    return null;
  }
}

/** One storage area wrapped so that failures become a message instead of an exception. */
export class SafeStorage {
  readonly #storage: StorageLike | null;
  readonly #onProblem: (message: string) => void;

  /** `onProblem` receives a sentence for the user each time a read or write fails. */
  constructor(storage: StorageLike | null, onProblem: (message: string) => void) {
    this.#storage = storage;
    this.#onProblem = onProblem;
  }

  get available(): boolean {
    return this.#storage !== null;
  }

  /** The stored text, or null when absent or unreadable. */
  read(key: string): string | null {
    if (!this.#storage) return null;
    try {
      return this.#storage.getItem(key);
    } catch (err) {
      this.#onProblem(`Saved settings could not be read (${errorName(err)}).`);
      return null;
    }
  }

  /** Whether the value was stored. */
  write(key: string, value: string): boolean {
    if (!this.#storage) return false;
    try {
      this.#storage.setItem(key, value);
      return true;
    } catch (err) {
      this.#onProblem(`Changes could not be saved (${errorName(err)}); they last until this tab closes.`);
      return false;
    }
  }

  remove(key: string): void {
    if (!this.#storage) return;
    try {
      this.#storage.removeItem(key);
    } catch (err) {
      this.#onProblem(`A saved value could not be removed (${errorName(err)}).`);
    }
  }

  /** Parsed JSON object under `key`, or null when absent, unreadable or not an object. */
  readObject(key: string): Record<string, unknown> | null {
    const text = this.read(key);
    if (text === null) return null;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through: treated like a missing value
    }
    this.#onProblem('Saved settings were unreadable and were replaced by defaults.');
    return null;
  }
}

function errorName(err: unknown): string {
  if (err instanceof Error && err.name && err.name !== 'Error') return err.name;
  return err instanceof Error ? err.message : String(err);
}
