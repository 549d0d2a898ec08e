/**
 * HTTP-level model failures through the whole loop (real Agent, openai SDK over HTTP, the
 * scripted server's fault queue, just-bash). REFERENCE §4: transient failures (5xx, 429 rate
 * limits) are retried up to 4 times with 200 ms × 2^(n−1) backoff or the server's own delay;
 * quota, auth and not-found fail at once with a kind the UI can explain; a context overflow is
 * compacted and resent once, then reported.
 *
 * Every test also checks the loop's request promises: each request extends the previous one,
 * every call has one output, and a retry resends byte-for-byte the same request.
 * The harness clock records backoff waits instead of sleeping; `random` is fixed at 0.5, which
 * makes the ±10 % jitter exactly zero, so waits are exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../../src/core/events';
import type { ResponseItem } from '../../../src/core/items';
import type { TurnResult } from '../../../src/core/loop';
import { errorBody, reply, sequence, when, type Script } from '../../../src/model/scripted/index';
import { eventsOf, expectSoundRequests, retryProblems, startHarness, type Harness, type HarnessOptions } from '../../support/harness';
import { compactedRequestProblems } from '../../support/invariants';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FOLLOW_UP = 'follow up';

/** Round 0 runs a command that appends to log.txt, round 1 answers; a follow-up turn gets 'recovered'. */
const twoRounds: Script = sequence([[reply.reasoning('Run it once.'), reply.exec('echo ran >> log.txt')], reply.text('all done')], {
  rules: [when((ctx) => ctx.lastUserText === FOLLOW_UP, reply.text('recovered'))],
});

async function start(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  h = await startHarness({ script: twoRounds, ...options });
  return h;
}

function ofType(items: readonly ResponseItem[], type: ResponseItem['type']): ResponseItem[] {
  return items.filter((i) => i.type === type);
}

/** A turn that succeeded after retries: one copy of each item, the command run exactly once. */
async function expectCompletedOnce(harness: Harness, result: TurnResult): Promise<void> {
  expect(result.reason).toBe('completed');
  expect(result.lastMessage).toBe('all done');
  const items = harness.agent.history.items;
  expect(ofType(items, 'reasoning')).toHaveLength(1);
  expect(ofType(items, 'function_call')).toHaveLength(1);
  expect(ofType(items, 'function_call_output')).toHaveLength(1);
  expect(await harness.readFile('log.txt')).toBe('ran\n');
  expectSoundRequests(harness);
}

/** A turn that failed without retrying: one request, the reported error, then a working follow-up. */
async function expectFailedAtOnce(harness: Harness, result: TurnResult, error: Partial<ErrorInfo>): Promise<void> {
  expect(result.reason).toBe('failed');
  expect(result.error).toMatchObject(error);
  expect(result.error?.message).toBeTruthy();
  expect(eventsOf(harness.events, 'turn_ended').map((e) => [e.reason, e.error?.kind])).toEqual([['failed', error.kind]]);
  expect(harness.bodies()).toHaveLength(1);
  expect(eventsOf(harness.events, 'round_retry')).toEqual([]);
  expect(harness.clock.sleeps).toEqual([]);
  expectSoundRequests(harness);
}

/** The next turn on the same agent works and extends the failed turn's requests. */
async function expectRecovers(harness: Harness): Promise<void> {
  const next = await harness.agent.runTurn(FOLLOW_UP);
  expect(next.reason).toBe('completed');
  expect(next.lastMessage).toBe('recovered');
  expectSoundRequests(harness);
}

