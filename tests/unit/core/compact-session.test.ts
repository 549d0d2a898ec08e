/**
 * Long scripted sessions over HTTP that cross a small context window many times: compaction
 * happens before turns and between rounds, no request exceeds the window, requests extend
 * each other exactly between compactions, and every task still completes afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { prefixStats } from '../../../src/core/cache-stats';
import type { AgentEvent } from '../../../src/core/events';
import { messageText } from '../../../src/core/items';
import { NOTES, plan, taskScript } from '../../support/tasks';
import { eventsOf, startHarness, type Harness } from '../../support/harness';
import { compactedRequestProblems, isHandoffBody } from '../../support/invariants';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WINDOW = 6_000;
const LIMIT = 5_400; // 90 %

interface Session {
  turns: Array<{ reason: string; lastMessage?: string; expected: string; compactions: Array<'before' | 'mid'> }>;
  /** Agent's estimate at each main request vs the server's input tokens for it. */
  estimates: Array<{ used: number; actual: number }>;
  scriptProblems: string[];
}

async function runSession(mode: 'remote' | 'local', rounds: number): Promise<Session> {
  const scriptProblems: string[] = [];
  h = await startHarness({
    script: taskScript(scriptProblems),
    files: NOTES,
    config: {
      contextWindow: WINDOW,
      parallelToolCalls: false,
      ...(mode === 'local' ? { capabilities: { customTools: true, reasoning: true, compact: false } } : {}),
    },
    server: { contextWindow: WINDOW },
    // The test server is a custom base URL, which is not assumed to have the endpoint.
    ...(mode === 'remote' ? { client: { compact: true } } : {}),
  });
  const harness = h;
  const pending: number[] = [];
  harness.agent.on((event) => {
    // Events are synchronous: at request_started the history is the request's input.
    if (event.type === 'request_started' && event.attempt === 1) pending.push(harness.agent.tokenStatus().used);
  });
  const turns: Session['turns'] = [];
  const steps = plan(rounds);
  for (const [i, k] of steps.entries()) {
    const from = harness.events.length;
    const result = await harness.agent.runTurn(`task ${i + 1}: run ${k} steps`);
    turns.push({
      reason: result.reason,
      ...(result.lastMessage !== undefined ? { lastMessage: result.lastMessage } : {}),
      expected: `task ${i + 1} done after ${k} steps`,
      compactions: compactionPoints(harness.events.slice(from)),
    });
  }
  const actual = eventsOf(harness.events, 'request_stats').map((e) => e.input_tokens);
  return { turns, estimates: pending.map((used, i) => ({ used, actual: actual[i] ?? NaN })), scriptProblems };
}

/** Where each compaction of one turn's events happened: before its first request or mid-turn. */
function compactionPoints(events: readonly AgentEvent[]): Array<'before' | 'mid'> {
  const out: Array<'before' | 'mid'> = [];
  let requested = false;
  for (const event of events) {
    if (event.type === 'request_started') requested = true;
    if (event.type === 'compaction_started') out.push(requested ? 'mid' : 'before');
  }
  return out;
}

