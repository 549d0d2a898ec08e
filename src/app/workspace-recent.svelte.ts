/**
 * Files that changed a moment ago, so the tree can flash them: path → when (ms). Entries
 * leave after `flashMs`, on a timer, and in any case at the next `mark`.
 */
export class RecentChanges {
  /** Ordered oldest first. */
  entries = $state.raw<ReadonlyMap<string, number>>(new Map());
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #flashMs: number;
  readonly #now: () => number;

  constructor(flashMs: number, now: () => number) {
    this.#flashMs = flashMs;
    this.#now = now;
  }

  mark(path: string): void {
    const now = this.#now();
    const next = new Map([...this.entries].filter(([other, at]) => other !== path && at > now - this.#flashMs));
    next.set(path, now);
    this.entries = next;
    try {
      this.#timer ??= setTimeout(() => this.#expire(), this.#flashMs);
    } catch {
      // just-bash (in Node) refuses timers to code called from inside a running script, as
      // a change listener is; stale entries are then dropped by the next mark instead.
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expire(): void {
    this.#timer = undefined;
    const cutoff = this.#now() - this.#flashMs;
    const next = new Map([...this.entries].filter(([, at]) => at > cutoff));
    if (next.size !== this.entries.size) this.entries = next;
    const oldest = next.values().next();
    if (!oldest.done) this.#timer = setTimeout(() => this.#expire(), Math.max(10, oldest.value - cutoff));
  }
}
