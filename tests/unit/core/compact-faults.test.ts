/**
 * Compaction when things go wrong, over HTTP against the scripted server: no compact
 * endpoint, context_length_exceeded from the server, a compaction whose own request is too
 * long, interruptions, failures; and manual compaction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../../src/core/items';
import { DEFAULT_CONTEXT_WINDOW } from '../../../src/core/tokens';
import { eventsOf, startHarness, type Harness, type HarnessOptions } from '../../support/harness';
import { compactedRequestProblems, isHandoffBody } from '../../support/invariants';
import { NOTES, taskScript } from '../../support/tasks';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LOCAL = { customTools: true, reasoning: true, compact: false };

async function start(options: Partial<HarnessOptions> & { problems?: string[] } = {}): Promise<Harness> {
  h = await startHarness({
    script: taskScript(options.problems ?? []),
    files: NOTES,
    client: { compact: true },
    ...options,
    config: { parallelToolCalls: false, ...options.config },
  });
  return h;
}

function compactRequests(harness: Harness) {
  return harness.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/responses/compact'));
}

/** Token count of a logged body as the scripted server counts it. */
function tokensOf(body: unknown): number {
  return Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4);
}

describe('a provider without /responses/compact', () => {
  it('falls back to a hand-off note on the 404 and never asks the endpoint again', async () => {
    const problems: string[] = [];
    const harness = await start({ problems, config: { contextWindow: 6_000 }, server: { contextWindow: 6_000, compactEndpoint: false } });
    for (let i = 1; i <= 3; i++) {
      const result = await harness.agent.runTurn(`task ${i}: run 12 steps`);
      expect(result.lastMessage).toBe(`task ${i} done after 12 steps`);
    }
    expect(problems).toEqual([]);
    const started = eventsOf(harness.events, 'compaction_started');
    const finished = eventsOf(harness.events, 'compaction_finished');
    expect(started.length).toBeGreaterThan(2);
    expect(started.map((e) => e.mode)).toEqual(['remote', ...started.slice(1).map(() => 'local')]);
    expect(finished.every((e) => e.mode === 'local')).toBe(true);
    expect(compactRequests(harness)).toHaveLength(1);
    expect(harness.bodies().filter(isHandoffBody)).toHaveLength(finished.length);
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);

    // Manual compaction remembers it too.
    await expect(harness.agent.compact()).resolves.toMatchObject({ status: 'completed', mode: 'local' });
    expect(compactRequests(harness)).toHaveLength(1);
  });
});

describe('context_length_exceeded from the server', () => {
  it('compacts and resends once, then the turn goes on', async () => {
    const harness = await start({});
    harness.server.faults.push({ failWith: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } });
    const result = await harness.agent.runTurn('task 1: run 2 steps');
    expect(result).toMatchObject({ reason: 'completed', lastMessage: 'task 1 done after 2 steps' });
    const started = eventsOf(harness.events, 'compaction_started');
    expect(started).toEqual([expect.objectContaining({ reason: 'overflow', mode: 'remote' })]);
    // The failed request, then the same turn from the compacted history.
    const bodies = harness.bodies();
    expect(bodies).toHaveLength(4);
    expect(bodies[1]!.input!.some((i) => i.type === 'compaction')).toBe(true);
    expect(compactedRequestProblems(bodies).problems).toEqual([]);
    // The turn's usage counts the compaction (the failed request reported none).
    const compaction = eventsOf(harness.events, 'compaction_finished')[0]!;
    expect(compaction.usage?.input_tokens).toBeGreaterThan(0);
    expect(result.usage.requests).toBe(4);
  });

  it('fails with a clear error when the compacted request is still too long', async () => {
    const harness = await start({});
    const overflow = { failWith: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } };
    harness.server.faults.push(overflow, overflow);
    const result = await harness.agent.runTurn('task 1: run 2 steps');
    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'context_overflow' });
    expect(result.error!.message).toMatch(/still does not fit the model's context window after compacting/);
    expect(eventsOf(harness.events, 'compaction_finished')).toHaveLength(1);
    expect(harness.bodies()).toHaveLength(2);
  });

  it('recovers again and again when the server window is smaller than the configured one', async () => {
    // The agent thinks it has 100 000 tokens; the server takes 6 000 (a 400 with the code).
    const harness = await start({ config: { contextWindow: 100_000 }, server: { contextWindow: 6_000 } });
    const result = await harness.agent.runTurn('task 1: run 30 steps');
    expect(result).toMatchObject({ reason: 'completed', lastMessage: 'task 1 done after 30 steps' });
    const started = eventsOf(harness.events, 'compaction_started');
    expect(started.length).toBeGreaterThan(1);
    expect(started.every((e) => e.reason === 'overflow')).toBe(true);
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);
  });
});

