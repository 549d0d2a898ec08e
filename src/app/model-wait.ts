/**
 * "waiting for the model · 42 s": how long the model has been silent in the round in flight,
 * read from the inspector's timeline (so it needs no state of its own). Counts from the current
 * attempt's request, or from the last response event when some arrived.
 */
import type { Round } from './inspector/types';

/** Silence shorter than this is normal latency and shows nothing. */
const WAIT_SHOWN_AFTER_MS = 3000;

/** Ms the model has been silent in `round` at `now` (same clock), or null when not waiting on it. */
export function modelSilenceMs(round: Round | undefined, now: number): number | null {
  if (!round || round.response.status !== 'streaming') return null;
  const last = round.response.events[round.response.events.length - 1];
  const since = round.startedAt + (last ? last.tEnd : 0);
  return Math.max(0, now - since);
}

/** The label to show, or '' when the wait is too short to mention. */
export function modelWaitLabel(silenceMs: number | null): string {
  if (silenceMs === null || silenceMs < WAIT_SHOWN_AFTER_MS) return '';
  return `waiting for the model · ${Math.floor(silenceMs / 1000)} s`;
}
