import { describe, expect, it } from 'vitest';
import { foldEvent, type Entry } from '../../../src/app/chat-entries';
import type { AgentEvent } from '../../../src/core/events';

const usage = { input_tokens: 10, cached_tokens: 4, output_tokens: 3, reasoning_tokens: 0, total_tokens: 13, requests: 1 };

function fold(events: AgentEvent[], entries: Entry[] = []): Entry[] {
  for (const event of events) foldEvent(entries, event);
  return entries;
}

describe('foldEvent', () => {
  it('streams text and reasoning into open entries and closes them when their items finish', () => {
    const entries = fold([
      { type: 'reasoning_summary_delta', round: 1, output_index: 0, summary_index: 0, delta: 'Think' },
      { type: 'reasoning_summary_delta', round: 1, output_index: 0, summary_index: 0, delta: 'ing' },
      { type: 'output_item_done', round: 1, output_index: 0, item: { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }] } },
      { type: 'text_delta', round: 1, output_index: 1, delta: 'Hel' },
      { type: 'text_delta', round: 1, output_index: 1, delta: 'lo' },
    ]);
    expect(entries).toEqual([
      { kind: 'reasoning', text: 'Thinking', done: true },
      { kind: 'assistant', text: 'Hello', done: false },
    ]);
  });

  it('keeps streaming into the open message when a command’s output was added after it', () => {
    const entries = fold([{ type: 'text_delta', round: 1, output_index: 0, delta: 'Hel' }]);
    entries.push({ kind: 'status', rows: [['Model', 'm']] });
    fold([{ type: 'text_delta', round: 1, output_index: 0, delta: 'lo' }], entries);
    expect(entries).toEqual([
      { kind: 'assistant', text: 'Hello', done: false },
      { kind: 'status', rows: [['Model', 'm']] },
    ]);
  });

  it('drops a retried round’s partial output and says why', () => {
    const entries = fold([
      { type: 'text_delta', round: 1, output_index: 0, delta: 'half an ans' },
      { type: 'round_retry', round: 1, attempt: 1, delay_ms: 1500, error: { kind: 'stream', message: 'The stream was cut.' } },
    ]);
    expect(entries).toEqual([{ kind: 'note', text: 'The stream was cut. Retrying in 1.5 s.' }]);
  });

  it('shows update_plan as a checklist, not as a tool card', () => {
    const entries = fold([
      { type: 'tool_started', name: 'update_plan', call: { type: 'function_call', call_id: 'c1', name: 'update_plan', arguments: '{}' } },
      {
        type: 'plan_updated',
        explanation: 'First steps',
        plan: [
          { step: 'Look', status: 'completed' },
          { step: 'Write', status: 'in_progress' },
        ],
      },
      { type: 'tool_finished', call_id: 'c1', output: 'Plan updated', success: true, duration_ms: 1 },
    ]);
    expect(entries).toEqual([
      {
        kind: 'plan',
        explanation: 'First steps',
        steps: [
          { step: 'Look', status: 'completed' },
          { step: 'Write', status: 'in_progress' },
        ],
      },
    ]);
  });

  it('titles commands, parses patches (custom and function forms) and records exit codes', () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';
    const entries = fold([
      {
        type: 'tool_started',
        name: 'exec_command',
        call: { type: 'function_call', call_id: 'e', name: 'exec_command', arguments: '{"cmd":"ls -la"}' },
      },
      { type: 'tool_output_delta', call_id: 'e', chunk: 'a.txt\n' },
      { type: 'tool_finished', call_id: 'e', output: 'a.txt', success: false, duration_ms: 5, exit_code: 2 },
      { type: 'tool_started', name: 'apply_patch', call: { type: 'custom_tool_call', call_id: 'p', name: 'apply_patch', input: patch } },
      {
        type: 'tool_started',
        name: 'apply_patch',
        call: { type: 'function_call', call_id: 'q', name: 'apply_patch', arguments: JSON.stringify({ input: patch }) },
      },
    ]);
    expect(entries[0]).toMatchObject({ kind: 'tool', title: '$ ls -la', status: 'failed', exitCode: 2, output: 'a.txt' });
    expect(entries[1]).toMatchObject({ title: 'apply_patch a.txt', patch: { files: [{ path: 'a.txt', kind: 'add', added: 1 }] } });
    expect(entries[2]).toMatchObject({ title: 'apply_patch a.txt' });
  });

  it('at the end of a turn, closes what was left open and adds the summary', () => {
    const entries = fold([
      { type: 'approval_requested', request: { id: 'r', call_id: 'c', kind: 'exec', subject: 'rm -rf x', cwd: '/workspace', reason: 'asks' } },
      {
        type: 'tool_started',
        name: 'exec_command',
        call: { type: 'function_call', call_id: 'c', name: 'exec_command', arguments: '{"cmd":"sleep 9"}' },
      },
      { type: 'text_delta', round: 1, output_index: 0, delta: 'partial' },
      { type: 'turn_ended', turn_id: 't', reason: 'aborted', usage },
    ]);
    expect(entries.map((e) => e.kind)).toEqual(['approval', 'tool', 'assistant', 'note', 'turn']);
    expect(entries[0]).toMatchObject({ decision: 'deny' });
    expect(entries[1]).toMatchObject({ status: 'failed' });
    expect(entries[2]).toMatchObject({ done: true });
    expect(entries[4]).toEqual({ kind: 'turn', reason: 'aborted', usage, changes: null });
  });

  it('marks the oldest queued message sent when a user message enters history, ignoring context messages', () => {
    const entries: Entry[] = [
      { kind: 'user', text: 'first', pending: true },
      { kind: 'user', text: 'second', pending: true },
    ];
    fold(
      [
        {
          type: 'item_appended',
          index: 0,
          item: {
            type: 'message',
            role: 'developer',
            content: [{ type: 'input_text', text: '<permissions instructions>x</permissions instructions>' }],
          },
        },
        { type: 'item_appended', index: 1, item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] } },
      ],
      entries,
    );
    expect(entries).toEqual([
      { kind: 'user', text: 'first', seq: 1 },
      { kind: 'user', text: 'second', pending: true },
    ]);
  });

  it('keeps a queued message below what the turn shows after it was typed, until it is sent', () => {
    const exec = { type: 'function_call' as const, call_id: 'c', name: 'exec_command', arguments: '{"cmd":"ls"}' };
    const entries = fold([{ type: 'text_delta', round: 1, output_index: 0, delta: 'Let me look' }]);
    entries.push({ kind: 'user', text: 'also check the tests', pending: true });
    fold(
      [
        { type: 'text_delta', round: 1, output_index: 0, delta: '.' },
        {
          type: 'output_item_done',
          round: 1,
          output_index: 0,
          item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look.' }] },
        },
        { type: 'tool_started', name: 'exec_command', call: exec },
        { type: 'tool_finished', call_id: 'c', output: 'a.txt', success: true, duration_ms: 3, exit_code: 0 },
      ],
      entries,
    );
    expect(entries.map((e) => e.kind)).toEqual(['assistant', 'tool', 'user']);
    expect(entries[0]).toMatchObject({ text: 'Let me look.', done: true });
    expect(entries[2]).toMatchObject({ text: 'also check the tests', pending: true });
    // Sent with the next request: it stays where it is, and what follows comes after it.
    fold(
      [
        { type: 'item_appended', index: 7, item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'also check the tests' }] } },
        { type: 'text_delta', round: 2, output_index: 0, delta: 'Tests pass.' },
        { type: 'turn_ended', turn_id: 't', reason: 'completed', usage },
      ],
      entries,
    );
    expect(entries.map((e) => e.kind)).toEqual(['assistant', 'tool', 'user', 'assistant', 'turn']);
    expect(entries[2]).toEqual({ kind: 'user', text: 'also check the tests', seq: 7 });
  });

  it('puts a stopped turn’s ending above a message still queued', () => {
    const entries: Entry[] = [{ kind: 'user', text: 'later', pending: true }];
    fold([{ type: 'turn_ended', turn_id: 't', reason: 'aborted', usage }], entries);
    expect(entries.map((e) => e.kind)).toEqual(['note', 'turn', 'user']);
  });

  it('does not repeat a patch’s diff in its approval when its tool card shows it', () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch';
    const entries = fold([
      { type: 'tool_started', name: 'apply_patch', call: { type: 'custom_tool_call', call_id: 'p', name: 'apply_patch', input: patch } },
      { type: 'approval_requested', request: { id: 'r1', call_id: 'p', kind: 'patch', subject: patch, cwd: '/workspace', reason: 'asks' } },
      // A patch the card could not draw is drawn by the approval.
      { type: 'tool_started', name: 'apply_patch', call: { type: 'custom_tool_call', call_id: 'q', name: 'apply_patch', input: 'garbage' } },
      { type: 'approval_requested', request: { id: 'r2', call_id: 'q', kind: 'patch', subject: patch, cwd: '/workspace', reason: 'asks' } },
      { type: 'approval_requested', request: { id: 'r3', call_id: 'e', kind: 'exec', subject: 'rm x', cwd: '/workspace', reason: 'asks' } },
    ]);
    expect(entries.filter((e) => e.kind === 'approval').map((e) => e.kind === 'approval' && (e.diffShown ?? false))).toEqual([true, false, false]);
  });
});
