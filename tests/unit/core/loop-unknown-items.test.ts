/**
 * What a server sends that the app does not understand, through the whole loop (real Agent,
 * openai SDK over HTTP, the scripted server sending the items byte for byte, just-bash): a
 * hosted tool's `code_interpreter_call`, a message with an `output_audio` part, a `function_call`
 * without `arguments`, reasoning with raw `content`. Each must stay in history and go back in
 * the next request as it came (known types lose only their server ids); the call that cannot
 * run gets an error output the model can act on, and calls still pair with outputs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { entriesFromHistory } from '../../../src/app/history-entries';
import { foldEvent, type Entry } from '../../../src/app/chat-entries';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import { pairingProblems } from '../../../src/core/history';
import { isOtherItem, userMessage } from '../../../src/core/items';
import { reply, sequence } from '../../../src/model/scripted/index';
import { retryProblems, startHarness, type Harness } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const reasoning = {
  id: 'rs_7',
  type: 'reasoning',
  summary: [{ type: 'summary_text', text: 'Looking it up.' }],
  content: [{ type: 'reasoning_text', text: 'The user wants the weather; search first.' }],
  encrypted_content: 'gAAAAA-opaque',
};
const webSearch = {
  id: 'ws_1',
  type: 'code_interpreter_call',
  status: 'completed',
  action: { type: 'search', query: 'weather in Lyon', sources: [{ type: 'url', url: 'https://example.com/lyon' }] },
};
const audioMessage = {
  id: 'msg_2',
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [
    { type: 'output_text', text: 'Sunny, 24 °C.', annotations: [] },
    { type: 'output_audio', data: 'UklGRiQAAABXQVZF', transcript: 'Sunny, 24 degrees.' },
  ],
};
const callWithoutArguments = { id: 'fc_3', type: 'function_call', status: 'completed', name: 'exec_command', call_id: 'call_noargs' };

/** What history keeps of `reasoning`: everything but the server id. */
const reasoningKept = {
  type: 'reasoning',
  summary: reasoning.summary,
  content: reasoning.content,
  encrypted_content: reasoning.encrypted_content,
};

async function runOddTurn(): Promise<Harness> {
  h = await startHarness({
    script: sequence([
      [reply.raw(reasoning), reply.raw(webSearch), reply.raw(audioMessage), reply.raw(callWithoutArguments)],
      reply.text('Done: it is sunny.'),
    ]),
  });
  return h;
}

describe('items the app does not understand', () => {
  it('are kept in history as received and sent back in the next request as received', async () => {
    const harness = await runOddTurn();
    const result = await harness.agent.runTurn('what is the weather in Lyon?');
    expect(result.reason).toBe('completed');
    expect(result.lastMessage).toBe('Done: it is sunny.');

    const items = harness.agent.history.items;
    const user = items.findIndex((item) => JSON.stringify(item) === JSON.stringify(userMessage('what is the weather in Lyon?')));
    const model = items.slice(user + 1, user + 6);
    expect(model.slice(0, 4)).toEqual([reasoningKept, webSearch, audioMessage, callWithoutArguments]);
    expect(model.slice(1, 4).every((item) => isOtherItem(item))).toBe(true);

    // The next request carries them byte for byte.
    const second = harness.bodies()[1]!.input!;
    const sent = second.slice(user + 1, user + 5).map((item) => JSON.stringify(item));
    expect(sent).toEqual([reasoningKept, webSearch, audioMessage, callWithoutArguments].map((item) => JSON.stringify(item)));
    expect(harness.problems()).toEqual([]);
    expect(retryProblems(harness)).toEqual([]);
  });

  it('answers a function_call without arguments with an error the model can act on, keeping calls paired', async () => {
    const harness = await runOddTurn();
    await harness.agent.runTurn('what is the weather in Lyon?');
    const items = harness.agent.history.items;
    const outputs = items.filter((item) => item.type === 'function_call_output');
    expect(outputs).toEqual([
      {
        type: 'function_call_output',
        call_id: 'call_noargs',
        output: expect.stringMatching(/^failed to parse function arguments: .*no "arguments"/),
      },
    ]);
    const callAt = items.findIndex((item) => item.type === 'function_call' && item.call_id === 'call_noargs');
    expect(items.indexOf(outputs[0]!)).toBe(callAt + 1);
    expect(pairingProblems(items)).toEqual([]);
    for (const body of harness.bodies()) expect(pairingProblems(body.input ?? [])).toEqual([]);
    // Nothing ran: no tool events for a call that could not be read.
    expect(harness.events.filter((e) => e.type === 'tool_started')).toEqual([]);
  });

  it('show as unknown rows live and after a reload, and the Inspector labels them', async () => {
    const harness = await runOddTurn();
    const live: Entry[] = [];
    const timeline = new InspectorTimeline();
    let now = 0;
    harness.agent.on((event) => {
      foldEvent(live, event);
      timeline.record(event, (now += 10));
    });
    await harness.agent.runTurn('what is the weather in Lyon?');

    const rows = (entries: Entry[]) =>
      entries.filter((e) => e.kind === 'unknown' || e.kind === 'assistant').map((e) => (e.kind === 'unknown' ? `${e.what} ${e.type}` : e.text));
    const expected = ['item code_interpreter_call', 'Sunny, 24 °C.', 'part output_audio', 'item function_call', 'Done: it is sunny.'];
    expect(rows(live)).toEqual(expected);
    expect(rows(entriesFromHistory(harness.agent.history.items))).toEqual(expected);

    const labels = timeline.rounds[0]!.response.events.filter((e) => e.type === 'output_item_done').map((e) => e.detail);
    expect(labels).toEqual(['reasoning', 'code_interpreter_call (unknown)', 'message (unknown)', 'function_call (unknown)']);
    const parts = timeline.rounds[1]!.request.parts!.map((p) => p.label);
    expect(parts).toEqual(expect.arrayContaining(['code_interpreter_call (unknown)', 'message (unknown)', 'function_call (unknown)']));
  });
});
