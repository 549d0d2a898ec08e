/** Shared requests, events and helpers for the model-client tests. */
import { expect } from 'vitest';
import type { ResponsesRequest, StreamEvent } from '../../src/core/ports';
import { isModelError } from '../../src/core/ports';
import { ModelError } from '../../src/model/errors';

export function request(overrides: Partial<ResponsesRequest> = {}): ResponsesRequest {
  return {
    model: 'gpt-5.1-codex',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
    tools: [],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'session-1',
    ...overrides,
  };
}

/** The keys of a request to a reasoning model, in the order Codex lays them out. */
export const REASONING_REQUEST_KEYS = [
  'model',
  'input',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning',
  'store',
  'stream',
  'include',
  'prompt_cache_key',
];

export const usage = {
  input_tokens: 12,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 3,
  output_tokens_details: { reasoning_tokens: 1 },
  total_tokens: 15,
};
export const message = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello' }] };
export const created = { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', status: 'in_progress' } };
export const completed = {
  type: 'response.completed',
  sequence_number: 6,
  response: { id: 'resp_1', status: 'completed', output: [message], usage },
};
export const normalEvents = [
  created,
  { type: 'response.in_progress', sequence_number: 1, response: { id: 'resp_1', status: 'in_progress' } },
  { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: { ...message, content: [] } },
  { type: 'response.output_text.delta', sequence_number: 3, item_id: 'm1', output_index: 0, content_index: 0, delta: 'Hel' },
  { type: 'response.output_text.delta', sequence_number: 4, item_id: 'm1', output_index: 0, content_index: 0, delta: 'lo' },
  { type: 'response.output_item.done', sequence_number: 5, output_index: 0, item: message },
  completed,
];

export async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Runs the stream to its failure; returns the events seen before it and the error. */
export async function failure(events: AsyncIterable<StreamEvent>): Promise<{ seen: StreamEvent[]; error: ModelError }> {
  const seen: StreamEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    expect(isModelError(error)).toBe(true);
    return { seen, error: error as ModelError };
  }
  throw new Error('the stream did not fail');
}

export const signal = () => new AbortController().signal;

/** Sends one request through `client` and returns the error its stream ends with. */
export async function streamFailure(
  client: { stream(request: ResponsesRequest, options: { signal: AbortSignal }): AsyncIterable<StreamEvent> },
  overrides: Partial<ResponsesRequest> = {},
): Promise<ModelError> {
  return (await failure(client.stream(request(overrides), { signal: signal() }))).error;
}
