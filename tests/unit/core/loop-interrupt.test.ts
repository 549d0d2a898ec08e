/**
 * Interrupts through the whole loop: the real Agent, the openai SDK over HTTP to the scripted
 * server, and just-bash. The user interrupts by aborting the AbortController given to
 * `runTurn`, from an event listener, at each point where a turn can be waiting: before the
 * first request, mid-stream, between a finished call and the end of its stream, inside a
 * tool, inside an approval and inside a retry backoff.
 *
 * The contract after every interrupt (REFERENCE §3): the turn ends `aborted`; finished items
 * are kept; a running call gets "aborted by user", an unstarted one "aborted"; the history
 * ends with a `<turn_aborted>` user message and every call has exactly one output; nothing
 * new starts after the abort; and the next turn on the same agent works with every request
 * an exact extension of the one before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/events';
import { pairingProblems } from '../../../src/core/history';
import { messageText, type ResponseItem, type ToolCallItem } from '../../../src/core/items';
import type { TurnResult } from '../../../src/core/loop';
import { addFilePatch, reply, sequence, when, type Script, type Step } from '../../../src/model/scripted/index';
import { eventsOf, ROOT, startHarness, type Harness, type HarnessOptions } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FOLLOW_UP = 'follow up';
const FOLLOW_UP_ANSWER = 'back again';

/** `steps` answer the interrupted turn round by round; the follow-up turn always gets a plain answer. */
function script(...steps: Step[]): Script {
  return sequence(steps, { rules: [when((ctx) => ctx.lastUserText === FOLLOW_UP, reply.text(FOLLOW_UP_ANSWER))] });
}

interface Interrupt {
  controller: AbortController;
  /** Index in `h.events` of the first event emitted after the abort (-1 until it happened). */
  cut: number;
}

/**
 * Aborts the turn the first time `pick` matches an event: synchronously inside the listener,
 * or `deferMs` later (to land inside whatever the loop awaits after that event).
 */
function interruptOn(harness: Harness, pick: (e: AgentEvent) => boolean, deferMs?: number): Interrupt {
  const interrupt: Interrupt = { controller: new AbortController(), cut: -1 };
  const abort = () => {
    if (interrupt.cut >= 0) return;
    // The harness's own listener was registered first, so the triggering event is recorded.
    interrupt.cut = harness.events.length;
    interrupt.controller.abort();
  };
  harness.agent.on((event) => {
    if (interrupt.cut >= 0 || !pick(event)) return;
    if (deferMs === undefined) abort();
    else setTimeout(abort, deferMs);
  });
  return interrupt;
}

async function start(options: HarnessOptions): Promise<Harness> {
  h = await startHarness(options);
  return h;
}

function calls(items: readonly ResponseItem[]): ToolCallItem[] {
  return items.filter((i): i is ToolCallItem => i.type === 'function_call' || i.type === 'custom_tool_call');
}

function outputOf(items: readonly ResponseItem[], callId: string): string | undefined {
  const found = items.find((i) => (i.type === 'function_call_output' || i.type === 'custom_tool_call_output') && i.call_id === callId);
  return (found as { output: string } | undefined)?.output;
}

/**
 * The checks every interrupt must pass, then a follow-up turn on the same agent. Returns the
 * history as it stood right after the aborted turn.
 */
async function expectCleanAbort(harness: Harness, result: TurnResult, interrupt: Interrupt): Promise<readonly ResponseItem[]> {
  expect(interrupt.cut).toBeGreaterThanOrEqual(0);
  expect(result.reason).toBe('aborted');
  expect(harness.agent.running).toBe(false);
  const ended = eventsOf(harness.events, 'turn_ended');
  expect(ended.map((e) => e.reason)).toEqual(['aborted']);

  const history = [...harness.agent.history.items];
  expect(pairingProblems(history)).toEqual([]);
  const last = history[history.length - 1]!;
  expect(last.type === 'message' && last.role === 'user' && messageText(last).startsWith('<turn_aborted>')).toBe(true);
  // Nothing starts once the user has interrupted.
  const after = harness.events.slice(interrupt.cut);
  expect(eventsOf(after, 'tool_started')).toEqual([]);
  expect(eventsOf(after, 'request_started')).toEqual([]);
  expect(eventsOf(after, 'approval_requested')).toEqual([]);

  const sentBefore = harness.bodies().length;
  const next = await harness.agent.runTurn(FOLLOW_UP);
  expect(next.reason).toBe('completed');
  expect(next.lastMessage).toBe(FOLLOW_UP_ANSWER);
  expect(harness.bodies()).toHaveLength(sentBefore + 1);
  // The follow-up request resends the aborted turn's history untouched, marker included.
  const followInput = harness.bodies()[sentBefore]!.input!;
  expect(followInput.slice(0, history.length)).toEqual(history);
  expect(followInput[0]).toMatchObject({ type: 'message', role: 'developer' });
  expect(harness.problems()).toEqual([]);
  expect(pairingProblems(harness.agent.history.items)).toEqual([]);
  return history;
}

