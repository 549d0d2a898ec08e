/**
 * The output and exit of a SandboxProcess, kept the way every backend's processes keep them:
 * each chunk is remembered and replayed to a listener that comes late (a tool subscribes after
 * spawning), nothing is taken after the exit, and the exit settles once (the first code wins).
 */
export class ProcessOutput {
  readonly exit: Promise<number>;
  readonly #chunks: string[] = [];
  readonly #listeners = new Set<(chunk: string) => void>();
  #finished = false;
  #resolveExit: (code: number) => void = () => {};

  constructor() {
    this.exit = new Promise<number>((resolve) => {
      this.#resolveExit = resolve;
    });
  }

  /** Whether the exit is settled (then output is dropped). */
  get finished(): boolean {
    return this.#finished;
  }

  /** Hands `listener` everything so far, then each chunk as it comes. */
  onOutput(listener: (chunk: string) => void): () => void {
    for (const chunk of this.#chunks) listener(chunk);
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Keeps and passes on `chunk`; an empty chunk or one after the exit is dropped. */
  push(chunk: string): void {
    if (this.#finished || chunk === '') return;
    this.#chunks.push(chunk);
    for (const listener of [...this.#listeners]) listener(chunk);
  }

  /** Settles the exit with `code` unless it is settled already. */
  finish(code: number): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#resolveExit(code);
  }
}
