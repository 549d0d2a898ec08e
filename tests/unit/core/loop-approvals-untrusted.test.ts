/**
 * Approval policy "untrusted" through the whole loop: the real Agent, the scripted model over
 * HTTP and just-bash, with a "user" answering each question (tests/support/approvals.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../../src/core/events';
import { addFilePatch, reply, type Script } from '../../../src/model/scripted/index';
import { eventsOf, ROOT } from '../../support/harness';
import { always, answers, approvalHarnessForEachTest, exists, nobody, steps, toolCalls, toolOutputs } from '../../support/approvals';

const start = approvalHarnessForEachTest();

describe('approval policy "untrusted"', () => {
  it('runs known-safe read-only commands without asking', async () => {
    const { h, asked } = await start(
      {
        script: steps([reply.exec('ls'), reply.exec('cat x'), reply.exec('git status'), reply.exec('sed -n 1p x')]),
        files: { x: 'hello\n' },
        config: { approvalPolicy: 'untrusted' },
      },
      nobody,
    );
    const result = await h.agent.runTurn('look around');
    expect(result.reason).toBe('completed');
    expect(asked).toEqual([]);
    expect(eventsOf(h.events, 'approval_requested')).toEqual([]);
    const [ls, cat, git, sed] = toolOutputs(h);
    expect(ls).toMatch(/Process exited with code 0\nOriginal token count: 1\nOutput:\nx\n?$/);
    expect(cat).toMatch(/Output:\nhello/);
    // just-bash has no git: the command ran (and failed) instead of being held for approval.
    expect(git).toMatch(/Process exited with code 127[\s\S]*git: command not found/);
    expect(sed).toMatch(/Output:\nhello/);
    expect(h.problems()).toEqual([]);
  });

  it('asks before a writing command; once approved it runs and the file exists', async () => {
    // The answer arrives a macrotask later: the tool waits for it rather than for a timer.
    const { h, asked } = await start(
      { script: steps(reply.exec('touch new.txt')), config: { approvalPolicy: 'untrusted' } },
      () => new Promise((resolve) => setTimeout(() => resolve('approve'), 5)),
    );
    const result = await h.agent.runTurn('create new.txt');

    expect(result.reason).toBe('completed');
    expect(await exists(h, 'new.txt')).toBe(true);
    expect(asked).toHaveLength(1);
    const call = toolCalls(h)[0]!;
    expect(asked[0]).toEqual({
      id: asked[0]!.id,
      call_id: call.call_id,
      kind: 'exec',
      subject: 'touch new.txt',
      cwd: ROOT,
      reason: expect.stringMatching(/untrusted/) as unknown as string,
    });
    expect(toolOutputs(h)[0]).toMatch(/Process exited with code 0/);

    // requested → resolved (same id, the decision) → the tool finishes, in that order.
    const order = h.events.filter((e) => ['approval_requested', 'approval_resolved', 'tool_started', 'tool_finished'].includes(e.type));
    expect(order.map((e) => e.type)).toEqual(['tool_started', 'approval_requested', 'approval_resolved', 'tool_finished']);
    expect(eventsOf(h.events, 'approval_resolved')).toEqual([{ type: 'approval_resolved', request_id: asked[0]!.id, decision: 'approve' }]);
    expect(h.problems()).toEqual([]);
  });

  it('deny: the output is exactly "exec command rejected by user", nothing runs, the turn carries on', async () => {
    const { h, asked } = await start({ script: steps(reply.exec('touch new.txt')), config: { approvalPolicy: 'untrusted' } }, always('deny'));
    const result = await h.agent.runTurn('create new.txt');

    expect(asked.map((a) => a.subject)).toEqual(['touch new.txt']);
    expect(toolOutputs(h)).toEqual(['exec command rejected by user']);
    expect(await exists(h, 'new.txt')).toBe(false);
    expect(result.reason).toBe('completed');
    expect(result.lastMessage).toBe('saw: exec command rejected by user');
    expect(eventsOf(h.events, 'approval_resolved').map((e) => e.decision)).toEqual(['deny']);
    const finished = eventsOf(h.events, 'tool_finished')[0]!;
    expect(finished).toMatchObject({ success: false, output: 'exec command rejected by user' });
    expect(h.bodies()).toHaveLength(2);
    expect(h.problems()).toEqual([]);
  });

  it('approve covers one call only: the same command asks again', async () => {
    const { h, asked } = await start(
      { script: steps(reply.exec('touch a.txt'), reply.exec('touch a.txt')), config: { approvalPolicy: 'untrusted' } },
      answers('approve', 'approve'),
    );
    await h.agent.runTurn('touch twice');
    expect(asked.map((a) => a.subject)).toEqual(['touch a.txt', 'touch a.txt']);
    expect(h.problems()).toEqual([]);
  });

  it('approve_for_session: the exact command is not asked again this session, a different one is', async () => {
    const script: Script = (ctx) =>
      ctx.lastUserText === 'first'
        ? steps(reply.exec('touch new.txt'), reply.exec('touch new.txt'))(ctx)
        : steps(reply.exec('touch new.txt'), reply.exec('touch new.txt '), reply.exec('touch other.txt'))(ctx);
    const { h, asked } = await start({ script, config: { approvalPolicy: 'untrusted' } }, answers('approve_for_session', 'deny', 'deny'));

    await h.agent.runTurn('first');
    expect(asked.map((a) => a.subject)).toEqual(['touch new.txt']);
    await h.agent.runTurn('second');

    // Only the exact text is remembered: a trailing space makes it a different command.
    expect(asked.map((a) => a.subject)).toEqual(['touch new.txt', 'touch new.txt ', 'touch other.txt']);
    expect(eventsOf(h.events, 'approval_resolved').map((e) => e.decision)).toEqual(['approve_for_session', 'deny', 'deny']);
    const outputs = toolOutputs(h);
    expect(outputs.slice(0, 3).every((o) => /Process exited with code 0/.test(o))).toBe(true);
    expect(outputs.slice(3)).toEqual(['exec command rejected by user', 'exec command rejected by user']);
    expect(await exists(h, 'new.txt')).toBe(true);
    expect(await exists(h, 'other.txt')).toBe(false);
    expect(h.problems()).toEqual([]);
  });

  it('asks before a patch with the patch text as the subject; approve writes it', async () => {
    const patch = addFilePatch('notes.md', '# Notes');
    const { h, asked } = await start({ script: steps((ctx) => reply.patch(ctx, patch)), config: { approvalPolicy: 'untrusted' } }, always('approve'));
    const result = await h.agent.runTurn('write notes');

    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ kind: 'patch', subject: patch, cwd: ROOT, call_id: toolCalls(h)[0]!.call_id });
    expect(await h.readFile('notes.md')).toBe('# Notes\n');
    expect(result.lastMessage).toBe('saw: Success. Updated the following files:\nA notes.md\n');
    expect(eventsOf(h.events, 'approval_resolved').map((e) => e.decision)).toEqual(['approve']);
    expect(h.problems()).toEqual([]);
  });

  it('a denied patch writes nothing and the model hears why', async () => {
    const { h, asked } = await start(
      {
        script: steps((ctx) => reply.patch(ctx, '*** Begin Patch\n*** Add File: new.md\n+x\n*** Delete File: keep.md\n*** End Patch')),
        files: { 'keep.md': 'keep me\n' },
        config: { approvalPolicy: 'untrusted' },
      },
      always('deny'),
    );
    const result = await h.agent.runTurn('change files');

    expect(asked.map((a) => a.kind)).toEqual(['patch']);
    expect(toolOutputs(h)).toEqual(['patch rejected by user']);
    expect(await exists(h, 'new.md')).toBe(false);
    expect(await h.readFile('keep.md')).toBe('keep me\n');
    expect(result.lastMessage).toBe('saw: patch rejected by user');
    expect(h.problems()).toEqual([]);
  });

  it('approve_for_session on a patch stops asking about patches, but not about commands', async () => {
    const script: Script = (ctx) =>
      ctx.lastUserText === 'first'
        ? steps(
            (c) => reply.patch(c, addFilePatch('a.md', 'A')),
            (c) => reply.patch(c, addFilePatch('b.md', 'B')),
          )(ctx)
        : steps((c) => reply.patch(c, addFilePatch('c.md', 'C')), reply.exec('touch d.txt'))(ctx);
    const { h, asked } = await start({ script, config: { approvalPolicy: 'untrusted' } }, answers('approve_for_session', 'approve'));

    await h.agent.runTurn('first');
    await h.agent.runTurn('second');

    expect(asked.map((a) => (a.kind === 'exec' ? a.subject : a.kind))).toEqual(['patch', 'touch d.txt']);
    expect(await h.readFile('a.md')).toBe('A\n');
    expect(await h.readFile('b.md')).toBe('B\n');
    expect(await h.readFile('c.md')).toBe('C\n');
    expect(await exists(h, 'd.txt')).toBe(true);
    expect(h.problems()).toEqual([]);
  });

  it('approve on a patch covers that patch only', async () => {
    const { h, asked } = await start(
      {
        script: steps(
          (c) => reply.patch(c, addFilePatch('a.md', 'A')),
          (c) => reply.patch(c, addFilePatch('b.md', 'B')),
        ),
        config: { approvalPolicy: 'untrusted' },
      },
      answers('approve', 'deny'),
    );
    await h.agent.runTurn('two patches');
    expect(asked.map((a) => a.kind)).toEqual(['patch', 'patch']);
    expect(await exists(h, 'a.md')).toBe(true);
    expect(await exists(h, 'b.md')).toBe(false);
    expect(h.problems()).toEqual([]);
  });

  it('an interrupt while waiting for an answer aborts the call; a late answer is ignored', async () => {
    const controller = new AbortController();
    const { h, asked } = await start({ script: steps(reply.exec('touch late.txt')), config: { approvalPolicy: 'untrusted' } }, () => {
      controller.abort();
      return new Promise<ApprovalDecision>(() => {});
    });
    const result = await h.agent.runTurn('go', { signal: controller.signal });

    expect(result.reason).toBe('aborted');
    expect(asked).toHaveLength(1);
    expect(toolOutputs(h)).toEqual(['aborted by user']);
    h.agent.respondToApproval(asked[0]!.id, 'approve');
    expect(eventsOf(h.events, 'approval_resolved')).toEqual([]);
    expect(await exists(h, 'late.txt')).toBe(false);
    expect(h.problems()).toEqual([]);
  });
});
