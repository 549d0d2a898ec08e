/**
 * The tool-call step of a round: in step-through mode each call waits for the person first,
 * then the calls are dispatched, each with the context its tool gets (sandbox, approvals,
 * questions to the person), and their outputs appended in order.
 */
import type { ApprovalDesk } from './approvals';
import type { SessionConfig } from './config';
import type { AgentEvent } from './events';
import type { History } from './history';
import { isToolCall, type ResponseItem } from './items';
import type { Clock, SandboxPort } from './ports';
import type { Stepper } from './stepper';
import type { AgentTools } from './tool-set';
import { dispatchToolCalls } from './tools/dispatch';
import type { ProcessManager } from './tools/process-manager';
import type { UserInputAnswers } from './tools/request-user-input';
import type { ToolContext } from './tools/types';
import type { WaitingDesk } from './waiting-desk';

/** What running tool calls needs from the agent. */
export interface ToolCallHost {
  readonly history: History;
  readonly tools: AgentTools;
  readonly stepper: Stepper;
  readonly sandbox: SandboxPort;
  readonly processes: ProcessManager;
  readonly approvals: ApprovalDesk;
  readonly questions: WaitingDesk<UserInputAnswers>;
  readonly clock: Clock;
  config(): SessionConfig;
  emit(event: AgentEvent): void;
}

/**
 * Runs `calls` (a response's items that name calls; every one gets an output). Resolves false
 * when the turn is to stop: the person stopped at a step, or `signal` aborted.
 */
export async function runToolCalls(host: ToolCallHost, calls: readonly ResponseItem[], signal: AbortSignal): Promise<boolean> {
  for (const call of calls.filter(isToolCall)) {
    if ((await host.stepper.gate({ kind: 'tool', call }, signal)) === 'stop') return false;
  }
  await dispatchToolCalls(calls, {
    tools: host.tools.set.map,
    parallel: host.config().parallelToolCalls,
    signal,
    contextFor: (call) => toolContext(host, call.call_id, signal),
    append: (item) => host.history.append(item),
    emit: (e) => host.emit(e),
    now: () => host.clock.now(),
  });
  return !signal.aborted;
}

function toolContext(host: ToolCallHost, callId: string, signal: AbortSignal): ToolContext {
  const config = host.config();
  return {
    sandbox: host.sandbox,
    cwd: config.cwd,
    approvalPolicy: config.approvalPolicy,
    sandboxMode: config.sandboxMode,
    callId,
    signal,
    clock: host.clock,
    processes: host.processes,
    emit: (e) => host.emit(e),
    requestApproval: (request) => host.approvals.ask(callId, request, signal),
    askUser: (questions) => host.questions.ask(signal, (id) => host.emit({ type: 'user_input_requested', id, call_id: callId, questions })),
  };
}
