/** Shared fixtures for the scripted-model tests: request bodies and a stream checker. */
import { expect } from 'vitest';
import type { ResponseItem } from '../../src/core/items';
import type { ResponsesRequest, StreamEvent, ToolSpec } from '../../src/core/ports';

export function tools(custom: boolean): ToolSpec[] {
  const exec: ToolSpec = {
    type: 'function',
    name: 'exec_command',
    description: 'Runs a command.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { cmd: { type: 'string' }, workdir: { type: 'string' } },
      required: ['cmd'],
      additionalProperties: false,
    },
  };
  const patch: ToolSpec = custom
    ? { type: 'custom', name: 'apply_patch', description: 'Edits files.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "x"' } }
    : {
        type: 'function',
        name: 'apply_patch',
        description: 'Edits files.',
        strict: false,
        parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'], additionalProperties: false },
      };
  return [exec, patch];
}

export const PREAMBLE: ResponseItem[] = [
  { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are a coding agent.' }] },
  {
    type: 'message',
    role: 'user',
    content: [
      { type: 'input_text', text: '# AGENTS.md instructions for /workspace\n\n<INSTRUCTIONS>\nBe nice.\n</INSTRUCTIONS>' },
      {
        type: 'input_text',
        text: '<environment_context>\n  <cwd>/workspace</cwd>\n  <shell>bash</shell>\n</environment_context>',
      },
    ],
  },
];

export function request(input: ResponseItem[], options: { custom?: boolean; key?: string } = {}): ResponsesRequest {
  return {
    model: 'gpt-test',
    instructions: 'Be brief.',
    input,
    tools: tools(options.custom ?? true),
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { summary: 'auto' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: options.key ?? 'session-1',
  };
}

type Item = Record<string, unknown> & { type: string };

/**
 * Checks the invariants of a complete stream (order, sequence numbers, deltas reassembling to
 * the done values, completed output equal to the done items) and returns the done items.
 */
export function checkStream(events: StreamEvent[]): Item[] {
  expect(events[0]?.type).toBe('response.created');
  expect(events[1]?.type).toBe('response.in_progress');
  events.forEach((event, index) => expect(event.sequence_number).toBe(index));
  const terminal = events[events.length - 1];
  expect(['response.completed', 'response.failed', 'response.incomplete']).toContain(terminal?.type);

  const done: Item[] = [];
  const open = new Map<number, { item: Item; text: string[]; finished: boolean }>();
  for (const event of events.slice(2, -1)) {
    const index = event.output_index as number;
    if (event.type === 'response.output_item.added') {
      expect(open.has(index)).toBe(false);
      expect(index).toBe(done.length);
      open.set(index, { item: event.item as Item, text: [], finished: false });
      continue;
    }
    const state = open.get(index);
    expect(state, `${event.type} before output_item.added`).toBeDefined();
    if (!state) continue;
    expect(state.finished).toBe(false);
    if (event.type.endsWith('.delta')) {
      expect(event.item_id).toBe(state.item.id);
      state.text.push(event.delta as string);
    } else if (event.type === 'response.output_text.done') {
      expect(state.text.join('')).toBe(event.text);
      state.text = [];
    } else if (event.type === 'response.reasoning_summary_text.done') {
      expect(state.text.join('')).toBe(event.text);
      state.text = [];
    } else if (event.type === 'response.function_call_arguments.done') {
      expect(state.text.join('')).toBe(event.arguments);
    } else if (event.type === 'response.custom_tool_call_input.done') {
      expect(state.text.join('')).toBe(event.input);
    } else if (event.type === 'response.output_item.done') {
      const item = event.item as Item;
      expect(item.id).toBe(state.item.id);
      expect(item.type).toBe(state.item.type);
      state.finished = true;
      done.push(item);
    }
  }
  for (const state of open.values()) expect(state.finished).toBe(true);
  const response = terminal?.response as { output: Item[] };
  expect(response.output).toEqual(done);
  return done;
}

export function types(events: StreamEvent[]): string[] {
  return events.map((event) => event.type);
}
