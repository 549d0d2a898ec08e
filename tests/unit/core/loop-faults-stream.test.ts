/**
 * Failures of an open stream through the whole loop (real Agent, openai SDK over HTTP, the
 * scripted server's fault queue, just-bash): cut connections, malformed events, stalls past
 * the client's idle timeout, `response.failed` and `response.incomplete`. REFERENCE §4: a
 * broken stream is retried up to 5 times (its own budget), `response.failed` follows its code
 * (server_error and rate limits retry, the latter after "try again in …"), and
 * `response.incomplete` ends the turn.
 *
 * A retried round re-streams output the UI has already shown, so `round_retry` must separate
 * the attempts; the history must hold the round's items exactly once. Every test also checks
 * that requests extend each other, calls pair with outputs and retries resend the same bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/events';
import { toHistoryItem, type ResponseItem } from '../../../src/core/items';
import type { TurnResult } from '../../../src/core/loop';
import { reply, sequence, when, type Script } from '../../../src/model/scripted/index';
import { eventsOf, expectSoundRequests, startHarness, type Harness, type HarnessOptions } from '../../support/harness';
import { compactedRequestProblems } from '../../support/invariants';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FOLLOW_UP = 'follow up';

/**
 * Round 0: reasoning, a progress note and a command appending to log.txt; round 1: the answer.
 * The reasoning summary is one word, so it finishes within the first 8 events (created,
 * in_progress, item added, part added, delta, text done, part done, item done).
 */
const twoRounds: Script = sequence(
  [
    [reply.reasoning('Checking.'), reply.note('Running the command now, then I will report back.'), reply.exec('echo ran >> log.txt')],
    reply.text('all done'),
  ],
  { rules: [when((ctx) => ctx.lastUserText === FOLLOW_UP, reply.text('recovered'))] },
);

async function start(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  h = await startHarness({ script: twoRounds, ...options });
  return h;
}

/**
 * What a UI sees if it keeps each round's finished items and throws them away on
 * `round_retry`: it must end up with exactly the model output that history holds.
 */
function foldLikeAUi(events: readonly AgentEvent[]): ResponseItem[] {
  const byRound = new Map<number, ResponseItem[]>();
  for (const e of events) {
    if (e.type === 'round_retry') byRound.set(e.round, []);
    if (e.type === 'output_item_done') byRound.set(e.round, [...(byRound.get(e.round) ?? []), toHistoryItem(e.item)]);
  }
  return [...byRound.keys()].sort((a, b) => a - b).flatMap((round) => byRound.get(round) ?? []);
}

function modelOutput(items: readonly ResponseItem[]): ResponseItem[] {
  return items.filter((i) => i.type === 'reasoning' || i.type === 'function_call' || (i.type === 'message' && i.role === 'assistant'));
}

/** Round 1 was retried once (with `kind`) and the turn then completed with each item once. */
async function expectRetriedOnce(harness: Harness, result: TurnResult, kind: string): Promise<void> {
  expect(result.reason).toBe('completed');
  expect(result.lastMessage).toBe('all done');
  const retries = eventsOf(harness.events, 'round_retry');
  expect(retries.map((e) => [e.round, e.attempt, e.error.kind])).toEqual([[1, 1, kind]]);
  expect(harness.bodies()).toHaveLength(3);
  const items = harness.agent.history.items;
  for (const type of ['reasoning', 'function_call', 'function_call_output'] as const) {
    expect(items.filter((i) => i.type === type)).toHaveLength(1);
  }
  expect(await harness.readFile('log.txt')).toBe('ran\n');
  expect(foldLikeAUi(harness.events)).toEqual(modelOutput(items));
  expectSoundRequests(harness);
}

