/**
 * A reopened session's Inspector: the rounds from before the reload are rebuilt from the
 * stored log (items as stored, turn usage as stored), say so, and the live ones continue
 * after them, as does the session's request total.
 */
import { describe, expect, it } from 'vitest';
import { ChatSession } from '../../../src/app/chat.svelte';
import { restoreRounds } from '../../../src/app/inspector/restored';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import { Settings } from '../../../src/app/settings.svelte';
import type { ResponseItem } from '../../../src/core/items';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { foldLog } from '../../../src/store/log-fold';
import { REPLACE_RECORD, TOOL_RECORD, TURN_RECORD, type TurnRecord } from '../../../src/store/log-records';

const settings = () => new Settings({ local: null, session: null });
const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const answer = (text: string): ResponseItem => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const usage = (requests: number) => ({
  input_tokens: 100 * requests,
  cached_tokens: 50,
  output_tokens: 10 * requests,
  reasoning_tokens: 0,
  total_tokens: 110 * requests,
  requests,
});
const turn = (requests: number): TurnRecord => ({
  type: TURN_RECORD,
  reason: 'completed',
  usage: usage(requests),
  ms: 1000,
  before: null,
  after: null,
});

describe('a reopened session’s Inspector', () => {
  it('shows the stored rounds as from before the reload, then continues with live ones; the request total continues too', async () => {
    const live = new ChatSession(createEmbeddedSandbox(), settings(), { modelOptions: { demoEventDelayMs: 0 } });
    await live.submit('Give me the hello demo');
    const turnUsage = live.entries.findLast((e) => e.kind === 'turn')!;
    expect(turnUsage.kind === 'turn' && turnUsage.usage.requests).toBe(4);
    // The log as the recorder writes it: the items, how each tool ended, the turn's ending.
    const records: unknown[] = [...live.history];
    for (const event of live.history)
      if (event.type === 'function_call_output') records.push({ type: TOOL_RECORD, call_id: event.call_id, status: 'ok', exit_code: 0, ms: 12 });
    records.push({ ...turn(4), usage: turnUsage.kind === 'turn' ? turnUsage.usage : usage(4) });
    const view = foldLog(records);

    const reopened = new ChatSession(createEmbeddedSandbox(), settings(), { view, history: view.items, modelOptions: { demoEventDelayMs: 0 } });
    const rounds = reopened.inspector.timeline.rounds;
    expect(rounds).toHaveLength(4);
    expect(rounds.every((r) => r.rebuilt === 'restored' && r.request.bytes === null && r.response.usage === null)).toBe(true);
    // The input of each rebuilt request is the stored conversation up to that round, exactly.
    expect(JSON.stringify(rounds[3]!.request.body!.input)).toBe(JSON.stringify(live.history.slice(0, rounds[3]!.request.items)));
    expect(rounds[0]!.tools[0]).toMatchObject({ name: 'exec_command', durationMs: 12, exitCode: 0, success: true });
    const turns = reopened.inspector.timeline.turns;
    expect(turns).toHaveLength(1);
    expect(turns[0]!.usage).toEqual(turnUsage.kind === 'turn' ? turnUsage.usage : null);
    expect(turns[0]!.input).toBe('Give me the hello demo');
    expect(reopened.usage.requests).toBe(4);

    await reopened.submit('Give me the hello demo');
    expect(rounds).toHaveLength(8);
    const next = rounds[4]!;
    expect(next.rebuilt).toBeUndefined();
    expect(next.request.bytes).toBeGreaterThan(0);
    expect(next.request.compared).toBe(false); // nothing sent before it is known byte for byte
    expect(rounds[5]!.request.compared).toBe(true);
    expect(rounds.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(reopened.usage.requests).toBe(8);
  });

  it('groups rounds by their stored turns across a compaction, and leaves a session without rounds empty', () => {
    const call = { type: 'function_call' as const, call_id: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' };
    const records: unknown[] = [
      user('one'),
      call,
      { type: 'function_call_output', call_id: 'c1', output: 'Process exited with code 2\nOutput:\nnope' },
      { type: TOOL_RECORD, call_id: 'c1', status: 'ok', exit_code: 2, ms: 5 },
      answer('first answer'),
      turn(2),
      { type: REPLACE_RECORD, items: [user('one'), { type: 'compaction', encrypted_content: 'x' }] },
      user('two'),
      answer('second answer'),
      turn(1),
      user('three'),
      answer('cut short'),
    ];
    const timeline = new InspectorTimeline();
    restoreRounds(timeline, foldLog(records));
    expect(timeline.rounds.map((r) => [r.turnRound, r.request.items, r.rebuilt])).toEqual([
      [1, 1, 'restored'],
      [2, 3, 'restored'],
      [1, 3, 'restored'],
      [1, 5, 'restored'],
    ]);
    expect(timeline.rounds[0]!.tools[0]).toMatchObject({ exitCode: 2, success: true });
    expect(timeline.turns.map((t) => [t.input, t.usage?.requests ?? null])).toEqual([
      ['one', 2],
      ['two', 1],
      ['three', null],
    ]);

    const empty = new InspectorTimeline();
    restoreRounds(empty, foldLog([]));
    expect(empty.rounds).toEqual([]);
    expect(empty.turns).toEqual([]);
  });
});
