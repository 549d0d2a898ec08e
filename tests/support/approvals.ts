/**
 * Approvals through the whole loop (the harness): the "user" is an `agent.on` listener answering
 * `approval_requested` events with `respondToApproval`, exactly as the tab and the CLI do.
 */
import { afterEach } from 'vitest';
import type { ApprovalDecision, ApprovalRequest } from '../../src/core/events';
import type { ResponseItem, ToolCallItem } from '../../src/core/items';
import { reply, sequence, type Script, type Step } from '../../src/model/scripted/index';
import { ROOT, startHarness, type Harness, type HarnessOptions } from './harness';

export type Decide = (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>;

/**
 * Registers an afterEach in the calling file that closes the harness `start` made last. `start`
 * starts the harness with a user who answers every approval with `decide`, and records what was asked.
 */
export function approvalHarnessForEachTest(): (options: HarnessOptions, decide: Decide) => Promise<{ h: Harness; asked: ApprovalRequest[] }> {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  return async (options, decide) => {
    const harness = await startHarness(options);
    h = harness;
    const asked: ApprovalRequest[] = [];
    harness.agent.on((event) => {
      if (event.type !== 'approval_requested') return;
      asked.push(event.request);
      void Promise.resolve(decide(event.request)).then((d) => harness.agent.respondToApproval(event.request.id, d));
    });
    return { h: harness, asked };
  };
}

/** A user who must never be asked: any question fails the test through `asked`. */
export const nobody: Decide = () => 'deny';

export function always(decision: ApprovalDecision): Decide {
  return () => decision;
}

/** Answers in order; a question past the list is denied (and shows up in `asked`). */
export function answers(...list: ApprovalDecision[]): Decide {
  return () => list.shift() ?? 'deny';
}

export function toolOutputs(harness: Harness): string[] {
  return harness.agent.history.items
    .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
    .map((i) => (i as { output: string }).output);
}

export function toolCalls(harness: Harness): ToolCallItem[] {
  return harness.agent.history.items.filter((i: ResponseItem): i is ToolCallItem => i.type === 'function_call' || i.type === 'custom_tool_call');
}

export async function exists(harness: Harness, path: string): Promise<boolean> {
  return harness.bash.fs.exists(`${ROOT}/${path}`);
}

/** One step per round, then a final message quoting the last tool output. */
export function steps(...rounds: Step[]): Script {
  return sequence([...rounds, (ctx) => reply.text(`saw: ${ctx.lastToolOutput ?? ''}`)]);
}

export const escalated = (cmd: string, justification: string) =>
  reply.call('exec_command', { cmd, sandbox_permissions: 'require_escalated', justification });
