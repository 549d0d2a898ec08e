import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/core/events';
import { reply, sequence } from '../../../src/model/scripted/index';
import { startHarness, type Harness } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const script = sequence([reply.exec('echo stepped > out.txt'), reply.text('done')]);

/** Answers each pause with the next decision, recording what it paused on. */
function answer(harness: Harness, decisions: Array<'continue' | 'stop'>): string[] {
  const seen: string[] = [];
  harness.agent.on((event: AgentEvent) => {
    if (event.type !== 'step_paused') return;
    const t = event.target;
    seen.push(
      t.kind === 'request'
        ? `request ${t.round} (${t.request.input.length} items)`
        : `tool ${t.call.type === 'function_call' ? t.call.arguments : t.call.input}`,
    );
    const decision = decisions.shift() ?? 'continue';
    queueMicrotask(() => harness.agent.resumeStep(event.id, decision));
  });
  return seen;
}

describe('step-through mode', () => {
  it('pauses before each request and each tool call, with the exact request and command', async () => {
    h = await startHarness({ script });
    h.agent.setStepping(true);
    const seen = answer(h, []);
    const result = await h.agent.runTurn('go');
    expect(result.reason).toBe('completed');
    expect(seen.map((s) => s.replace(/\(\d+ items\)/, '(n)'))).toEqual(['request 1 (n)', 'tool {"cmd":"echo stepped > out.txt"}', 'request 2 (n)']);
    // The paused request is the one sent.
    const paused = h.events
      .filter((e) => e.type === 'step_paused')
      .map((e) => (e.type === 'step_paused' && e.target.kind === 'request' ? e.target.request : null));
    expect(h.bodies()[0]).toMatchObject({ input: paused[0]!.input });
    expect(h.problems()).toEqual([]);
  });

  it('Stop before a tool call ends the turn without running it, and history stays valid', async () => {
    h = await startHarness({ script });
    h.agent.setStepping(true);
    answer(h, ['continue', 'stop']);
    const result = await h.agent.runTurn('go');
    expect(result.reason).toBe('aborted');
    expect(h.events.some((e) => e.type === 'tool_started')).toBe(false);
    expect(await h.bash.fs.exists('/workspace/out.txt')).toBe(false);
    h.agent.setStepping(false);
    expect((await h.agent.runTurn('again')).reason).toBe('completed');
    expect(h.problems()).toEqual([]);
  });

  it('an interrupt while paused stops; turning the mode off lets a paused step go on', async () => {
    h = await startHarness({ script });
    h.agent.setStepping(true);
    const controller = new AbortController();
    h.agent.on((e) => e.type === 'step_paused' && controller.abort());
    expect((await h.agent.runTurn('go', { signal: controller.signal })).reason).toBe('aborted');

    const harness = h;
    const off = harness.agent.on((e) => e.type === 'step_paused' && queueMicrotask(() => harness.agent.setStepping(false)));
    expect((await harness.agent.runTurn('go on')).reason).toBe('completed');
    off();
    expect(harness.events.filter((e) => e.type === 'step_resumed').map((e) => (e.type === 'step_resumed' ? e.decision : ''))).toEqual([
      'stop',
      'continue',
    ]);
  });
});
