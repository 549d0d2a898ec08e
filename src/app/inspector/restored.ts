/**
 * The rounds of a reopened session, rebuilt from its stored log so the Inspector continues
 * where it was: each turn with its stored usage, each round with its input and output items
 * as stored and its tools as they ended. The log keeps no request bodies, so what was sent
 * besides the items (model, tools, settings), sizes, timings and per-request usage stay
 * unknown, and these rounds are marked as from before the reload (`rebuilt: 'restored'`).
 */
import type { ResponseItem } from '../../core/items';
import type { LogView } from '../../store/session-store';
import { isUserInput } from '../chat-entries';
import { feedRounds, replayRounds } from '../replay';
import type { InspectorTimeline } from './timeline';

export type StoredConversation = Pick<LogView, 'segments' | 'tools'>;

export function restoreRounds(timeline: InspectorTimeline, stored: StoredConversation): void {
  if (!stored.segments.some((segment) => segment.rows.length > 0)) return;
  timeline.rebuild('restored', (record) => {
    let turns = 0;
    for (const segment of stored.segments) {
      const items: ResponseItem[] = [];
      const positions: number[] = [];
      for (const row of segment.rows) {
        if (row.kind !== 'item') continue;
        items.push(row.item);
        positions.push(row.at);
      }
      // Rounds whose output came with a compaction's replacement were shown in the segment before.
      const rounds = replayRounds(items).filter((round) => round.inputEnd >= segment.replaced);
      const ends = segment.rows.flatMap((row) => (row.kind === 'turn' ? [row] : []));
      let next = 0;
      let inputFrom = segment.replaced;
      // Each turn ending closes the rounds logged before it; rounds after the last are a turn cut short.
      for (const end of [...ends, null]) {
        const until = end ? end.at : Infinity;
        const first = next;
        while (next < rounds.length && positions[rounds[next]!.inputEnd]! < until) next++;
        const turnRounds = rounds.slice(first, next);
        if (turnRounds.length === 0) continue;
        const turnId = `restored_${++turns}`;
        record({ type: 'turn_started', turn_id: turnId, input: items.slice(inputFrom, turnRounds[0]!.inputEnd).filter(isUserInput) });
        feedRounds(record, items, turnRounds, stored.tools);
        if (end) record({ type: 'turn_ended', turn_id: turnId, reason: end.turn.reason, usage: { ...end.turn.usage } });
        inputFrom = turnRounds.at(-1)!.end;
      }
    }
  });
}
