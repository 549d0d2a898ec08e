/**
 * The history-form rule (core/items.ts): an item the types describe completely is reduced to
 * its input fields; anything else is kept exactly as received. And pairing counts every call
 * the server expects an output for, including one kept verbatim because it cannot run.
 */
import { describe, expect, it } from 'vitest';
import { normalizeHistory, pairingProblems, pendingCalls } from '../../../src/core/history';
import { isOtherItem, isToolCall, messageText, toHistoryItem, type ResponseItem } from '../../../src/core/items';
import { dispatchToolCalls } from '../../../src/core/tools/dispatch';

const asItem = (value: object) => value as ResponseItem;

describe('toHistoryItem', () => {
  it('keeps whatever it does not fully understand whole, ids and statuses included', () => {
    const kept = [
      { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'q' } },
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [
          { type: 'output_text', text: 'a' },
          { type: 'output_audio', data: 'AA==' },
        ],
      },
      { id: 'msg_2', type: 'message', role: 'tool', content: [] },
      { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'exec_command' },
      { type: 'custom_tool_call', call_id: 'c', input: 'x' },
      { type: 'input_image', image_url: 'data:', detail: 'ultra' },
      { type: 'compaction' },
    ];
    for (const item of kept) {
      const stored = toHistoryItem(asItem(item));
      expect(isOtherItem(stored)).toBe(true);
      expect(JSON.stringify(stored)).toBe(JSON.stringify(item));
      expect(stored).not.toBe(item);
    }
  });

  it('reduces understood items to their input fields, as before', () => {
    expect(toHistoryItem(asItem({ id: 'fc', type: 'function_call', status: 'completed', call_id: 'c', name: 'n', arguments: '{}' }))).toEqual({
      type: 'function_call',
      call_id: 'c',
      name: 'n',
      arguments: '{}',
    });
    expect(
      toHistoryItem(asItem({ type: 'message', role: 'assistant', phase: null, content: [{ type: 'output_text', text: 'hi', logprobs: [] }] })),
    ).toEqual({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'hi' }],
    });
  });

  it('reads the text parts of a message it keeps verbatim', () => {
    const item = asItem({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Hi ' }, { type: 'output_audio' }, { type: 'refusal', refusal: 'no' }],
    });
    expect(messageText(item)).toBe('Hi no');
    expect(messageText(asItem({ type: 'message', content: 'plain' }))).toBe('');
  });
});

describe('pairing with calls that cannot run', () => {
  const broken = asItem({ type: 'function_call', call_id: 'b', name: 'exec_command' });

  it('counts them as calls that need an output', () => {
    expect(isToolCall(broken)).toBe(false);
    expect(pendingCalls([broken])).toEqual([{ type: 'function_call', call_id: 'b' }]);
    expect(pairingProblems([broken])).toEqual(['call b at item 0 has no output']);
    expect(normalizeHistory([broken])).toEqual([broken, { type: 'function_call_output', call_id: 'b', output: 'aborted' }]);
  });

  it('answers them in call order without running anything', async () => {
    const appended: ResponseItem[] = [];
    const ran: string[] = [];
    const echo = {
      name: 'echo',
      parallelSafe: true,
      spec: () => ({ type: 'function' as const, name: 'echo', description: '', parameters: {}, strict: false }),
      run: async (input: string) => {
        ran.push(input);
        return { output: `echo ${input}`, success: true };
      },
    };
    const calls = [
      asItem({ type: 'function_call', call_id: 'a', name: 'echo', arguments: '1' }),
      asItem({ type: 'custom_tool_call', call_id: 'b', name: 'echo' }),
      asItem({ type: 'function_call', call_id: 'c', arguments: '{}' }),
      asItem({ type: 'function_call', call_id: 'd', name: 'echo', arguments: '2' }),
    ];
    await dispatchToolCalls(calls, {
      tools: new Map([['echo', echo]]),
      parallel: true,
      signal: new AbortController().signal,
      contextFor: () => ({}) as never,
      append: (item) => appended.push(item),
      emit: () => {},
      now: () => 0,
    });
    expect(ran).toEqual(['1', '2']);
    expect(appended).toEqual([
      { type: 'function_call_output', call_id: 'a', output: 'echo 1' },
      { type: 'custom_tool_call_output', call_id: 'b', output: 'the call to echo has no "input" text' },
      { type: 'function_call_output', call_id: 'c', output: expect.stringMatching(/^unsupported call: .*no "name"/) },
      { type: 'function_call_output', call_id: 'd', output: 'echo 2' },
    ]);
    expect(pairingProblems([...calls, ...appended])).toEqual([]);
  });
});