describe('a compaction that is itself too long', () => {
  it('drops the oldest items and asks /responses/compact again', async () => {
    const harness = await start({ config: { contextWindow: 100_000 }, server: { contextWindow: 6_000 } });
    await harness.agent.runTurn('task 1: run 30 steps');
    const compacts = compactRequests(harness);
    const first = eventsOf(harness.events, 'compaction_finished')[0]!;
    // The first compaction: one refused request, then shorter ones until one fits.
    const sizes = compacts.map((r) => tokensOf(r.body));
    expect(sizes[0]).toBeGreaterThan(6_000);
    const accepted = sizes.findIndex((s) => s <= 6_000);
    expect(accepted).toBeGreaterThan(0);
    const inputs = compacts.slice(0, accepted + 1).map((r) => (r.body as { input: ResponseItem[] }).input);
    for (let i = 1; i < inputs.length; i++) expect(inputs[i]!.length).toBeLessThan(inputs[i - 1]!.length);
    // The context prefix is kept at the head of every attempt; dropping starts after it.
    for (const input of inputs) expect(input[0]).toMatchObject({ role: 'developer' });
    expect(first.items_after).toBeLessThan(first.items_before);
  });

  it('drops the oldest items from the hand-off request too', async () => {
    const harness = await start({ config: { contextWindow: 100_000, capabilities: LOCAL } });
    await harness.agent.runTurn('task 1: run 24 steps');
    // The server's window shrinks (think: another deployment) below what the history needs.
    harness.server.model.contextWindow = 6_000;
    const outcome = await harness.agent.compact();
    expect(outcome).toMatchObject({ status: 'completed', mode: 'local' });
    const handoffs = harness.bodies().filter(isHandoffBody);
    expect(handoffs.length).toBeGreaterThan(1);
    expect(tokensOf(handoffs[0])).toBeGreaterThan(6_000);
    expect(tokensOf(handoffs[handoffs.length - 1])).toBeLessThanOrEqual(6_000);
    // The user's message survived the trimming and the compaction.
    for (const body of handoffs) expect(JSON.stringify(body.input)).toContain('task 1: run 24 steps');
    const result = await harness.agent.runTurn('task 2: run 2 steps');
    expect(result.lastMessage).toBe('task 2 done after 2 steps');
  });

  it('fails cleanly when not even the context fits', async () => {
    const harness = await start({ config: { contextWindow: 100_000 }, server: { contextWindow: 1_000 } });
    const before = harness.agent.history.items.length;
    const result = await harness.agent.runTurn('task 1: run 1 steps');
    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'context_overflow' });
    expect(result.error!.message).toMatch(/cannot be compacted/);
    expect(eventsOf(harness.events, 'compaction_failed')).toHaveLength(1);
    expect(harness.agent.history.items.length).toBeGreaterThan(before);
    expect(harness.agent.history.items.some((i) => i.type === 'compaction')).toBe(false);
  });
});

describe('a limit that compaction cannot reach', () => {
  it('compacts once per turn instead of before every request', async () => {
    // The context prefix and tools alone exceed 1 000 tokens.
    const harness = await start({ config: { autoCompactLimit: 1_000 } });
    await harness.agent.runTurn('task 1: run 4 steps');
    expect(eventsOf(harness.events, 'compaction_finished')).toHaveLength(1);
    const result = await harness.agent.runTurn('task 2: run 4 steps');
    expect(result.lastMessage).toBe('task 2 done after 4 steps');
    expect(eventsOf(harness.events, 'compaction_finished')).toHaveLength(2);
    expect(harness.bodies()).toHaveLength(10);
  });
});