describe('broken streams are retried', () => {
  for (const mode of ['destroy', 'end'] as const) {
    it(`retries a stream cut after 10 events (${mode}) and keeps the round's items once`, async () => {
      const harness = await start();
      harness.server.faults.push({ cutAfterEvents: 10, mode });
      const result = await harness.agent.runTurn('go');

      // The UI saw the reasoning finish and the note begin before the cut; round_retry comes
      // between that partial output and the second attempt's.
      const types = harness.events.map((e) => e.type);
      const retryAt = types.indexOf('round_retry');
      const before = harness.events.slice(0, retryAt);
      expect(eventsOf(before, 'output_item_done').map((e) => e.item.type)).toEqual(['reasoning']);
      expect(eventsOf(before, 'output_item_added').map((e) => e.item.type)).toEqual(['reasoning', 'message']);
      expect(eventsOf(before, 'response_completed')).toEqual([]);
      expect(types.indexOf('request_started', retryAt)).toBeGreaterThan(retryAt);
      // Shown once per attempt: a consumer needs round_retry to drop the first copy.
      expect(eventsOf(harness.events, 'output_item_done').filter((e) => e.item.type === 'reasoning')).toHaveLength(2);
      expect(eventsOf(harness.events, 'round_retry')[0]!.error.message).toBeTruthy();
      await expectRetriedOnce(harness, result, 'stream');
    });
  }

  it('runs a call that finished before the cut only once, after the retry', async () => {
    // The call comes first; its arguments (19 characters) take at most 5 deltas, so it is done
    // by event 9, and the long note after it is still streaming at event 13.
    const note = 'A progress note that is long enough to be streamed in several delta events after the call.';
    const harness = await start({ script: sequence([[reply.exec('echo a>>l'), reply.note(note)], reply.text('all done')]) });
    harness.server.faults.push({ cutAfterEvents: 13 });
    const result = await harness.agent.runTurn('go');

    expect(result.reason).toBe('completed');
    const retryAt = harness.events.findIndex((e) => e.type === 'round_retry');
    const before = harness.events.slice(0, retryAt);
    expect(eventsOf(before, 'output_item_done').map((e) => e.item.type)).toEqual(['function_call']);
    expect(eventsOf(before, 'text_delta').length).toBeGreaterThan(0);
    // Tools wait for the completed response: nothing ran for the broken attempt.
    expect(eventsOf(before, 'tool_started')).toEqual([]);
    expect(eventsOf(harness.events, 'tool_started')).toHaveLength(1);
    expect(await harness.readFile('l')).toBe('a\n');
    const items = harness.agent.history.items;
    expect(items.filter((i) => i.type === 'function_call')).toHaveLength(1);
    expect(items.filter((i) => i.type === 'message' && i.role === 'assistant')).toHaveLength(2);
    expect(foldLikeAUi(harness.events)).toEqual(modelOutput(items));
    expectSoundRequests(harness);
  });

  it('retries after a malformed event', async () => {
    const harness = await start();
    harness.server.faults.push({ malformedAt: 5 });
    const result = await harness.agent.runTurn('go');
    expect(eventsOf(harness.events, 'round_retry')[0]!.error.message).toMatch(/malformed/);
    await expectRetriedOnce(harness, result, 'stream');
  });

  it('gives up on a stall longer than the idle timeout ("timeout") and retries', async () => {
    const harness = await start({ client: { idleTimeoutMs: 300 } });
    harness.server.faults.push({ stallAfterEvents: 3, stallMs: 10_000 });
    const result = await harness.agent.runTurn('go');
    await expectRetriedOnce(harness, result, 'timeout');
    expect(harness.clock.sleeps).toEqual([200]);
  });

  it('fails with kind "stream" once the stream budget is spent (five retries, six requests)', async () => {
    const harness = await start();
    harness.server.faults.push({ cutAfterEvents: 4, times: 6 });
    const result = await harness.agent.runTurn('go');

    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'stream' });
    expect(harness.bodies()).toHaveLength(6);
    expect(eventsOf(harness.events, 'round_retry')).toHaveLength(5);
    expect(harness.clock.sleeps).toEqual([200, 400, 800, 1600, 3200]);
    expect(eventsOf(harness.events, 'turn_ended').map((e) => [e.reason, e.error?.kind])).toEqual([['failed', 'stream']]);
    // Nothing from the broken attempts entered history, and the next turn works.
    expect(modelOutput(harness.agent.history.items)).toEqual([]);
    expectSoundRequests(harness);
    const next = await harness.agent.runTurn(FOLLOW_UP);
    expect(next.lastMessage).toBe('recovered');
    expectSoundRequests(harness);
  });
});

