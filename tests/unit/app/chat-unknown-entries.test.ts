/**
 * The chat shows what it cannot draw as an "unknown" row (by type, with its data) instead of
 * leaving it out: live from the agent's events and from stored history alike. A message with
 * a part of an unknown type shows its text as usual, then a row for that part.
 */
import { describe, expect, it } from 'vitest';
import { foldEvent, UNKNOWN_JSON_CHARS, type Entry } from '../../../src/app/chat-entries';
import { entriesFromHistory } from '../../../src/app/history-entries';
import { itemLabel } from '../../../src/app/inspector/labels';
import type { AgentEvent } from '../../../src/core/events';
import { toHistoryItem, userMessage, type ResponseItem } from '../../../src/core/items';

const webSearch = {
  id: 'ws_1',
  type: 'code_interpreter_call',
  status: 'completed',
  action: { type: 'search', query: 'weather' },
} as unknown as ResponseItem;
const audioMessage = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  content: [
    { type: 'output_text', text: 'Sunny.' },
    { type: 'output_audio', data: 'UklGRg==' },
  ],
} as unknown as ResponseItem;
const noArguments = { type: 'function_call', call_id: 'c1', name: 'exec_command' } as unknown as ResponseItem;

function done(item: ResponseItem, output_index = 0): AgentEvent {
  return { type: 'output_item_done', round: 1, output_index, item };
}

function fold(events: AgentEvent[]): Entry[] {
  const entries: Entry[] = [];
  for (const event of events) foldEvent(entries, event);
  return entries;
}

describe('unknown rows, live', () => {
  it('shows an item of an unknown type by its type, with its data', () => {
    const entries = fold([done(webSearch)]);
    expect(entries).toEqual([{ kind: 'unknown', what: 'item', type: 'code_interpreter_call', json: JSON.stringify(webSearch, null, 2) }]);
  });

  it('closes a streamed message with an unknown part and adds a row for the part', () => {
    const entries = fold([{ type: 'text_delta', round: 1, output_index: 0, delta: 'Sunny.' }, done(audioMessage)]);
    expect(entries).toEqual([
      { kind: 'assistant', text: 'Sunny.', done: true },
      { kind: 'unknown', what: 'part', type: 'output_audio', json: expect.stringContaining('UklGRg==') },
    ]);
  });

  it('shows the text of such a message when the server streamed none', () => {
    const entries = fold([done(audioMessage)]);
    expect(entries.map((e) => e.kind)).toEqual(['assistant', 'unknown']);
    expect(entries[0]).toEqual({ kind: 'assistant', text: 'Sunny.', done: true });
  });

  it('shows a call it cannot read as an unknown function_call, not as a tool card', () => {
    expect(fold([done(noArguments)])).toEqual([{ kind: 'unknown', what: 'item', type: 'function_call', json: expect.stringContaining('"c1"') }]);
  });

  it('cuts the data of a huge item', () => {
    const huge = { type: 'image_generation_call', result: 'A'.repeat(100_000) } as unknown as ResponseItem;
    const [entry] = fold([done(huge)]);
    expect(entry?.kind === 'unknown' && entry.json.length).toBe(UNKNOWN_JSON_CHARS + 1);
  });
});

describe('unknown rows, from stored history', () => {
  it('shows the same rows in place, with the message text and its fork point', () => {
    const items = [
      userMessage('weather?'),
      webSearch,
      audioMessage,
      noArguments,
      { type: 'function_call_output', call_id: 'c1', output: 'failed to parse function arguments' },
    ].map((item) => toHistoryItem(item as ResponseItem));
    const entries = entriesFromHistory(items);
    expect(entries).toEqual([
      { kind: 'user', text: 'weather?', seq: 0 },
      { kind: 'unknown', what: 'item', type: 'code_interpreter_call', json: JSON.stringify(webSearch, null, 2) },
      { kind: 'assistant', text: 'Sunny.', done: true, seq: 2 },
      { kind: 'unknown', what: 'part', type: 'output_audio', json: expect.any(String) },
      { kind: 'unknown', what: 'item', type: 'function_call', json: expect.any(String) },
    ]);
  });

  it('copes with anything at all', () => {
    const odd = [{}, { type: 7 }, { type: 'message', role: 'user', content: 'plain' }, { type: 'message', role: 'assistant', content: [null, 'x'] }];
    const entries = entriesFromHistory(odd.map((item) => toHistoryItem(item as unknown as ResponseItem)));
    expect(entries.map((e) => (e.kind === 'unknown' ? `${e.what} ${e.type}` : e.kind))).toEqual([
      'item without a type',
      'item without a type',
      'item message',
      'part null',
      'part string',
    ]);
  });
});

describe('the Inspector', () => {
  it('labels such items by their type without reading their fields', () => {
    expect(itemLabel(webSearch)).toMatchObject({ label: 'code_interpreter_call (unknown)', kind: 'other' });
    expect(itemLabel(audioMessage)).toMatchObject({ label: 'message (unknown)', preview: 'Sunny.' });
    expect(itemLabel(noArguments)).toMatchObject({ label: 'function_call (unknown)', kind: 'other' });
  });
});

describe('a hosted web search', () => {
  const search = {
    id: 'ws_1',
    type: 'web_search_call',
    status: 'completed',
    action: {
      type: 'search',
      query: 'svelte runes',
      sources: [
        { type: 'url', url: 'https://svelte.dev/docs' },
        { type: 'url', url: 'javascript:alert(1)' },
        { type: 'url', url: 'https://example.com/a', title: 'A' },
      ],
    },
  } as unknown as ResponseItem;

  it('shows its query and http(s) sources, live and from stored history alike', () => {
    const expected = {
      kind: 'search',
      query: 'svelte runes',
      status: 'completed',
      sources: [{ url: 'https://svelte.dev/docs' }, { url: 'https://example.com/a', title: 'A' }],
    };
    expect(fold([done(search)])).toEqual([expected]);
    expect(entriesFromHistory([userMessage('find it'), toHistoryItem(search)]).filter((e) => e.kind === 'search')).toEqual([expected]);
  });
});

describe('a hosted web search in the Inspector', () => {
  it('is labelled as the hosted tool call it is, with its query', () => {
    const search = {
      id: 'ws_2',
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: 'vite 8' },
    } as unknown as ResponseItem;
    expect(itemLabel(search)).toMatchObject({ label: 'web_search_call (hosted)', kind: 'tool_call', preview: 'vite 8' });
  });
});
