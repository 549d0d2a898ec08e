/**
 * Approval policies through the whole loop: the real Agent, the scripted model over HTTP
 * and just-bash. The "user" is an `agent.on` listener answering `approval_requested`
 * events with `respondToApproval`, exactly as the tab and the CLI do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalDecision, ApprovalRequest } from '../../../src/core/events';
import type { ResponseItem, ToolCallItem } from '../../../src/core/items';
import { addFilePatch, reply, sequence, type Script, type Step } from '../../../src/model/scripted/index';
import { eventsOf, ROOT, startHarness, type Harness, type HarnessOptions } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Decide = (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>;

/** Starts the harness with a user who answers every approval with `decide`; records what was asked. */
async function start(options: HarnessOptions, decide: Decide): Promise<{ h: Harness; asked: ApprovalRequest[] }> {
  const harness = await startHarness(options);
  h = harness;
  const asked: ApprovalRequest[] = [];
  harness.agent.on((event) => {
    if (event.type !== 'approval_requested') return;
    asked.push(event.request);
    void Promise.resolve(decide(event.request)).then((d) => harness.agent.respondToApproval(event.request.id, d));
  });
  return { h: harness, asked };
}

/** A user who must never be asked: any question fails the test through `asked`. */
const nobody: Decide = () => 'deny';

function always(decision: ApprovalDecision): Decide {
  return () => decision;
}

/** Answers in order; a question past the list is denied (and shows up in `asked`). */
function answers(...list: ApprovalDecision[]): Decide {
  return () => list.shift() ?? 'deny';
}

function toolOutputs(harness: Harness): string[] {
  return harness.agent.history.items
    .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
    .map((i) => (i as { output: string }).output);
}

function toolCalls(harness: Harness): ToolCallItem[] {
  return harness.agent.history.items.filter((i: ResponseItem): i is ToolCallItem => i.type === 'function_call' || i.type === 'custom_tool_call');
}

async function exists(harness: Harness, path: string): Promise<boolean> {
  return harness.bash.fs.exists(`${ROOT}/${path}`);
}

/** One step per round, then a final message quoting the last tool output. */
function steps(...rounds: Step[]): Script {
  return sequence([...rounds, (ctx) => reply.text(`saw: ${ctx.lastToolOutput ?? ''}`)]);
}

const escalated = (cmd: string, justification: string) =>
  reply.call('exec_command', { cmd, sandbox_permissions: 'require_escalated', justification });

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

describe('dangerous commands (rm -f, rm -rf) — Codex: command_might_be_dangerous', () => {
  it('on-request asks before rm -rf even in a writable sandbox; denied, nothing is deleted', async () => {
    const { h, asked } = await start(
      { script: steps(reply.exec('rm -rf build'), reply.exec('rm build2/a.txt')), files: { 'build/a.txt': 'keep\n', 'build2/a.txt': 'x\n' } },
      always('deny'),
    );
    expect(h.agent.config.approvalPolicy).toBe('on-request');
    const result = await h.agent.runTurn('clean up');

    // Only the forced removal asks; a plain rm runs under on-request as before.
    expect(asked.map((a) => a.subject)).toEqual(['rm -rf build']);
    expect(asked[0]!.reason).toMatch(/force-deletes/);
    const [rmrf, rm] = toolOutputs(h);
    expect(rmrf).toBe('exec command rejected by user');
    expect(rm).toMatch(/Process exited with code 0/);
    expect(await h.readFile('build/a.txt')).toBe('keep\n');
    expect(await exists(h, 'build2/a.txt')).toBe(false);
    expect(result.reason).toBe('completed');
    expect(h.problems()).toEqual([]);
  });

  it('on-request in danger-full-access still asks; approved, it runs', async () => {
    const { h, asked } = await start(
      {
        script: steps(reply.exec('cd build && rm -f a.txt')),
        files: { 'build/a.txt': 'x\n' },
        config: { approvalPolicy: 'on-request', sandboxMode: 'danger-full-access' },
      },
      always('approve'),
    );
    await h.agent.runTurn('delete');
    expect(asked.map((a) => a.subject)).toEqual(['cd build && rm -f a.txt']);
    expect(await exists(h, 'build/a.txt')).toBe(false);
    expect(h.problems()).toEqual([]);
  });

  it('untrusted asks before rm -f with the reason that it force-deletes', async () => {
    const { h, asked } = await start(
      { script: steps(reply.exec('rm -f a.txt')), files: { 'a.txt': 'x\n' }, config: { approvalPolicy: 'untrusted' } },
      always('deny'),
    );
    await h.agent.runTurn('delete');
    expect(asked.map((a) => [a.subject, a.reason])).toEqual([['rm -f a.txt', expect.stringMatching(/force-deletes/)]]);
    expect(toolOutputs(h)).toEqual(['exec command rejected by user']);
    expect(await exists(h, 'a.txt')).toBe(true);
    expect(h.problems()).toEqual([]);
  });

  it.each(['workspace-write', 'danger-full-access'] as const)(
    'never refuses rm -rf without asking (%s), and the turn carries on',
    async (sandboxMode) => {
      {
        const { h, asked } = await start(
          {
            script: steps(reply.exec('rm -rf build'), reply.exec('ls && sudo rm -f build/a.txt'), reply.exec('rm build/b.txt')),
            files: { 'build/a.txt': 'keep\n', 'build/b.txt': 'x\n' },
            config: { approvalPolicy: 'never', sandboxMode },
          },
          nobody,
        );
        const result = await h.agent.runTurn('clean up');

        expect(asked).toEqual([]);
        expect(eventsOf(h.events, 'approval_requested')).toEqual([]);
        const [rmrf, sudo, rm] = toolOutputs(h);
        expect(rmrf).toBe('`rm -rf build` rejected: blocked by policy');
        expect(sudo).toBe('`ls && sudo rm -f build/a.txt` rejected: blocked by policy');
        expect(rm).toMatch(/Process exited with code 0/);
        expect(eventsOf(h.events, 'tool_finished')[0]).toMatchObject({ success: false, output: rmrf });
        expect(await h.readFile('build/a.txt')).toBe('keep\n');
        expect(await exists(h, 'build/b.txt')).toBe(false);
        expect(result.reason).toBe('completed');
        expect(result.lastMessage).toBe(`saw: ${rm}`);
        expect(h.problems()).toEqual([]);
      }
    },
  );
});