describe('Agent.compact', () => {
  it('compacts between turns; the next turn continues from the compacted history', async () => {
    const harness = await start({});
    await expect(harness.agent.compact()).resolves.toEqual({ status: 'skipped' });
    await harness.agent.runTurn('task 1: run 3 steps');
    const before = harness.agent.tokenStatus().used;
    const outcome = await harness.agent.compact();
    expect(outcome).toMatchObject({ status: 'completed', mode: 'remote', tokens_before: before });
    if (outcome.status !== 'completed') throw new Error('not completed');
    expect(outcome.tokens_after).toBeLessThan(before);
    expect(harness.agent.tokenStatus().used).toBe(outcome.tokens_after);
    const finished = eventsOf(harness.events, 'compaction_finished');
    expect(finished).toEqual([expect.objectContaining({ reason: 'manual', history: harness.agent.history.items })]);
    const statuses = eventsOf(harness.events, 'token_status');
    expect(statuses[statuses.length - 1]).toMatchObject({ used: outcome.tokens_after, window: DEFAULT_CONTEXT_WINDOW });

    const result = await harness.agent.runTurn('task 2: run 2 steps');
    expect(result.lastMessage).toBe('task 2 done after 2 steps');
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);
  });

  it('refuses to run during a turn', async () => {
    const harness = await start({});
    const turn = harness.agent.runTurn('task 1: run 1 steps');
    await expect(harness.agent.compact()).rejects.toThrow(/turn is running/);
    await turn;
  });
});

describe('interrupting a compaction', () => {
  it('leaves the history unchanged (remote)', async () => {
    const harness = await start({});
    await harness.agent.runTurn('task 1: run 2 steps');
    const items = [...harness.agent.history.items];
    harness.server.faults.push({ route: 'compact', stallAfterEvents: 0, stallMs: 10_000 });
    const controller = new AbortController();
    harness.agent.on((e) => e.type === 'compaction_started' && setTimeout(() => controller.abort(), 50));
    const outcome = await harness.agent.compact({ signal: controller.signal });
    expect(outcome).toEqual({ status: 'aborted', mode: 'remote' });
    expect(harness.agent.history.items).toEqual(items);
    expect(eventsOf(harness.events, 'compaction_failed')).toEqual([expect.objectContaining({ error: expect.objectContaining({ kind: 'aborted' }) })]);
    expect(eventsOf(harness.events, 'compaction_finished')).toEqual([]);
  });

  it('leaves the history unchanged (local, while the note streams)', async () => {
    const harness = await start({ config: { capabilities: LOCAL } });
    await harness.agent.runTurn('task 1: run 2 steps');
    const items = [...harness.agent.history.items];
    harness.server.faults.push({ stallAfterEvents: 2, stallMs: 10_000 });
    const controller = new AbortController();
    harness.agent.on((e) => e.type === 'compaction_started' && setTimeout(() => controller.abort(), 50));
    const outcome = await harness.agent.compact({ signal: controller.signal });
    expect(outcome).toEqual({ status: 'aborted', mode: 'local' });
    expect(harness.agent.history.items).toEqual(items);
  });

  it('ends a turn interrupted during an automatic compaction as aborted, uncompacted', async () => {
    const harness = await start({ config: { contextWindow: 6_000 }, server: { contextWindow: 6_000 } });
    harness.server.faults.push({ route: 'compact', stallAfterEvents: 0, stallMs: 10_000 });
    const controller = new AbortController();
    harness.agent.on((e) => e.type === 'compaction_started' && setTimeout(() => controller.abort(), 50));
    const result = await harness.agent.runTurn('task 1: run 30 steps', { signal: controller.signal });
    expect(result.reason).toBe('aborted');
    expect(harness.agent.history.items.some((i) => i.type === 'compaction')).toBe(false);
    expect(harness.agent.history.items.at(-1)).toMatchObject({ role: 'user', content: [{ text: expect.stringMatching(/^<turn_aborted>/) }] });
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);
  });
});

describe('a compaction that fails', () => {
  it('fails the turn with its error and keeps the history whole', async () => {
    const harness = await start({ config: { contextWindow: 6_000 }, server: { contextWindow: 6_000 } });
    harness.server.faults.push({ route: 'compact', status: 500, times: 10 });
    const result = await harness.agent.runTurn('task 1: run 30 steps');
    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'server', status: 500 });
    expect(eventsOf(harness.events, 'compaction_failed')).toEqual([expect.objectContaining({ reason: 'auto', mode: 'remote' })]);
    // Retried with backoff first, like a sampling request.
    expect(compactRequests(harness)).toHaveLength(5);
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);
  });
});