function expectHealthy(session: Session, harness: Harness, mode: 'remote' | 'local'): void {
  expect(session.scriptProblems).toEqual([]);
  for (const turn of session.turns) {
    expect(turn.reason).toBe('completed');
    expect(turn.lastMessage).toBe(turn.expected);
  }
  const points = session.turns.flatMap((t) => t.compactions);
  expect(points.filter((p) => p === 'before').length).toBeGreaterThan(0);
  expect(points.filter((p) => p === 'mid').length).toBeGreaterThan(2);

  const started = eventsOf(harness.events, 'compaction_started');
  const finished = eventsOf(harness.events, 'compaction_finished');
  expect(eventsOf(harness.events, 'compaction_failed')).toEqual([]);
  expect(finished).toHaveLength(started.length);
  for (const event of started) {
    expect(event.reason).toBe('auto');
    expect(event.tokens_before).toBeGreaterThanOrEqual(LIMIT - 400);
  }
  for (const event of finished) {
    expect(event.mode).toBe(mode);
    // What stays is the fixed prefix (instructions, permissions, six tools: about 2 500 tokens) and the kept messages.
    expect(event.tokens_after).toBeLessThan(LIMIT * 0.67);
    // The context prefix is restated first; the compacted conversation follows.
    const [base, developer, context] = event.history;
    expect(base).toMatchObject({ type: 'message', role: 'developer' });
    expect(messageText(developer!)).toContain('<permissions instructions>');
    expect(messageText(context!)).toContain('<environment_context>');
    if (mode === 'remote') expect(event.history.some((i) => i.type === 'compaction')).toBe(true);
    else
      expect(messageText(event.history[event.history.length - 1]!), JSON.stringify(event.history.slice(-2))).toMatch(
        /^<compaction_summary>\n[\s\S]*Compacted \d+ items/,
      );
  }

  // Every request fits the window, and the meter predicted its size closely.
  for (const { used, actual } of session.estimates) {
    expect(actual).toBeLessThanOrEqual(WINDOW);
    expect(used).toBeLessThan(LIMIT);
    expect(Math.abs(used - actual) / actual).toBeLessThan(0.03);
  }
  const checked = compactedRequestProblems(harness.bodies());
  expect(checked.problems).toEqual([]);
  expect(checked.runs).toBe(finished.length + 1);
  expect(checked.handoffs).toBe(mode === 'local' ? finished.length : 0);
}

describe('a long session crossing the context window', () => {
  it('compacts through /responses/compact before turns and between rounds; 300 rounds all complete', async () => {
    const session = await runSession('remote', 300);
    const harness = h!;
    expectHealthy(session, harness, 'remote');
    const main = harness.bodies().filter((b) => !isHandoffBody(b));
    expect(main).toHaveLength(300);
    expect(harness.server.requests.filter((r) => r.path.endsWith('/responses/compact'))).toHaveLength(
      eventsOf(harness.events, 'compaction_finished').length,
    );

    // request_stats agrees with the server's own prefix cache, except right after a compaction.
    const stats = eventsOf(harness.events, 'request_stats');
    const afterCompaction = new Set<number>();
    let index = 0;
    for (const event of harness.events) {
      if (event.type === 'request_stats') index++;
      if (event.type === 'compaction_finished') afterCompaction.add(index);
    }
    stats.forEach((s, i) => {
      if (!afterCompaction.has(i)) expect(s.cached_tokens).toBe(Math.min(s.input_tokens, Math.floor(s.prefix_bytes / 4)));
    });
    const measured = prefixStats(main);
    expect(measured.breaks).toBe(eventsOf(harness.events, 'compaction_finished').length);
    expect(measured.prefixShareBetweenBreaks).toBeGreaterThan(0.85);
    expect(measured.totalBytes).toBeLessThan(measured.quadraticBytes / 5);
    console.info('remote, 300 rounds:', JSON.stringify({ compactions: measured.breaks, ...measured }));
  });

  it('compacts with a hand-off note when the provider has no compact endpoint; 300 rounds all complete', async () => {
    const session = await runSession('local', 300);
    const harness = h!;
    expectHealthy(session, harness, 'local');
    expect(harness.server.requests.filter((r) => r.path.endsWith('/responses/compact'))).toHaveLength(0);
    // The note request offers no tools and ends with the request for the note.
    const handoffs = harness.bodies().filter(isHandoffBody);
    expect(handoffs.length).toBeGreaterThan(3);
    for (const body of handoffs) expect(body.tools).toEqual([]);
    // The user's own recent messages survive a local compaction, the current task included.
    for (const event of eventsOf(harness.events, 'compaction_finished')) {
      const typed = event.history.filter((i) => i.type === 'message' && i.role === 'user' && /^task \d+:/.test(messageText(i)));
      expect(typed.length).toBeGreaterThan(0);
    }
    const measured = prefixStats(harness.bodies().filter((b) => !isHandoffBody(b)));
    console.info('local, 300 rounds:', JSON.stringify({ compactions: measured.breaks, ...measured }));
  });
});
