import { describe, expect, it } from 'vitest';
import { failureError, RoundFolder } from '../../../src/core/stream';

const msg = { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello' }] };
const fc = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' };

describe('RoundFolder', () => {
  it('turns deltas into live events and takes items from output_item.done', () => {
    const folder = new RoundFolder(3);
    const events = [
      { type: 'response.created', response: { id: 'resp_1' } },
      { type: 'response.output_item.added', output_index: 0, item: { ...msg, content: [] } },
      { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'Hel' },
      { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'lo' },
      { type: 'response.output_item.done', output_index: 0, item: msg },
      { type: 'response.output_item.added', output_index: 1, item: { ...fc, arguments: '' } },
      { type: 'response.function_call_arguments.delta', output_index: 1, delta: '{"cmd"' },
      { type: 'response.output_item.done', output_index: 1, item: fc },
      {
        type: 'response.completed',
        response: {
          id: 'resp_1',
          usage: {
            input_tokens: 100,
            input_tokens_details: { cached_tokens: 80 },
            output_tokens: 7,
            output_tokens_details: { reasoning_tokens: 2 },
            total_tokens: 107,
          },
        },
      },
    ].flatMap((e) => folder.push(e));
    expect(events.map((e) => e.type)).toEqual([
      'response_created',
      'output_item_added',
      'text_delta',
      'text_delta',
      'output_item_done',
      'output_item_added',
      'tool_input_delta',
      'output_item_done',
      'response_completed',
    ]);
    expect(events.every((e) => !('round' in e) || e.round === 3)).toBe(true);
    expect(folder.items()).toEqual([msg, fc]);
    expect(folder.outcome).toEqual({
      status: 'completed',
      responseId: 'resp_1',
      usage: { input_tokens: 100, cached_tokens: 80, output_tokens: 7, reasoning_tokens: 2, total_tokens: 107 },
    });
  });

  it('orders items by output_index, not arrival', () => {
    const folder = new RoundFolder(1);
    folder.push({ type: 'response.output_item.done', output_index: 1, item: fc });
    folder.push({ type: 'response.output_item.done', output_index: 0, item: msg });
    expect(folder.items()).toEqual([msg, fc]);
  });

  it('falls back to response.output when no item.done events came', () => {
    const folder = new RoundFolder(1);
    folder.push({ type: 'response.completed', response: { id: 'r', output: [msg] } });
    expect(folder.items()).toEqual([msg]);
  });

  it('maps failures to typed, correctly retryable errors', () => {
    const failed = new RoundFolder(1);
    failed.push({ type: 'response.failed', response: { error: { code: 'context_length_exceeded', message: 'too long' } } });
    expect(failed.outcome).toMatchObject({ status: 'failed', error: { kind: 'context_overflow', retryable: false } });

    const incomplete = new RoundFolder(1);
    incomplete.push({ type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } });
    expect(incomplete.outcome).toMatchObject({ status: 'failed', error: { kind: 'incomplete', retryable: false } });

    expect(failureError('rate_limit_exceeded', 'Please try again in 1.5s')).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 1500,
    });
    expect(failureError('insufficient_quota', 'no money')).toMatchObject({ kind: 'quota', retryable: false });
    expect(failureError('server_error', undefined)).toMatchObject({ kind: 'server', retryable: true });
  });
});
