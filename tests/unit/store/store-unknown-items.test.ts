/**
 * `checkItem` reads stored records, imported files and share links: all untrusted, and all
 * possibly holding items a newer server sent that this app does not understand. Those must
 * come back as they were (never dropped), copied safely; only what is not a JSON object fails.
 */
import { describe, expect, it } from 'vitest';
import { isOtherItem, toHistoryItem, type ResponseItem } from '../../../src/core/items';
import { checkItem } from '../../../src/store/validate';
import { testStore } from '../../support/store-helpers';

const webSearch = {
  id: 'ws_1',
  type: 'web_search_call',
  status: 'completed',
  action: { type: 'search', query: 'weather', sources: [{ url: 'https://a.example' }] },
};
const audioMessage = {
  id: 'msg_2',
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [
    { type: 'output_text', text: 'Sunny.', annotations: [] },
    { type: 'output_audio', data: 'UklGRg==', transcript: 'Sunny.' },
  ],
};
const callWithoutArguments = { id: 'fc_3', type: 'function_call', status: 'completed', name: 'exec_command', call_id: 'call_1' };
const odd: Record<string, object> = {
  'a web_search_call': webSearch,
  'a message with an output_audio part': audioMessage,
  'a function_call without arguments': callWithoutArguments,
  'reasoning whose content is of another kind': { type: 'reasoning', summary: [], content: [{ type: 'text', text: 'raw' }] },
  'a tool output given as a list': { type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'ok' }] },
  'an item without a type': { note: 'from a future version', nested: { deep: [1, null, true, 'x'] } },
};

function accepted(value: unknown): ResponseItem {
  const checked = checkItem(value);
  if (!checked.ok) throw new Error(`refused: ${checked.problem}`);
  return checked.value;
}

describe('checkItem', () => {
  it.each(Object.entries(odd))('accepts %s and returns the same data, copied', (_, item) => {
    const value = accepted(JSON.parse(JSON.stringify(item)));
    expect(value).toEqual(item);
    expect(JSON.stringify(value)).toBe(JSON.stringify(item)); // key order too: resent bytes match
    expect(isOtherItem(value)).toBe(true);
    // A copy all the way down: changing the input later changes nothing kept.
    const input = JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
    const kept = accepted(input);
    for (const field of Object.values(input)) if (typeof field === 'object' && field !== null) (field as Record<string, unknown>).changed = true;
    expect(kept).toEqual(item);
  });

  it('still rebuilds understood items from their known fields only', () => {
    const value = accepted({ type: 'function_call', id: 'fc_1', status: 'completed', call_id: 'c', name: 'exec_command', arguments: '{}', extra: 1 });
    expect(value).toEqual({ type: 'function_call', call_id: 'c', name: 'exec_command', arguments: '{}' });
    expect(isOtherItem(value)).toBe(false);
  });

  it('fails only what is not a JSON object', () => {
    for (const value of [null, 'message', 7, true, [webSearch], undefined]) {
      expect(checkItem(value)).toEqual({ ok: false, problem: 'is not an object' });
    }
  });

  it('never copies a __proto__ key, at any depth', () => {
    const hostile = JSON.parse(
      '{"type":"x","__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2},"b":[{"__proto__":{"polluted":3}}]}}',
    ) as object;
    const value = accepted(hostile) as unknown as { a: { b: object[] } };
    expect(JSON.stringify(value)).toBe('{"type":"x","a":{"b":[{}]}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value.a)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(value.a.b[0])).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('copies hostile nesting without overflowing the stack, and cuts cycles', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 200_000; i++) deep = { d: deep };
    const value = accepted({ type: 'x', deep }) as unknown as { deep: Record<string, unknown> };
    let depth = 0;
    for (let node = value.deep; node.d; node = node.d as Record<string, unknown>) depth++;
    expect(depth).toBe(200_000);

    const cyclic: Record<string, unknown> = { type: 'loop' };
    cyclic.self = cyclic;
    expect(JSON.stringify(accepted(cyclic))).toBe('{"type":"loop","self":null}');
  });

  it('leaves out what JSON cannot hold, as JSON.stringify would', () => {
    const value = accepted({ type: 'x', f: () => 1, u: undefined, n: Number.NaN, list: [undefined, Infinity, 1] });
    expect(value).toStrictEqual({ type: 'x', n: null, list: [null, null, 1] });
  });
});

describe('a stored session with items the app does not understand', () => {
  it('loads them back in place, with what follows them', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    const items = [
      toHistoryItem({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'weather?' }] }),
      ...[webSearch, audioMessage, callWithoutArguments].map((item) => toHistoryItem(item as never)),
      toHistoryItem({ type: 'function_call_output', call_id: 'call_1', output: 'failed to parse function arguments' }),
      toHistoryItem({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Sunny.' }] }),
    ];
    for (const item of items) await store.append(id, item);
    const loaded = await store.load(id);
    expect(loaded.items).toEqual(items);
    expect(loaded.items.slice(1, 4)).toEqual([webSearch, audioMessage, callWithoutArguments]);
    expect(loaded.problems).toEqual([]);
  });
});
