/**
 * The inspector timeline driven by the real loop (SDK, scripted HTTP server, just-bash): every
 * event is recorded with a fake clock that advances 10 ms per event.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cacheText } from '../../../src/core/cache-stats';
import type { AgentEvent } from '../../../src/core/events';
import { reply, sequence } from '../../../src/model/scripted';
import { layoutRequest } from '../../../src/app/inspector/parts';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import { eventsOf, startHarness, type Harness } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function record(harness: Harness, timeline: InspectorTimeline): void {
  let now = 1000;
  harness.agent.on((event: AgentEvent) => timeline.record(event, (now += 10)));
}

describe('InspectorTimeline', () => {
  it('records two rounds: the second extends the first exactly, with events, usage and the tool run', async () => {
    h = await startHarness({ script: sequence([reply.exec('ls'), reply.text('all done, the listing is above')]) });
    const timeline = new InspectorTimeline();
    let changes = 0;
    timeline.onChange(() => changes++);
    record(h, timeline);
    const result = await h.agent.runTurn('list the files');
    expect(result.reason).toBe('completed');

    expect(timeline.rounds).toHaveLength(2);
    const [first, second] = timeline.rounds as [NonNullable<(typeof timeline.rounds)[0]>, NonNullable<(typeof timeline.rounds)[1]>];
    expect(changes).toBe(h.events.length);

    // Bodies are the exact requests sent (copies); a size is of the JSON body as sent, and the
    // reusable prefix is measured as a cache reads the request (cacheText).
    const bodies = h.bodies();
    expect(JSON.stringify(first.request.body)).toBe(JSON.stringify(bodies[0]));
    expect(JSON.stringify(second.request.body)).toBe(JSON.stringify(bodies[1]));
    expect(Object.isFrozen(first.request.body)).toBe(true);
    expect(first.request.bytes).toBe(Buffer.byteLength(JSON.stringify(bodies[0])));
    expect(first.request.prefixBytes).toBe(0);
    expect([first.request.compared, second.request.compared]).toEqual([false, true]);
    expect(first.request.estTokens).toBe(Math.ceil(first.request.bytes! / 4));
    // An exact extension: everything but the closing `]}` is reusable.
    expect(second.request.prefixBytes).toBe(Buffer.byteLength(cacheText(bodies[0]!)) - 2);
    const stats = eventsOf(h.events, 'request_stats');
    expect(stats.map((s) => [s.request_bytes, s.prefix_bytes])).toEqual(timeline.rounds.map((r) => [r.request.bytes, r.request.prefixBytes]));

    // Parts: what round 1 had is 'prefix' in round 2; the call and its output are 'new'.
    expect(first.request.parts!.every((p) => p.cached === 'new')).toBe(true);
    const parts = second.request.parts!;
    const inputs = parts.filter((p) => p.field === 'input');
    expect(inputs).toHaveLength(first.request.items + 2);
    expect(parts.slice(0, parts.length - 2).every((p) => p.cached === 'prefix')).toBe(true);
    expect(parts.slice(-2).map((p) => [p.label, p.kind, p.cached])).toEqual([
      ['function_call exec_command', 'tool_call', 'new'],
      ['function_call_output', 'tool_output', 'new'],
    ]);
    expect(parts.find((p) => p.field === 'tools')?.kind).toBe('tools');
    expect(inputs.map((p) => p.label)).toContain('developer message');
    expect(inputs.map((p) => p.label)).toContain('user message');
    expect(parts[parts.length - 2]!.preview).toBe('ls');

    // Responses: usage with cached tokens, collapsed delta runs, timings.
    for (const [i, round] of timeline.rounds.entries()) {
      expect(round.response.status).toBe('completed');
      expect(round.response.usage).toEqual(eventsOf(h.events, 'response_completed')[i]!.usage);
      expect(round.response.usage).toHaveProperty('cached_tokens');
    }
    expect(second.response.usage!.cached_tokens).toBeGreaterThan(0);
    const textDeltas = eventsOf(h.events, 'text_delta').filter((e) => e.round === 2);
    expect(textDeltas.length).toBeGreaterThan(1);
    const runs = second.response.events.filter((e) => e.type === 'text_delta');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.count).toBe(textDeltas.length);
    expect(runs[0]!.chars).toBe('all done, the listing is above'.length);
    expect(second.response.events.map((e) => e.type)).toEqual([
      'response_created',
      'output_item_added',
      'text_delta',
      'output_item_done',
      'response_completed',
    ]);
    const argDeltas = first.response.events.filter((e) => e.type === 'tool_input_delta');
    expect(argDeltas).toHaveLength(1);
    expect(argDeltas[0]!.count).toBe(eventsOf(h.events, 'tool_input_delta').length);
    // Events are 10 ms apart on the fake clock: the first delta comes 3 events after the request.
    expect(second.response.ttftMs).toBe(30);
    const { durationMs, ttftMs, outputTokens } = second.response;
    expect(durationMs).toBe(second.response.events.at(-1)!.t);
    expect(second.response.tokensPerSecond).toBeCloseTo(outputTokens! / ((durationMs! - ttftMs!) / 1000));
    expect(second.response.output!.map((i) => i.type)).toEqual(['message']);

    // The tool run sits in round 1 with the engine's duration.
    const finished = eventsOf(h.events, 'tool_finished')[0]!;
    expect(first.tools).toEqual([
      expect.objectContaining({ name: 'exec_command', title: 'ls', durationMs: finished.duration_ms, exitCode: 0, success: true }),
    ]);
    expect(first.tools[0]!.startMs).toBeGreaterThan(first.response.durationMs!);

    // The turn boundary.
    expect(timeline.turns).toEqual([
      expect.objectContaining({ id: 'turn_1', firstRound: 0, rounds: 2, reason: 'completed', input: 'list the files' }),
    ]);
    expect(timeline.rounds.map((r) => [r.turnId, r.turnRound, r.index])).toEqual([
      ['turn_1', 1, 0],
      ['turn_1', 2, 1],
    ]);
  });

  it('shows a compaction with its before/after lists on the next round, whose prefix broke', async () => {
    h = await startHarness({
      script: sequence([reply.text('first answer')]),
      client: { compact: true },
      server: { compactEndpoint: true },
    });
    const timeline = new InspectorTimeline();
    record(h, timeline);
    await h.agent.runTurn('hello');
    const outcome = await h.agent.compact();
    expect(outcome.status).toBe('completed');
    expect(timeline.compactions).toHaveLength(1);
    const compaction = timeline.compactions[0]!;
    expect(compaction).toMatchObject({ reason: 'manual', mode: 'remote', status: 'finished', atRound: 1, turnId: null });
    expect(compaction.before.map((l) => l.label)).toEqual([
      'developer message',
      'developer message',
      'user message',
      'user message',
      'assistant message',
    ]);
    // The context and the user's messages are kept; the answer is replaced by the compaction item.
    expect(compaction.after.map((l) => [l.label, l.kept])).toEqual([
      ['developer message', true],
      ['developer message', true],
      ['user message', true],
      ['user message', true],
      ['compaction', false],
    ]);
    expect(compaction.tokensAfter).toBeGreaterThan(0);
    expect(compaction.durationMs).toBe(10);

    await h.agent.runTurn('and now?');
    expect(timeline.rounds).toHaveLength(2);
    const next = timeline.rounds[1]!;
    expect(next.compaction).toBe(compaction);
    expect(timeline.rounds[0]!.compaction).toBeUndefined();
    expect(next.request.parts!.filter((p) => p.field === 'input').map((p) => [p.label, p.cached])).toEqual([
      ['developer message', 'prefix'],
      ['developer message', 'prefix'],
      ['user message', 'prefix'],
      ['user message', 'prefix'],
      ['compaction', 'new'],
      ['user message', 'new'],
    ]);
  });

  it('keeps only the last maxBodies bodies; older rounds keep their summaries', async () => {
    h = await startHarness({ script: sequence([reply.exec('echo one'), reply.exec('echo two'), reply.text('done')]) });
    const timeline = new InspectorTimeline({ maxBodies: 1 });
    record(h, timeline);
    await h.agent.runTurn('go');
    expect(timeline.rounds).toHaveLength(3);
    expect(timeline.rounds.map((r) => r.request.body !== null)).toEqual([false, false, true]);
    expect(timeline.rounds.map((r) => r.request.parts !== null)).toEqual([false, false, true]);
    expect(timeline.rounds[0]!.response.output).toBeNull();
    expect(timeline.rounds[0]!.request.bytes).toBeGreaterThan(0);
    expect(timeline.rounds[0]!.response.usage).not.toBeNull();
    expect(timeline.rounds[1]!.tools[0]!.title).toBe('echo two');
  });

  it('shares item copies between rounds and stores them redacted', async () => {
    h = await startHarness({ script: sequence([reply.exec('echo hi'), reply.text('done')]) });
    const timeline = new InspectorTimeline({ secrets: () => ['my-secret-value'] });
    record(h, timeline);
    await h.agent.runTurn('the password is my-secret-value');
    const [a, b] = timeline.rounds;
    expect(a!.request.body!.input[0]).toBe(b!.request.body!.input[0]);
    expect(JSON.stringify(timeline.rounds.map((r) => r.request.body))).not.toContain('my-secret-value');
    expect(JSON.stringify(timeline.turns)).not.toContain('my-secret-value');
    expect(JSON.stringify(timeline.rounds.map((r) => r.request.parts))).not.toContain('my-secret-value');
    // The sizes are still those of the bytes really sent.
    expect(a!.request.bytes).toBe(Buffer.byteLength(JSON.stringify(h.bodies()[0])));
  });
});

describe('layoutRequest', () => {
  it('builds exactly cacheText, with each part at its place', () => {
    const body = { model: 'm', instructions: 'be brief', tools: [{ name: 't' }], input: [{ a: 'é"' }, { b: 2 }], extra: 1 };
    const layout = layoutRequest(body);
    expect(layout.text).toBe(cacheText(body));
    expect(layout.input.map((r) => layout.text.slice(r.start, r.end))).toEqual(['{"a":"é\\""}', '{"b":2}']);
    expect(layout.text.slice(layout.instructions!.start, layout.instructions!.end)).toBe('"be brief"');
    const bare = { model: 'm', input: [] };
    expect(layoutRequest(bare).text).toBe(cacheText(bare));
    expect(layoutRequest(bare).instructions).toBeNull();
  });
});
