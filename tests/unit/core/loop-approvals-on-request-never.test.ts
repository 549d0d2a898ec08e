/**
 * Approval policies "on-request" and "never" through the whole loop: what asks, what runs and
 * what is refused, by sandbox mode and escalation.
 */
import { describe, expect, it } from 'vitest';
import { addFilePatch, reply } from '../../../src/model/scripted/index';
import { eventsOf, ROOT } from '../../support/harness';
import { always, answers, approvalHarnessForEachTest, escalated, exists, nobody, steps, toolCalls, toolOutputs } from '../../support/approvals';

const start = approvalHarnessForEachTest();

describe('approval policy "on-request"', () => {
  it('asks nothing by default: writes and patches just run', async () => {
    const { h, asked } = await start(
      { script: steps(reply.exec('touch new.txt'), (c) => reply.patch(c, addFilePatch('p.md', 'P'))), config: { approvalPolicy: 'on-request' } },
      nobody,
    );
    const result = await h.agent.runTurn('write');
    expect(result.reason).toBe('completed');
    expect(asked).toEqual([]);
    expect(await exists(h, 'new.txt')).toBe(true);
    expect(await h.readFile('p.md')).toBe('P\n');
    expect(h.problems()).toEqual([]);
  });

  it('require_escalated asks, with the justification as the reason', async () => {
    const { h, asked } = await start(
      {
        script: steps(escalated('touch big.bin', 'Needs to write outside the usual limits.'), escalated('touch no.bin', 'Second try.')),
        config: { approvalPolicy: 'on-request' },
      },
      answers('approve', 'deny'),
    );
    const result = await h.agent.runTurn('escalate');

    const calls = toolCalls(h);
    expect(asked).toEqual([
      expect.objectContaining({
        kind: 'exec',
        subject: 'touch big.bin',
        cwd: ROOT,
        call_id: calls[0]!.call_id,
        reason: 'Needs to write outside the usual limits.',
      }),
      expect.objectContaining({ subject: 'touch no.bin', call_id: calls[1]!.call_id, reason: 'Second try.' }),
    ]);
    expect(await exists(h, 'big.bin')).toBe(true);
    expect(await exists(h, 'no.bin')).toBe(false);
    expect(result.lastMessage).toBe('saw: exec command rejected by user');
    expect(h.problems()).toEqual([]);
  });

  it('in a read-only sandbox a writing command asks, a reading one does not', async () => {
    const { h, asked } = await start(
      { script: steps(reply.exec('ls'), reply.exec('touch w.txt')), config: { approvalPolicy: 'on-request', sandboxMode: 'read-only' } },
      always('deny'),
    );
    await h.agent.runTurn('try');
    expect(asked.map((a) => a.subject)).toEqual(['touch w.txt']);
    expect(asked[0]!.reason).toMatch(/read-only/);
    expect(await exists(h, 'w.txt')).toBe(false);
    expect(h.problems()).toEqual([]);
  });
});

describe('approval policy "never"', () => {
  it('in a read-only sandbox refuses writing commands and patches without asking', async () => {
    const { h, asked } = await start(
      {
        script: steps(reply.exec('touch new.txt'), reply.exec('cat x'), (c) => reply.patch(c, addFilePatch('p.md', 'P'))),
        files: { x: 'readable\n' },
        config: { approvalPolicy: 'never', sandboxMode: 'read-only' },
      },
      nobody,
    );
    const result = await h.agent.runTurn('try to write');

    expect(asked).toEqual([]);
    expect(eventsOf(h.events, 'approval_requested')).toEqual([]);
    const [touch, cat, patch] = toolOutputs(h);
    expect(touch).toMatch(/^exec command refused: the sandbox is read-only/);
    expect(touch).not.toBe('exec command rejected by user');
    expect(cat).toMatch(/Output:\nreadable/);
    expect(patch).toMatch(/^apply_patch refused: the sandbox is read-only/);
    expect(await exists(h, 'new.txt')).toBe(false);
    expect(await exists(h, 'p.md')).toBe(false);
    expect(result.reason).toBe('completed');
    expect(h.problems()).toEqual([]);
  });

  it('in a writable sandbox runs everything without asking, escalation included', async () => {
    const { h, asked } = await start(
      { script: steps(escalated('touch e.txt', 'why not'), (c) => reply.patch(c, addFilePatch('p.md', 'P'))), config: { approvalPolicy: 'never' } },
      nobody,
    );
    await h.agent.runTurn('write');
    expect(asked).toEqual([]);
    expect(await exists(h, 'e.txt')).toBe(true);
    expect(await exists(h, 'p.md')).toBe(true);
    expect(h.problems()).toEqual([]);
  });
});