describe('request failures (HTTP status) are retried or reported', () => {
  it('retries a 500 once and succeeds', async () => {
    const harness = await start();
    harness.server.faults.push({ status: 500 });
    const result = await harness.agent.runTurn('go');

    const retries = eventsOf(harness.events, 'round_retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ round: 1, attempt: 1, delay_ms: 200, error: { kind: 'server', status: 500 } });
    expect(harness.bodies()).toHaveLength(3);
    expect(harness.clock.sleeps).toEqual([200]);
    await expectCompletedOnce(harness, result);
  });

  it('retries a failure in a later round without running the round before it again', async () => {
    const harness = await start();
    // The first request goes through; the one after the command ran fails once.
    harness.agent.on((e) => {
      if (e.type === 'tool_started') harness.server.faults.push({ status: 502 });
    });
    const result = await harness.agent.runTurn('go');
    expect(eventsOf(harness.events, 'round_retry').map((e) => e.round)).toEqual([2]);
    expect(harness.bodies()).toHaveLength(3);
    await expectCompletedOnce(harness, result);
  });

  it('uses the whole request budget: four 503s, then success on the fifth request', async () => {
    const harness = await start();
    harness.server.faults.push({ status: 503, times: 4 });
    const result = await harness.agent.runTurn('go');

    expect(harness.bodies()).toHaveLength(6);
    expect(eventsOf(harness.events, 'round_retry').map((e) => [e.attempt, e.error.kind])).toEqual([
      [1, 'server'],
      [2, 'server'],
      [3, 'server'],
      [4, 'server'],
    ]);
    // Exponential backoff from 200 ms.
    expect(harness.clock.sleeps).toEqual([200, 400, 800, 1600]);
    await expectCompletedOnce(harness, result);
  });

  it('gives up after five 500s (four retries) with kind "server"', async () => {
    const harness = await start();
    harness.server.faults.push({ status: 500, times: 5 });
    const result = await harness.agent.runTurn('go');

    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'server', status: 500 });
    expect(harness.bodies()).toHaveLength(5);
    expect(harness.server.faults.pending).toBe(0);
    expect(eventsOf(harness.events, 'round_retry')).toHaveLength(4);
    expect(eventsOf(harness.events, 'turn_ended').map((e) => e.error?.kind)).toEqual(['server']);
    // Nothing of the failed round reaches history: it still ends with the user's message.
    expect(harness.agent.history.items.at(-1)).toMatchObject({ type: 'message', role: 'user' });
    expectSoundRequests(harness);
    await expectRecovers(harness);
  });

  it('waits as long as a 429 Retry-After header asks', async () => {
    const harness = await start();
    harness.server.faults.push({ status: 429, retryAfter: '2' });
    const result = await harness.agent.runTurn('go');

    expect(harness.clock.sleeps).toEqual([2000]);
    expect(eventsOf(harness.events, 'round_retry')[0]).toMatchObject({ delay_ms: 2000, error: { kind: 'rate_limit', status: 429 } });
    expect(harness.bodies()).toHaveLength(3);
    await expectCompletedOnce(harness, result);
  });

  it('fails at once on 429 insufficient_quota (kind "quota")', async () => {
    const harness = await start();
    harness.server.faults.push({
      status: 429,
      body: errorBody('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota'),
    });
    const result = await harness.agent.runTurn('go');
    await expectFailedAtOnce(harness, result, { kind: 'quota', status: 429, code: 'insufficient_quota' });
    await expectRecovers(harness);
  });

  it('compacts once on 400 context_length_exceeded, then reports the next one (kind "context_overflow")', async () => {
    // The compact endpoint, so that compacting sends no /responses request of its own.
    const harness = await start({ client: { compact: true } });
    harness.server.faults.push({
      status: 400,
      body: errorBody('Your input exceeds the context window of this model.', 'invalid_request_error', 'context_length_exceeded', 'input'),
      times: 2,
    });
    const result = await harness.agent.runTurn('go');
    expect(result.reason).toBe('failed');
    expect(result.error).toMatchObject({ kind: 'context_overflow', status: 400, code: 'context_length_exceeded' });
    // No backoff: one compaction and one resend.
    expect(eventsOf(harness.events, 'compaction_finished')).toHaveLength(1);
    expect(harness.bodies()).toHaveLength(2);
    expect(eventsOf(harness.events, 'round_retry')).toEqual([]);
    expect(harness.clock.sleeps).toEqual([]);
    const next = await harness.agent.runTurn(FOLLOW_UP);
    expect(next.lastMessage).toBe('recovered');
    expect(compactedRequestProblems(harness.bodies()).problems).toEqual([]);
    expect(retryProblems(harness)).toEqual([]);
  });

  it('fails at once on a wrong API key (401, kind "auth")', async () => {
    const harness = await start({ requireKey: 'sk-the-right-one' });
    const result = await harness.agent.runTurn('go');
    await expectFailedAtOnce(harness, result, { kind: 'auth', status: 401, code: 'invalid_api_key' });
    expect(harness.requests()[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('fails at once on 404 (kind "not_found")', async () => {
    const harness = await start();
    harness.server.faults.push({ status: 404 });
    const result = await harness.agent.runTurn('go');
    await expectFailedAtOnce(harness, result, { kind: 'not_found', status: 404 });
    expect(result.error?.message).toMatch(/base URL/);
    await expectRecovers(harness);
  });

  it('fails at once on another 400 (kind "bad_request")', async () => {
    const harness = await start();
    harness.server.faults.push({ status: 400 });
    const result = await harness.agent.runTurn('go');
    await expectFailedAtOnce(harness, result, { kind: 'bad_request', status: 400 });
    await expectRecovers(harness);
  });

  it('keeps the request and stream budgets apart', async () => {
    const harness = await start();
    // Four failures before any event (the whole request budget), then five broken streams
    // (the whole stream budget): the tenth request of the round still gets its chance.
    harness.server.faults.push({ status: 500, times: 4 }, { cutAfterEvents: 3, times: 5 });
    const result = await harness.agent.runTurn('go');

    expect(eventsOf(harness.events, 'round_retry').map((e) => e.error.kind)).toEqual([
      ...['server', 'server', 'server', 'server'],
      ...['stream', 'stream', 'stream', 'stream', 'stream'],
    ]);
    expect(harness.clock.sleeps).toEqual([200, 400, 800, 1600, 200, 400, 800, 1600, 3200]);
    expect(harness.bodies()).toHaveLength(11);
    await expectCompletedOnce(harness, result);
  });
});

describe('listeners', () => {
  it('a listener that throws on every event does not disturb the loop', async () => {
    const harness = await start();
    let calls = 0;
    harness.agent.on(() => {
      calls++;
      throw new Error('listener bug');
    });
    const heardAfter: string[] = [];
    harness.agent.on((e) => heardAfter.push(e.type));
    harness.server.faults.push({ status: 500 });
    const result = await harness.agent.runTurn('go');

    // It was called for everything, retries and tool events included, and the turn finished.
    expect(calls).toBe(harness.events.length);
    expect(eventsOf(harness.events, 'round_retry')).toHaveLength(1);
    expect(eventsOf(harness.events, 'tool_finished')).toHaveLength(1);
    await expectCompletedOnce(harness, result);
    // A listener registered after the failing one still hears every event.
    expect(heardAfter).toEqual(harness.events.map((e) => e.type));
    expect(eventsOf(harness.events, 'item_appended').map((e) => e.item)).toEqual(harness.agent.history.items);
  });
});
