/**
 * Checks every request a test server saw against the loop's promises: each request exactly
 * extends the previous one, every tool call has exactly one output, and the opening context
 * is never edited (changes arrive as appended messages).
 */
import { isHandoffRequest, SUMMARY_OPEN } from '../../src/core/context/summary';
import { pairingProblems } from '../../src/core/history';
import type { ResponseItem } from '../../src/core/items';

export interface LoggedBody {
  model?: string;
  instructions?: string;
  tools?: unknown[];
  input?: ResponseItem[];
}

export function requestProblems(bodies: readonly LoggedBody[]): string[] {
  const problems: string[] = [];
  bodies.forEach((body, n) => {
    const input = body.input ?? [];
    for (const p of pairingProblems(input)) problems.push(`request ${n}: ${p}`);
    if (n === 0) return;
    const prev = bodies[n - 1]!;
    if (JSON.stringify(prev.tools) !== JSON.stringify(body.tools)) problems.push(`request ${n}: tools changed`);
    if (prev.model !== body.model) problems.push(`request ${n}: model changed`);
    if ((prev.instructions ?? '') !== (body.instructions ?? '')) problems.push(`request ${n}: instructions changed`);
    const before = prev.input ?? [];
    if (input.length < before.length) problems.push(`request ${n}: input shrank from ${before.length} to ${input.length} items`);
    for (let i = 0; i < before.length; i++) {
      if (JSON.stringify(before[i]) !== JSON.stringify(input[i])) {
        problems.push(`request ${n}: item ${i} differs from the previous request (not an exact extension)`);
        break;
      }
    }
  });
  return problems;
}

/**
 * `requestProblems` for sessions that compact: hand-off requests (the engine asking for a
 * summary, no tools) are checked only for pairing and left out of the chain; any other
 * request must exactly extend the previous one, or start a new run after a compaction: open
 * with the context prefix (a developer message) and carry a `compaction` item or a
 * `<compaction_summary>` message. `runs` counts the runs (1 + compactions seen).
 */
export function compactedRequestProblems(bodies: readonly LoggedBody[]): { problems: string[]; runs: number; handoffs: number } {
  const problems: string[] = [];
  const chain: LoggedBody[] = [];
  let runs = 0;
  let handoffs = 0;
  bodies.forEach((body, n) => {
    const input = body.input ?? [];
    for (const p of pairingProblems(input)) problems.push(`request ${n}: ${p}`);
    if (isHandoffBody(body)) {
      handoffs++;
      return;
    }
    const prev = chain[chain.length - 1];
    chain.push(body);
    if (!prev) {
      runs = 1;
      return;
    }
    if (JSON.stringify(prev.tools) !== JSON.stringify(body.tools)) problems.push(`request ${n}: tools changed`);
    if (prev.model !== body.model) problems.push(`request ${n}: model changed`);
    const before = prev.input ?? [];
    const extendsPrev = input.length >= before.length && before.every((item, i) => JSON.stringify(item) === JSON.stringify(input[i]));
    if (extendsPrev) return;
    const first = input[0];
    const opensWithContext = first?.type === 'message' && first.role === 'developer';
    const compacted = input.some(
      (item) =>
        item.type === 'compaction' ||
        (item.type === 'message' && item.role === 'user' && item.content[0]?.type === 'input_text' && item.content[0].text.startsWith(SUMMARY_OPEN)),
    );
    if (opensWithContext && compacted) runs++;
    else problems.push(`request ${n}: neither extends the previous request nor starts after a compaction`);
  });
  return { problems, runs, handoffs };
}

/** The engine's request for a hand-off note: no tools, and the note request last. */
export function isHandoffBody(body: LoggedBody): boolean {
  return (body.tools ?? []).length === 0 && isHandoffRequest(body.input?.[body.input.length - 1]);
}
