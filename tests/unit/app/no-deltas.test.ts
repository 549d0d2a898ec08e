/**
 * Servers that stream whole items only (`output_item.added`/`.done`, no `*.delta` events; legal
 * in the Responses API, REFERENCE §9) through the scripted model's `noDeltas` mode, the real
 * loop and the chat's folding: the answer and reasoning show live, from the finished items.
 * Also: a finished item is the truth over the deltas, and a retried round's finished output
 * shows once (issue 12, items 1 and 11).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { foldEvent, type Entry } from '../../../src/app/chat-entries';
import { itemText } from '../../../src/app/inspector/labels';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import type { AgentEvent } from '../../../src/core/events';
import type { MessageItem, ReasoningItem } from '../../../src/core/items';
import { RoundFolder } from '../../../src/core/stream';
import { reply, ScriptedModel, sequence, type Script } from '../../../src/model/scripted/index';
import { eventsOf, startHarness, type Harness } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ANSWER = 'The answer, arriving whole: forty-two.';
const SUMMARY = '**Thinking it over**\n\nNo deltas at all.';

/** A reasoning summary and a progress note with a command, then the answer. */
const script: Script = sequence([[reply.reasoning(SUMMARY), reply.note('Counting the files first.'), reply.exec('ls')], reply.text(ANSWER)]);

function fold(events: readonly AgentEvent[], entries: Entry[] = []): Entry[] {
  for (const event of events) foldEvent(entries, event);
  return entries;
}

function shown(entries: readonly Entry[]): string[] {
  return entries.flatMap((e) => (e.kind === 'assistant' || e.kind === 'reasoning' ? [`${e.kind}: ${e.text}`] : []));
}

const body = { model: 'm', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }], stream: true };

describe('the scripted model without deltas', () => {
  it('sends the same events as with deltas, minus every delta', async () => {
    const parts = [reply.reasoning(SUMMARY), reply.text(ANSWER), reply.exec('ls -la')];
    const withDeltas = await new ScriptedModel({ script: () => parts, now: () => 0 }).respond(body);
    const without = await new ScriptedModel({ script: () => parts, now: () => 0, noDeltas: true }).respond(body);

    const types = without.events.map((e) => e.type);
    expect(types.filter((t) => t.endsWith('.delta'))).toEqual([]);
    expect(types).toContain('response.output_text.done');
    expect(types).toContain('response.reasoning_summary_text.done');
    expect(types).toContain('response.function_call_arguments.done');
    const strip = (events: typeof without.events) => events.filter((e) => !e.type.endsWith('.delta')).map(({ sequence_number: _, ...rest }) => rest);
    expect(strip(without.events)).toEqual(strip(withDeltas.events));
    expect(without.events.map((e) => e.sequence_number)).toEqual(without.events.map((_, i) => i));
    expect(without.response).toEqual(withDeltas.response);
  });
});

describe('a turn without deltas', () => {
  it('ends in the engine and shows its reasoning, note and answer live in the chat', async () => {
    h = await startHarness({ script });
    h.server.model.noDeltas = true;
    const entries: Entry[] = [];
    let shownAtEnd: string[] = [];
    h.agent.on((event) => {
      foldEvent(entries, event);
      if (event.type === 'response_completed' && event.round === 2) shownAtEnd = shown(entries);
    });
    const result = await h.agent.runTurn('go');

    expect(result.reason).toBe('completed');
    expect(result.lastMessage).toBe(ANSWER);
    expect(eventsOf(h.events, 'text_delta')).toEqual([]);
    expect(eventsOf(h.events, 'reasoning_summary_delta')).toEqual([]);
    const done = eventsOf(h.events, 'output_item_done').map((e) => e.item.type);
    expect(done).toEqual(['reasoning', 'message', 'function_call', 'message']);

    const expected = ['reasoning: **Thinking it over**\n\nNo deltas at all.', 'assistant: Counting the files first.', `assistant: ${ANSWER}`];
    // Live: before the turn ended (and before any reload).
    expect(shownAtEnd).toEqual(expected);
    expect(shown(entries)).toEqual(expected);
    expect(entries.filter((e) => e.kind === 'assistant').every((e) => e.kind === 'assistant' && e.done && e.seq !== undefined)).toBe(true);
  });

  it('gives the Inspector each round’s output items with their text', async () => {
    h = await startHarness({ script });
    h.server.model.noDeltas = true;
    const timeline = new InspectorTimeline();
    let t = 0;
    h.agent.on((event) => timeline.record(event, t++));
    await h.agent.runTurn('go');

    expect(timeline.rounds).toHaveLength(2);
    const [first, second] = timeline.rounds.map((r) => (r.response.output ?? []).map((item) => itemText(item)));
    expect(first).toEqual([SUMMARY, 'Counting the files first.', '{"cmd":"ls"}']);
    expect(second).toEqual([ANSWER]);
    expect(timeline.rounds[1]!.response.events.map((e) => e.type)).toEqual([
      'response_created',
      'output_item_added',
      'output_item_done',
      'response_completed',
    ]);
  });
});

