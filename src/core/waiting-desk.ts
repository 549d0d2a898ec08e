/**
 * Questions the loop puts to the person (approvals, `request_user_input`): each waits for an
 * answer given by id, or fails with an AbortError when its turn is interrupted or ends.
 */
import { abortError } from './ports';

export class WaitingDesk<Answer> {
  readonly #prefix: string;
  readonly #waiting = new Map<string, { resolve(answer: Answer): void; reject(e: Error): void }>();
  #count = 0;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** Opens a request; `announce` reports it under its new id. */
  ask(signal: AbortSignal, announce: (id: string) => void): Promise<Answer> {
    if (signal.aborted) return Promise.reject(abortError());
    const id = `${this.#prefix}_${++this.#count}`;
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal.removeEventListener('abort', onAbort);
      this.#waiting.set(id, {
        resolve: (answer) => {
          settle();
          resolve(answer);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      announce(id);
    });
  }

  has(id: string): boolean {
    return this.#waiting.has(id);
  }

  /** Settles request `id`; false (and nothing happens) when no such request waits. */
  respond(id: string, answer: Answer): boolean {
    const pending = this.#waiting.get(id);
    if (!pending) return false;
    this.#waiting.delete(id);
    pending.resolve(answer);
    return true;
  }

  /** Every open request fails (the turn is over). */
  rejectAll(): void {
    for (const pending of this.#waiting.values()) pending.reject(abortError());
    this.#waiting.clear();
  }
}
