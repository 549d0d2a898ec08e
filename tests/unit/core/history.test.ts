import { describe, expect, it } from 'vitest';
import { History, normalizeHistory, pairingProblems, pendingCalls } from '../../../src/core/history';
import { toHistoryItem, userMessage, type ResponseItem } from '../../../src/core/items';

const call = (id: string, name = 'exec_command'): ResponseItem => ({ type: 'function_call', call_id: id, name, arguments: '{}' });
const out = (id: string, output = 'ok'): ResponseItem => ({ type: 'function_call_output', call_id: id, output });
const custom = (id: string): ResponseItem => ({ type: 'custom_tool_call', call_id: id, name: 'apply_patch', input: '*** Begin Patch' });

describe('pairing invariant', () => {
  it('accepts a history where every call has one output', () => {
    expect(pairingProblems([userMessage('hi'), call('a'), call('b'), out('a'), out('b')])).toEqual([]);
  });

  it('reports calls without output, outputs without call, and duplicates', () => {
    const problems = pairingProblems([out('x'), call('a'), call('a'), call('b'), out('b'), out('b')]);
    expect(problems.join('\n')).toMatch(/output for x .* has no earlier call/);
    expect(problems.join('\n')).toMatch(/call a appears twice/);
    expect(problems.join('\n')).toMatch(/call b has more than one output/);
    expect(problems.join('\n')).toMatch(/call a at item \d has no output/);
  });
});

describe('normalizeHistory', () => {
  it('returns a valid history unchanged', () => {
    const items = [userMessage('hi'), call('a'), out('a')];
    expect(normalizeHistory(items)).toEqual(items);
  });

  it('inserts "aborted" right after a call without output, in the matching form', () => {
    const fixed = normalizeHistory([userMessage('hi'), call('a'), custom('c'), userMessage('next')]);
    expect(fixed.map((i) => i.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
      'custom_tool_call',
      'custom_tool_call_output',
      'message',
    ]);
    expect(fixed[2]).toEqual({ type: 'function_call_output', call_id: 'a', output: 'aborted' });
    expect(pairingProblems(fixed)).toEqual([]);
  });

  it('drops orphan and duplicate outputs', () => {
    const fixed = normalizeHistory([out('ghost'), call('a'), out('a', 'first'), out('a', 'second')]);
    expect(fixed).toEqual([call('a'), out('a', 'first')]);
  });
});

describe('History', () => {
  it('appends in wire form, notifies listeners, and lists pending calls', () => {
    const history = new History();
    const seen: number[] = [];
    history.onAppend((_item, index) => seen.push(index));
    history.append({ type: 'function_call', call_id: 'a', name: 'x', arguments: '{}', id: 'fc_1', status: 'completed' });
    expect(history.items[0]).toEqual({ type: 'function_call', call_id: 'a', name: 'x', arguments: '{}' });
    expect(history.pendingCallIds()).toEqual(['a']);
    history.append(out('a'));
    expect(history.pendingCallIds()).toEqual([]);
    expect(seen).toEqual([0, 1]);
    expect(pendingCalls(history.items)).toEqual([]);
  });

  it('strips server ids but keeps raw reasoning text and encrypted reasoning', () => {
    const stored = toHistoryItem({
      type: 'reasoning',
      id: 'rs_1',
      summary: [{ type: 'summary_text', text: 's' }],
      content: [{ type: 'reasoning_text', text: 'raw' }],
      encrypted_content: 'enc',
    });
    // Raw reasoning goes back as Codex sends it: models without an encrypted form need it.
    expect(stored).toEqual({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 's' }],
      content: [{ type: 'reasoning_text', text: 'raw' }],
      encrypted_content: 'enc',
    });
    const message = toHistoryItem({
      type: 'message',
      id: 'msg_1',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'hi', annotations: [] }],
    });
    expect(message).toEqual({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi' }] });
  });
});