describe('the finished item is the truth', () => {
  const message = (text: string): MessageItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

  it('shows a message that arrived without deltas', () => {
    const entries = fold([{ type: 'output_item_done', round: 1, output_index: 0, item: message('Whole.') }]);
    expect(entries).toEqual([{ kind: 'assistant', text: 'Whole.', done: true }]);
  });

  it('replaces streamed text that disagrees with the finished item', () => {
    const entries = fold([
      { type: 'text_delta', round: 1, output_index: 0, delta: 'Helo wrld' },
      { type: 'output_item_done', round: 1, output_index: 0, item: message('Hello world') },
    ]);
    expect(entries).toEqual([{ kind: 'assistant', text: 'Hello world', done: true }]);
  });

  it('shows each of two messages of one response that arrived without deltas, each at its own place in history', () => {
    const entries: Entry[] = [{ kind: 'assistant', text: 'Earlier.', done: true, seq: 3 }];
    fold(
      [
        { type: 'output_item_done', round: 1, output_index: 0, item: message('A note.') },
        { type: 'output_item_done', round: 1, output_index: 1, item: message('The answer.') },
        { type: 'item_appended', index: 5, item: message('A note.') },
        { type: 'item_appended', index: 6, item: message('The answer.') },
      ],
      entries,
    );
    expect(entries).toEqual([
      { kind: 'assistant', text: 'Earlier.', done: true, seq: 3 },
      { kind: 'assistant', text: 'A note.', done: true, seq: 5 },
      { kind: 'assistant', text: 'The answer.', done: true, seq: 6 },
    ]);
  });

  it('shows a reasoning summary that arrived without deltas', () => {
    const item: ReasoningItem = {
      type: 'reasoning',
      summary: [
        { type: 'summary_text', text: 'One.' },
        { type: 'summary_text', text: 'Two.' },
      ],
    };
    expect(fold([{ type: 'output_item_done', round: 1, output_index: 0, item }])).toEqual([{ kind: 'reasoning', text: 'One.\n\nTwo.', done: true }]);
  });

  it('reports the output of a server that skips output_item.done as finished items', () => {
    const folder = new RoundFolder(1);
    const item = message('Only in completed.');
    const events = folder.push({ type: 'response.completed', response: { id: 'r', output: [item] } });
    expect(events.map((e) => e.type)).toEqual(['output_item_done', 'response_completed']);
    expect(events[0]).toEqual({ type: 'output_item_done', round: 1, output_index: 0, item });
    expect(shown(fold(events))).toEqual(['assistant: Only in completed.']);
  });
});

describe('a round cut after a finished message and retried', () => {
  // The note is done by event 8 at the latest (created, in_progress, added, part added, at most
  // two deltas, text done, part done, item done); the call's long arguments are still streaming
  // after 12 events with deltas; without deltas the call is done at event 9, so 9 events stop short of it.
  const NOTE = 'Short.';
  const retried: Script = sequence([
    [reply.note(NOTE), reply.exec('echo one two three four five six seven eight nine ten >> log.txt')],
    reply.text('all done'),
  ]);

  for (const noDeltas of [false, true]) {
    it(`shows the finished message once${noDeltas ? ' (no deltas)' : ''}`, async () => {
      h = await startHarness({ script: retried });
      h.server.model.noDeltas = noDeltas;
      h.server.faults.push({ cutAfterEvents: noDeltas ? 9 : 12 });
      const entries: Entry[] = [];
      h.agent.on((event) => foldEvent(entries, event));
      const result = await h.agent.runTurn('go');

      expect(result.reason).toBe('completed');
      const retryAt = h.events.findIndex((e) => e.type === 'round_retry');
      expect(retryAt).toBeGreaterThan(0);
      // The first attempt finished the note before the cut.
      expect(eventsOf(h.events.slice(0, retryAt), 'output_item_done').map((e) => e.item.type)).toEqual(['message']);
      expect(await h.readFile('log.txt')).toBe('one two three four five six seven eight nine ten\n');
      expect(shown(entries)).toEqual([`assistant: ${NOTE}`, 'assistant: all done']);
      expect(entries.filter((e) => e.kind === 'note')).toHaveLength(1);
    });
  }

  it('keeps the finished output of earlier rounds and of other lists', () => {
    const note: MessageItem = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Kept.' }] };
    const retry: AgentEvent = { type: 'round_retry', round: 2, attempt: 1, delay_ms: 200, error: { kind: 'stream', message: 'Cut.' } };
    const other: Entry[] = [];
    const entries = fold([
      { type: 'output_item_done', round: 1, output_index: 0, item: note },
      {
        type: 'response_completed',
        round: 1,
        response_id: 'r1',
        usage: { input_tokens: 1, cached_tokens: 0, output_tokens: 1, reasoning_tokens: 0, total_tokens: 2 },
      },
      { type: 'request_started', round: 2, attempt: 1, request: { model: 'm', input: [] } as never },
    ]);
    fold([{ type: 'output_item_done', round: 2, output_index: 0, item: note }], other);
    fold([retry], entries);
    expect(shown(entries)).toEqual(['assistant: Kept.']);
    expect(shown(other)).toEqual(['assistant: Kept.']);
  });
});

describe('answers find their place in history', () => {
  const message = (text: string): MessageItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });

  it('skips a message typed meanwhile and leaves a stopped turn’s unfinished text unplaced', () => {
    const entries: Entry[] = [
      { kind: 'assistant', text: 'Cut off', done: true },
      {
        kind: 'turn',
        reason: 'aborted',
        usage: { input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0, requests: 1 },
        changes: null,
      },
      { kind: 'user', text: 'again', seq: 4 },
    ];
    fold([{ type: 'text_delta', round: 1, output_index: 0, delta: 'Done.' }], entries);
    entries.push({ kind: 'user', text: 'typed meanwhile', pending: true });
    fold(
      [
        { type: 'output_item_done', round: 1, output_index: 0, item: message('Done.') },
        { type: 'item_appended', index: 5, item: message('Done.') },
      ],
      entries,
    );
    expect(entries.filter((e) => e.kind === 'assistant')).toEqual([
      { kind: 'assistant', text: 'Cut off', done: true },
      { kind: 'assistant', text: 'Done.', done: true, seq: 5 },
    ]);
  });
});