const LONG_TEXT = Array.from({ length: 150 }, (_, i) => `word${i}`).join(' ');

describe('interrupting a turn', () => {
  it('(a) with an already-aborted signal: nothing is sent, the input is kept before the marker', async () => {
    const harness = await start({ script: script(reply.text('never sent')) });
    const interrupt: Interrupt = { controller: new AbortController(), cut: 0 };
    interrupt.controller.abort();
    const result = await harness.agent.runTurn('do something', { signal: interrupt.controller.signal });

    expect(harness.bodies()).toHaveLength(0);
    const history = await expectCleanAbort(harness, result, interrupt);
    // Context first, then what the user typed, then the marker: the next request still opens
    // with the developer message and the model can see what was interrupted.
    expect(history[0]).toMatchObject({ type: 'message', role: 'developer' });
    expect(history.at(-2)).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'do something' }] });
  });

  it('(a) on turn_started: nothing is sent', async () => {
    const harness = await start({ script: script(reply.text('never sent')) });
    const interrupt = interruptOn(harness, (e) => e.type === 'turn_started');
    const result = await harness.agent.runTurn('do something', { signal: interrupt.controller.signal });
    expect(harness.bodies()).toHaveLength(0);
    const history = await expectCleanAbort(harness, result, interrupt);
    expect(history.filter((i) => i.type === 'message' && messageText(i) === 'do something')).toHaveLength(1);
  });

  it('(a) on request_started: the request never reaches the server', async () => {
    const harness = await start({ script: script(reply.text('never sent')) });
    const interrupt = interruptOn(harness, (e) => e.type === 'request_started');
    const result = await harness.agent.runTurn('do something', { signal: interrupt.controller.signal });
    expect(harness.bodies()).toHaveLength(0);
    expect(eventsOf(harness.events, 'round_retry')).toEqual([]);
    await expectCleanAbort(harness, result, interrupt);
  });

  it('(b) while the stream is silent: the wait for the next event is cut short', async () => {
    const harness = await start({ script: script([reply.text('slow'), reply.exec('touch never.txt')]) });
    // The server goes quiet for 30 s after two events; the default idle timeout is 300 s.
    harness.server.faults.push({ stallAfterEvents: 2, stallMs: 30_000 });
    const interrupt = interruptOn(harness, (e) => e.type === 'response_created', 50);
    const result = await harness.agent.runTurn('go', { signal: interrupt.controller.signal });
    expect(eventsOf(harness.events, 'output_item_added')).toEqual([]);
    const history = await expectCleanAbort(harness, result, interrupt);
    expect(calls(history)).toEqual([]);
  }, 5_000);

  it('(b) mid-stream after the first text delta: finished reasoning is kept, the rest is dropped', async () => {
    const harness = await start({
      script: script([reply.reasoning('Planning the change.'), reply.text(LONG_TEXT), reply.exec('echo never')]),
      eventDelayMs: 5,
    });
    const interrupt = interruptOn(harness, (e) => e.type === 'text_delta');
    const result = await harness.agent.runTurn('write a lot', { signal: interrupt.controller.signal });

    expect(harness.bodies()).toHaveLength(1);
    const after = harness.events.slice(interrupt.cut);
    // The stream stops at once: no more text, no more finished items, no retry.
    expect(eventsOf(after, 'text_delta')).toEqual([]);
    expect(eventsOf(after, 'output_item_done')).toEqual([]);
    expect(eventsOf(after, 'round_retry')).toEqual([]);
    expect(eventsOf(harness.events, 'response_completed')).toEqual([]);

    const history = await expectCleanAbort(harness, result, interrupt);
    const reasoning = history.filter((i) => i.type === 'reasoning');
    expect(reasoning).toHaveLength(1);
    expect(reasoning[0]).toMatchObject({ summary: [{ type: 'summary_text', text: 'Planning the change.' }] });
    expect(history.some((i) => i.type === 'message' && i.role === 'assistant')).toBe(false);
    expect(calls(history)).toEqual([]);
  });

  it('(c) after a function call finished but before the stream completed: the call gets "aborted" and never runs', async () => {
    const harness = await start({
      script: script([reply.note('Creating the marker.'), reply.exec('touch ran.txt'), reply.text('trailing text')]),
      eventDelayMs: 2,
    });
    const interrupt = interruptOn(harness, (e) => e.type === 'output_item_done' && e.item.type === 'function_call');
    const result = await harness.agent.runTurn('make a marker', { signal: interrupt.controller.signal });

    expect(eventsOf(harness.events, 'response_completed')).toEqual([]);
    const history = await expectCleanAbort(harness, result, interrupt);
    const [call] = calls(history);
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(outputOf(history, call!.call_id)).toBe('aborted');
    // The note before the call is kept; the message after it never finished.
    const assistant = history.filter((i) => i.type === 'message' && i.role === 'assistant').map(messageText);
    expect(assistant).toEqual(['Creating the marker.']);
    expect(eventsOf(harness.events, 'tool_started')).toEqual([]);
    expect(await harness.bash.fs.exists(`${ROOT}/ran.txt`)).toBe(false);
  });

  it('(c) on response_completed of a round with calls: every call gets "aborted", none starts', async () => {
    const harness = await start({ script: script([reply.exec('touch a.txt'), reply.exec('touch b.txt')]) });
    const interrupt = interruptOn(harness, (e) => e.type === 'response_completed');
    const result = await harness.agent.runTurn('two files', { signal: interrupt.controller.signal });

    const history = await expectCleanAbort(harness, result, interrupt);
    const found = calls(history);
    expect(found).toHaveLength(2);
    for (const call of found) expect(outputOf(history, call.call_id)).toBe('aborted');
    expect(eventsOf(harness.events, 'tool_started')).toEqual([]);
    expect(await harness.bash.fs.exists(`${ROOT}/a.txt`)).toBe(false);
  });

  it('(d) on tool_started: the command gets "aborted by user"', async () => {
    const harness = await start({ script: script(reply.exec('sleep 5; touch late.txt')) });
    const interrupt = interruptOn(harness, (e) => e.type === 'tool_started');
    const result = await harness.agent.runTurn('wait a while', { signal: interrupt.controller.signal });

    const history = await expectCleanAbort(harness, result, interrupt);
    const [call] = calls(history);
    expect(outputOf(history, call!.call_id)).toBe('aborted by user');
    expect(eventsOf(harness.events, 'tool_finished').map((e) => e.output)).toEqual(['aborted by user']);
  });

  it('(d) while the command is running: it is stopped promptly and reported "aborted by user"', async () => {
    // just-bash reports output only at exit, so the abort comes a moment after the start, while
    // `sleep 5` runs; the test finishing well inside its timeout shows the wait was cut short.
    const harness = await start({ script: script(reply.exec('sleep 5; touch late.txt')) });
    const interrupt = interruptOn(harness, (e) => e.type === 'tool_started', 100);
    const result = await harness.agent.runTurn('wait a while', { signal: interrupt.controller.signal });

    const history = await expectCleanAbort(harness, result, interrupt);
    const [call] = calls(history);
    expect(outputOf(history, call!.call_id)).toBe('aborted by user');
    // The process was killed and forgotten, not left behind as a session.
    expect(harness.agent.processes.ids()).toEqual([]);
    expect(await harness.bash.fs.exists(`${ROOT}/late.txt`)).toBe(false);
  }, 4_000);

  it('(e) with a running call and an unstarted one: "aborted by user" and "aborted"', async () => {
    // exec_command is parallel-safe and apply_patch is not, so they run in separate batches.
    const harness = await start({
      script: script((ctx) => [reply.exec('sleep 5'), reply.patch(ctx, addFilePatch('patched.txt', 'no'))]),
    });
    const interrupt = interruptOn(harness, (e) => e.type === 'tool_started', 100);
    const result = await harness.agent.runTurn('two things', { signal: interrupt.controller.signal });

    const history = await expectCleanAbort(harness, result, interrupt);
    const [exec, patch] = calls(history);
    expect(patch).toMatchObject({ name: 'apply_patch' });
    expect(outputOf(history, exec!.call_id)).toBe('aborted by user');
    expect(outputOf(history, patch!.call_id)).toBe('aborted');
    // Only the running call ever started; the patch was never applied.
    expect(eventsOf(harness.events, 'tool_started').map((e) => e.call.call_id)).toEqual([exec!.call_id]);
    expect(await harness.bash.fs.exists(`${ROOT}/patched.txt`)).toBe(false);
    // Outputs follow their calls in call order.
    const outputIds = history.filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output');
    expect(outputIds.map((o) => (o as { call_id: string }).call_id)).toEqual([exec!.call_id, patch!.call_id]);
  }, 4_000);

  it('(f) while waiting for an approval: the command is "aborted by user" and never runs', async () => {
    const harness = await start({ script: script(reply.exec('touch approved.txt')), config: { approvalPolicy: 'untrusted' } });
    const interrupt = interruptOn(harness, (e) => e.type === 'approval_requested');
    const result = await harness.agent.runTurn('make a file', { signal: interrupt.controller.signal });

    const asked = eventsOf(harness.events, 'approval_requested');
    expect(asked).toHaveLength(1);
    const history = await expectCleanAbort(harness, result, interrupt);
    const [call] = calls(history);
    expect(outputOf(history, call!.call_id)).toBe('aborted by user');
    expect(await harness.bash.fs.exists(`${ROOT}/approved.txt`)).toBe(false);
    // A late answer to the dead request changes nothing.
    harness.agent.respondToApproval(asked[0]!.request.id, 'approve');
    expect(await harness.bash.fs.exists(`${ROOT}/approved.txt`)).toBe(false);
  });

  it('(g) during a retry backoff that really waits: the wait is cut short', async () => {
    const harness = await start({ script: script(reply.text('never sent')), realRetryWaits: true });
    // Retry-After makes the backoff 30 s: only an abortable wait lets this test finish.
    harness.server.faults.push({ status: 503, retryAfter: '30' });
    const interrupt = interruptOn(harness, (e) => e.type === 'round_retry', 20);
    const result = await harness.agent.runTurn('hello', { signal: interrupt.controller.signal });

    expect(harness.clock.sleeps).toEqual([30_000]);
    expect(harness.bodies()).toHaveLength(1);
    const history = await expectCleanAbort(harness, result, interrupt);
    expect(history.filter((i) => i.type === 'message' && i.role === 'assistant')).toEqual([]);
  }, 5_000);

  it('(g) on round_retry itself: no second attempt is made', async () => {
    const harness = await start({ script: script(reply.text('never sent')) });
    harness.server.faults.push({ status: 500 });
    const interrupt = interruptOn(harness, (e) => e.type === 'round_retry');
    const result = await harness.agent.runTurn('hello', { signal: interrupt.controller.signal });
    expect(harness.bodies()).toHaveLength(1);
    await expectCleanAbort(harness, result, interrupt);
  });

  it('keeps the finished rounds of a multi-round turn and input queued before the abort', async () => {
    const harness = await start({
      script: script(reply.exec('echo one > one.txt'), reply.exec('sleep 5'), reply.text('unreached')),
    });
    let round = 0;
    harness.agent.on((e) => {
      if (e.type === 'request_started' && ++round === 2) harness.agent.queueInput('also this');
    });
    const interrupt = interruptOn(harness, (e) => e.type === 'tool_started' && round === 2, 100);
    const result = await harness.agent.runTurn('two rounds', { signal: interrupt.controller.signal });

    expect(await harness.readFile('one.txt')).toBe('one\n');
    const history = await expectCleanAbort(harness, result, interrupt);
    const [first, second] = calls(history);
    expect(outputOf(history, first!.call_id)).toMatch(/Process exited with code 0/);
    expect(outputOf(history, second!.call_id)).toBe('aborted by user');
    // The queued message was not lost: it sits just before the marker.
    expect(messageText(history[history.length - 2]!)).toBe('also this');
  }, 4_000);

  it('a controller aborted after the turn ended does not touch the next turn', async () => {
    const harness = await start({ script: script(reply.text('done')) });
    const controller = new AbortController();
    const first = await harness.agent.runTurn('hi', { signal: controller.signal });
    expect(first.reason).toBe('completed');
    const length = harness.agent.history.length;
    controller.abort();
    expect(harness.agent.history.length).toBe(length);
    const second = await harness.agent.runTurn(FOLLOW_UP);
    expect(second.lastMessage).toBe(FOLLOW_UP_ANSWER);
    expect(harness.problems()).toEqual([]);
  });
});
