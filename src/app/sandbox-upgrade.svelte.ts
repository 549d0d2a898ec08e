/**
 * WebContainer booting beside the embedded sandbox, and the session's move to it.
 *
 * The page starts on the embedded sandbox (nothing waits for StackBlitz). When WebContainer is
 * ready, the session moves to it at the next turn boundary: at once when no turn runs, else
 * when the running one ends, or before the next one starts, whichever comes first (a
 * session asks its sandbox before each turn: `beforeTurn`). The move copies the workspace over and reopens the terminal
 * (SwitchableSandbox); the model learns of it from a permissions message appended to the next
 * request (core/context). The person can stay on embedded before the move, and go back (or
 * forward again) after it.
 */
import { BesideFailure, type Fallback } from '../sandbox/select';
import type { Sandbox } from '../sandbox/sandbox';
import type { SwitchableSandbox } from '../sandbox/switchable';

export type UpgradePhase =
  /** WebContainer is booting; `progress` says how far. */
  | 'booting'
  /** Ready, waiting for the running turn to end. */
  | 'waiting'
  | 'moving'
  /** The session is on WebContainer. */
  | 'moved'
  /** Ready, but the person chose to stay on (or go back to) embedded. */
  | 'declined'
  /** It did not start: `failure` says why. */
  | 'failed';

export interface UpgradeOptions {
  sandbox: SwitchableSandbox;
  /** Boots WebContainer (Selection.beside). */
  boot: (onProgress: (text: string) => void) => Promise<Sandbox>;
  /** Whether a turn is running now. */
  busy: () => boolean;
  /** How often a waiting move checks whether the turn ended (ms). */
  pollMs?: number;
}

export class SandboxUpgrade {
  phase = $state<UpgradePhase>('booting');
  progress = $state('Starting WebContainer…');
  failure = $state.raw<Fallback | null>(null);
  /** Why the last move failed; '' when it did not. */
  moveError = $state('');
  /** When the move happened (ms since the epoch), for the notice. */
  movedAt = $state<number | null>(null);
  /** WebContainer has booted (whether or not the session moved to it). */
  ready = $state(false);

  #container: Sandbox | null = null;
  #embedded: Sandbox;
  #timer: ReturnType<typeof setInterval> | undefined;
  #disposed = false;

  readonly #options: UpgradeOptions;

  constructor(options: UpgradeOptions) {
    this.#options = options;
    this.#embedded = options.sandbox.current;
  }

  /** Boots WebContainer; moves the session when it is ready and the turn allows. */
  async start(): Promise<void> {
    this.phase = 'booting';
    let container: Sandbox;
    try {
      container = await this.#options.boot((text) => (this.progress = text));
      await container.settled?.();
    } catch (err) {
      if (this.#disposed) return;
      this.phase = 'failed';
      this.failure =
        err instanceof BesideFailure ? err.fallback : { reason: err instanceof Error ? err.message : String(err), lost: '', cause: 'failed' };
      return;
    }
    this.#container = container;
    this.ready = true;
    if (this.#disposed) {
      void container.dispose().catch(() => undefined);
      return;
    }
    // The person may have chosen to stay on embedded while it booted.
    if (this.#declined()) return;
    this.#moveAtBoundary();
  }

  /** Before the move: stay on embedded. After it: go back to embedded. */
  stay(): void {
    this.#stopWaiting();
    if (this.phase === 'moved') {
      void this.#move(this.#embedded, 'declined');
      return;
    }
    if (this.phase === 'booting' || this.phase === 'waiting') this.phase = 'declined';
  }

  /** After staying: move to WebContainer after all (at the next turn boundary). */
  useWebContainer(): void {
    if (this.phase !== 'declined' || !this.#container) return;
    this.#moveAtBoundary();
  }

  dispose(): void {
    this.#disposed = true;
    this.#stopWaiting();
  }

  #moveAtBoundary(): void {
    const container = this.#container;
    if (!container) return;
    if (!this.#options.busy()) {
      void this.#move(container, 'moved');
      return;
    }
    this.phase = 'waiting';
    this.#stopWaiting();
    // Whichever comes first: the turn ends and nothing runs, or the next turn starts (a queued
    // message may follow the last one at once): the move is made before it runs.
    const moveOnce = async () => {
      if (this.phase !== 'waiting') return;
      this.#stopWaiting();
      await this.#move(container, 'moved');
    };
    this.#options.sandbox.atNextTurn(moveOnce);
    this.#timer = setInterval(() => {
      if (!this.#options.busy()) void moveOnce();
    }, this.#options.pollMs ?? 200);
  }

  async #move(to: Sandbox, after: 'moved' | 'declined'): Promise<void> {
    const before = this.phase;
    this.phase = 'moving';
    this.moveError = '';
    try {
      await this.#options.sandbox.switchTo(to);
      this.phase = after;
      this.movedAt = after === 'moved' ? Date.now() : null;
    } catch (err) {
      this.moveError = `The session could not move: ${err instanceof Error ? err.message : String(err)}`;
      this.phase = before === 'moved' ? 'moved' : 'declined';
    }
  }

  #declined(): boolean {
    return this.phase === 'declined';
  }

  #stopWaiting(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#options.sandbox.atNextTurn(null);
  }
}
