/**
 * Replay of one chat: its conversation shown up to round `at`, the Inspector following,
 * without calling any model. `stop` (or sending a message) goes back to the live view.
 */
import type { ResponseItem } from '../core/items';
import type { Entry } from './chat-entries';
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

export class Replay {
  /** Round shown (1-based) and how many there are; null when not replaying. */
  state = $state.raw<{ at: number; rounds: number } | null>(null);
  readonly #host: ReplayHost;
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

  stop(): void {
    if (!this.state) return;
    this.state = null;
    this.#host.entries = this.#live ?? entriesFromHistory(this.#host.history, this.#host.earlier);
    this.#live = null;
    this.#host.inspector.show(null);
  }
}