describe('response.failed and response.incomplete', () => {
  it('retries response.failed with server_error', async () => {
    const harness = await start();
    harness.server.faults.push({ failWith: { code: 'server_error', message: 'The server had an error processing your request.' } });
    const result = await harness.agent.runTurn('go');
    expect(eventsOf(harness.events, 'round_retry')[0]).toMatchObject({ delay_ms: 200, error: { code: 'server_error' } });
    await expectRetriedOnce(harness, result, 'server');
  });

  it('waits as long as a rate_limit_exceeded message asks ("try again in 1.5s")', async () => {
    const harness = await start();
    harness.server.faults.push({
      failWith: { code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 1.5s.' },
    });
    const result = await harness.agent.runTurn('go');
    expect(harness.clock.sleeps).toEqual([1500]);
    expect(eventsOf(harness.events, 'round_retry')[0]!.delay_ms).toBe(1500);
    await expectRetriedOnce(harness, result, 'rate_limit');
  });

  it('reads compound delays too ("try again in 1m2s")', async () => {
    const harness = await start();
    harness.server.faults.push({ failWith: { code: 'rate_limit_exceeded', message: 'Please try again in 1m2s.' } });
    const result = await harness.agent.runTurn('go');
    // 62 s is past the 60 s cap on any single wait.
    expect(harness.clock.sleeps).toEqual([60_000]);
    await expectRetriedOnce(harness, result, 'rate_limit');
  });

  // The same codes the model client retries when they arrive as a thrown error.
  for (const code of ['server_is_overloaded', 'internal_error', 'service_unavailable']) {
    it(`retries response.failed with the transient code ${code}`, async () => {
      const harness = await start();
      harness.server.faults.push({ failWith: { code, message: 'Temporarily unavailable.' } });
      const result = await harness.agent.runTurn('go');
      await expectRetriedOnce(harness, result, 'server');
    });
  }

  it('fails at once on response.failed with invalid_prompt (kind "bad_request")', async () => {
    const harness = await start();
    harness.server.faults.push({ failWith: { code: 'invalid_prompt', message: 'Your prompt was flagged.' } });
    const result = await harness.agent.runTurn('go');
    expect(result.error).toMatchObject({ kind: 'bad_request', code: 'invalid_prompt' });
    expect(harness.bodies()).toHaveLength(1);
    expectSoundRequests(harness);
  });

  it('fails at once on response.failed with insufficient_quota; a context overflow after one compaction', async () => {
    // The compact endpoint, so that compacting sends no /responses request of its own.
    const harness = await start({ client: { compact: true } });
    harness.server.faults.push({ failWith: { code: 'insufficient_quota', message: 'You exceeded your current quota.' } });
    const first = await harness.agent.runTurn('go');
    expect(first.error).toMatchObject({ kind: 'quota', code: 'insufficient_quota' });
    expect(harness.bodies()).toHaveLength(1);
    // An overflow compacts and resends once; the second one in a row is reported.
    harness.server.faults.push({ failWith: { code: 'context_length_exceeded', message: 'Your input exceeds the context window.' }, times: 2 });
    const second = await harness.agent.runTurn('again');
    expect(second.error).toMatchObject({ kind: 'context_overflow', code: 'context_length_exceeded' });
    // Some servers only say it in words.
    harness.server.faults.push({
      failWith: { code: 'invalid_request_error', message: "This model's maximum context length is 8192 tokens." },
      times: 2,
    });
    const third = await harness.agent.runTurn('once more');
    expect(third.error).toMatchObject({ kind: 'context_overflow' });
    expect(harness.bodies()).toHaveLength(5);
    expect(eventsOf(harness.events, 'compaction_finished').map((e) => e.reason)).toEqual(['overflow', 'overflow']);
    expect(eventsOf(harness.events, 'round_retry')).toEqual([]);
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);
  });

  it('ends the turn on response.incomplete with kind "incomplete"', async () => {
    const harness = await start({ script: sequence([[reply.text('The start of an answer'), reply.incomplete('max_output_tokens')]]) });
    const result = await harness.agent.runTurn('go');

    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'incomplete', code: 'max_output_tokens' });
    expect(harness.bodies()).toHaveLength(1);
    expect(eventsOf(harness.events, 'round_retry')).toEqual([]);
    expect(eventsOf(harness.events, 'turn_ended').map((e) => e.error?.kind)).toEqual(['incomplete']);
    expectSoundRequests(harness);
  });
});
