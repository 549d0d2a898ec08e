/**
 * Checks every request a test server saw against the loop's promises: each request exactly
 * extends the previous one, every tool call has exactly one output, and the opening context
 * is never edited (changes arrive as appended messages).
 */
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
