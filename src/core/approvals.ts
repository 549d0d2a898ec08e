/**
 * Approvals: whether a shell command may run, must be asked about, or is refused under the
 * session's policy (`execApprovalRequirement`), and the requests waiting for the user
 * (`ApprovalDesk`): each is reported as `approval_requested` and settled by `respond`
 * (reported as `approval_resolved`) or rejected by an interrupt.
 */
import type { ApprovalPolicy, SandboxMode } from './config';
import type { AgentEvent, ApprovalDecision, ApprovalRequest } from './events';
import { WaitingDesk } from './waiting-desk';
import { commandMightBeDangerous } from './tools/dangerous-commands';
import { isKnownSafe } from './tools/safe-commands';

/**
 * What the policy asks of one command, named after Codex's `ExecApprovalRequirement`:
 * `needs_approval` carries the reason shown to the user; `forbidden` the whole output the
 * model gets instead of running the command.
 */
export type ExecApprovalRequirement = { kind: 'skip' } | { kind: 'needs_approval'; reason: string } | { kind: 'forbidden'; reason: string };

export interface ExecApprovalInput {
  cmd: string;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  sandboxPermissions: 'use_default' | 'require_escalated';
  justification?: string | undefined;
}

export const UNTRUSTED_REASON = 'Only known read-only commands run without approval under the "untrusted" policy.';
export const DANGEROUS_REASON = 'This command force-deletes files (rm -f): it always needs approval.';
export const READ_ONLY_REASON = 'The sandbox is read-only and this command may change files.';
export const NEVER_READ_ONLY_REFUSAL =
  'exec command refused: the sandbox is read-only and commands are never sent for approval, ' +
  'so only read-only commands (ls, cat, grep, rg, find, git status/diff/log, sed -n …) can run.';

/**
 * The approval policy applied to one command line, as Codex decides it: known-safe commands
 * run unasked under `untrusted`; a dangerous one (`rm -f`, see dangerous-commands.ts) asks
 * under `on-request` and `untrusted` in every sandbox mode and is refused under `never`,
 * with Codex's wording. The app has no OS sandbox to enforce `read-only`, so there it asks
 * (or, under `never`, refuses) instead of letting a writing command fail.
 */
export function execApprovalRequirement(input: ExecApprovalInput): ExecApprovalRequirement {
  const { cmd, approvalPolicy } = input;
  const escalated = input.sandboxPermissions === 'require_escalated';
  const readOnly = input.sandboxMode === 'read-only';
  const ask = (reason: string): ExecApprovalRequirement => ({
    kind: 'needs_approval',
    reason: escalated ? escalationReason(input.justification) : reason,
  });

  if (commandMightBeDangerous(cmd)) {
    return approvalPolicy === 'never' ? { kind: 'forbidden', reason: `\`${cmd}\` rejected: blocked by policy` } : ask(DANGEROUS_REASON);
  }
  const safe = isKnownSafe(cmd);
  switch (approvalPolicy) {
    case 'never':
      return readOnly && !safe ? { kind: 'forbidden', reason: NEVER_READ_ONLY_REFUSAL } : { kind: 'skip' };
    case 'untrusted':
      return escalated || !safe ? ask(UNTRUSTED_REASON) : { kind: 'skip' };
    case 'on-request':
      return escalated || (readOnly && !safe) ? ask(READ_ONLY_REASON) : { kind: 'skip' };
  }
}

function escalationReason(justification: string | undefined): string {
  return justification?.trim() || 'The model asked to run this command with escalated permissions.';
}

export class ApprovalDesk {
  readonly #emit: (event: AgentEvent) => void;
  readonly #desk = new WaitingDesk<ApprovalDecision>('approval');

  constructor(emit: (event: AgentEvent) => void) {
    this.#emit = emit;
  }

  ask(callId: string, request: Omit<ApprovalRequest, 'id' | 'call_id'>, signal: AbortSignal): Promise<ApprovalDecision> {
    return this.#desk.ask(signal, (id) => this.#emit({ type: 'approval_requested', request: { ...request, id, call_id: callId } }));
  }

  /** Unknown ids are ignored. */
  respond(requestId: string, decision: ApprovalDecision): void {
    // Reported first, so listeners see the decision before the call goes on.
    if (!this.#desk.has(requestId)) return;
    this.#emit({ type: 'approval_resolved', request_id: requestId, decision });
    this.#desk.respond(requestId, decision);
  }

  /** Every open request fails (the turn is over). */
  rejectAll(): void {
    this.#desk.rejectAll();
  }
}
