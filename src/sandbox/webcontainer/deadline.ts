/**
 * How long a WebContainer boot may take, in two phases:
 * - until the StackBlitz frame gives any sign of life (its first message), a short time:
 *   where stackblitz.com is unreachable nothing ever comes, and waiting longer is pointless;
 * - from then on a long one, since the first visit downloads several MB and a reachable but
 *   slow network still gets there.
 * The clock runs only while the page is visible (a background tab's boot is throttled, and
 * nobody is waiting for it), and the frame's last warning becomes part of the reason when time
 * runs out.
 */
import { BootTimeoutError, formatSeconds } from './boot';

export interface Visibility {
  hidden(): boolean;
  onChange(listener: () => void): () => void;
}

export interface DeadlineOptions {
  /** Until the frame's first message. */
  firstSignMs: number;
  /** After it. */
  afterSignMs: number;
}

/** The page's visibility (always visible where there is no document). */
function pageVisibility(): Visibility {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) return { hidden: () => false, onChange: () => () => {} };
  return {
    hidden: () => doc.visibilityState === 'hidden',
    onChange: (listener) => {
      doc.addEventListener('visibilitychange', listener);
      return () => doc.removeEventListener('visibilitychange', listener);
    },
  };
}

export class BootDeadline {
  /** Rejects with BootTimeoutError when the time is up; never resolves. */
  readonly expired: Promise<never>;
  #budget: number;
  #spent = 0;
  #since: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #alive = false;
  #warning = '';
  #stopped = false;
  #reject: (error: Error) => void = () => {};
  readonly #offVisibility: () => void;

  readonly #options: DeadlineOptions;
  readonly #visibility: Visibility;

  constructor(options: DeadlineOptions, visibility: Visibility = pageVisibility()) {
    this.#options = options;
    this.#visibility = visibility;
    this.#budget = options.firstSignMs;
    this.expired = new Promise<never>((_, reject) => (this.#reject = reject));
    this.expired.catch(() => undefined);
    this.#offVisibility = visibility.onChange(() => this.#onVisibility());
    if (!visibility.hidden()) this.#run();
  }

  /** The frame answered: the long phase starts now. */
  alive(): void {
    if (this.#alive || this.#stopped) return;
    this.#alive = true;
    this.#pause();
    this.#budget = this.#options.afterSignMs;
    this.#spent = 0;
    if (!this.#visibility.hidden()) this.#run();
  }

  warning(message: string): void {
    this.#warning = message;
  }

  stop(): void {
    this.#stopped = true;
    this.#pause();
    this.#offVisibility();
  }

  #onVisibility(): void {
    if (this.#stopped) return;
    if (this.#visibility.hidden()) this.#pause();
    else if (this.#since === null) this.#run();
  }

  #run(): void {
    this.#since = Date.now();
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, this.#budget - this.#spent));
  }

  #pause(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#since !== null) this.#spent += Date.now() - this.#since;
    this.#since = null;
  }

  #expire(): void {
    this.stop();
    const warning = this.#warning ? ` StackBlitz said: ${this.#warning.replace(/\.?$/, '.')}` : '';
    const error = this.#alive
      ? new BootTimeoutError(
          this.#options.afterSignMs,
          `WebContainer did not finish starting within ${formatSeconds(this.#options.afterSignMs)} of StackBlitz answering.${warning}`,
        )
      : new BootTimeoutError(
          this.#options.firstSignMs,
          `StackBlitz did not answer within ${formatSeconds(this.#options.firstSignMs)} (is stackblitz.com reachable from this network?).${warning}`,
        );
    this.#reject(error);
  }
}
