/**
 * Replay of one chat: its conversation shown up to round `at`, the Inspector following,
 * without calling any model. `play` steps forward on a timer; `key` maps the replay's keys
 * (←/→, Home/End, Space). `stop` (or sending a message) goes back to the live view.
 */
import type { ResponseItem } from '../core/items';
import type { Entry } from './chat-entries';
import { hostClearTimeout, hostSetTimeout } from './host-timers';
import { entriesFromHistory } from './history-entries';
import type { LiveInspector } from './inspector/live.svelte';
import { replayRounds, replayTimeline } from './replay';

export interface ReplayHost {
  readonly history: readonly ResponseItem[];
  readonly earlier: readonly (readonly ResponseItem[])[];
  readonly inspector: LiveInspector;
  readonly running: boolean;
  readonly settings: { readonly apiKey: string };
  entries: Entry[];
}

/** How long playing shows each round. */
const PLAY_STEP_MS = 1500;

export class Replay {
  /** Round shown (1-based) and how many there are; null when not replaying. */
  state = $state.raw<{ at: number; rounds: number } | null>(null);
  /** Stepping forward on its own, one round per `PLAY_STEP_MS`, until the last. */
  playing = $state(false);
  readonly #host: ReplayHost;
  #timer: ReturnType<typeof hostSetTimeout> | undefined;
  /** The live entries, put back by `stop`. */
  #live: Entry[] | null = null;

  constructor(host: ReplayHost) {
    this.#host = host;
  }

  start(): void {
    if (this.#host.running) return;
    const rounds = replayRounds(this.#host.history).length;
    if (rounds === 0) return;
    this.#live = this.#host.entries;
    this.state = { at: 0, rounds };
    this.go(1);
  }

  go(round: number): void {
    const state = this.state;
    if (!state) return;
    const at = Math.max(1, Math.min(state.rounds, round));
    const items = this.#host.history;
    const end = replayRounds(items)[at - 1]!.end;
    this.state = { ...state, at };
    this.#host.entries = entriesFromHistory(items.slice(0, end));
    this.#host.inspector.show(replayTimeline(items, at, () => [this.#host.settings.apiKey]));
  }

  /** Plays from the round shown (from the first when the last is shown). */
  play(): void {
    const state = this.state;
    if (!state) return;
    if (state.at >= state.rounds) this.go(1);
    this.playing = true;
    this.#schedule();
  }

  pause(): void {
    this.playing = false;
    hostClearTimeout(this.#timer);
    this.#timer = undefined;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /**
   * The replay's keys: ←/→ a round back or forward, Home/End the first or last, Space play or
   * pause. Returns whether `key` was one of them (the caller then keeps it from the page).
   */
  key(key: string): boolean {
    const state = this.state;
    if (!state) return false;
    switch (key) {
      case 'ArrowLeft':
        this.go(state.at - 1);
        return true;
      case 'ArrowRight':
        this.go(state.at + 1);
        return true;
      case 'Home':
        this.go(1);
        return true;
      case 'End':
        this.go(state.rounds);
        return true;
      case ' ':
        this.toggle();
        return true;
      default:
        return false;
    }
  }

  #schedule(): void {
    hostClearTimeout(this.#timer);
    this.#timer = hostSetTimeout(() => {
      const state = this.state;
      if (!this.playing || !state) return;
      this.go(state.at + 1);
      if (state.at + 1 >= state.rounds) this.pause();
      else this.#schedule();
    }, PLAY_STEP_MS);
  }

  stop(): void {
    this.pause();
    if (!this.state) return;
    this.state = null;
    this.#host.entries = this.#live ?? entriesFromHistory(this.#host.history, this.#host.earlier);
    this.#live = null;
    this.#host.inspector.show(null);
  }
}
