/** Dangerous commands (rm -f, rm -rf) through the whole loop: asked before under every policy that asks. */
import { describe, expect, it } from 'vitest';
import { reply } from '../../../src/model/scripted/index';
import { eventsOf } from '../../support/harness';
import { always, approvalHarnessForEachTest, exists, nobody, steps, toolOutputs } from '../../support/approvals';

const start = approvalHarnessForEachTest();

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
