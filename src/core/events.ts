/**
 * Everything the engine reports, as one discriminated union on `type` (snake_case).
 * Listeners fold these into state; none of them can change what the loop does, except by
 * answering an `approval_requested` through `Agent.respondToApproval`.
 */
import type { ResponseItem, ToolCallItem } from './items';
import type { ModelErrorKind, ResponsesRequest, Usage } from './ports';
import type { PlanStep } from './tools/update-plan';

export type ApprovalDecision = 'approve' | 'approve_for_session' | 'deny';

export interface ApprovalRequest {
  id: string;
  call_id: string;
  kind: 'exec' | 'patch';
  /** The exact command (exec) or patch text (patch) the user is asked about. */
  subject: string;
  cwd: string;
  /** Why approval is needed, or the model's justification. */
  reason: string;
}

export interface TurnUsage extends Usage {
  requests: number;
}

export type TurnEndReason = 'completed' | 'aborted' | 'failed';

export type AgentEvent =
  | { type: 'turn_started'; turn_id: string; input: ResponseItem[] }
  /** An item entered history (user input, context message, model output, tool output). */
  | { type: 'item_appended'; item: ResponseItem; index: number }
  /** `request` is the exact body sent; treat it as read-only. */
  | { type: 'request_started'; round: number; attempt: number; request: ResponsesRequest }
  | { type: 'response_created'; round: number; response_id: string }
  | { type: 'output_item_added'; round: number; output_index: number; item: ResponseItem }
  | { type: 'text_delta'; round: number; output_index: number; delta: string }
  | { type: 'reasoning_summary_delta'; round: number; output_index: number; summary_index: number; delta: string }
  | { type: 'tool_input_delta'; round: number; output_index: number; delta: string }
  | { type: 'output_item_done'; round: number; output_index: number; item: ResponseItem }
  | { type: 'response_completed'; round: number; response_id: string; usage: Usage }
  /** The round's partial output is void: the request is sent again after `delay_ms`. */
  | { type: 'round_retry'; round: number; attempt: number; delay_ms: number; error: ErrorInfo }
  | { type: 'tool_started'; call: ToolCallItem; name: string }
  | { type: 'tool_output_delta'; call_id: string; chunk: string }
  | { type: 'tool_finished'; call_id: string; output: string; success: boolean; duration_ms: number; exit_code?: number }
  | { type: 'approval_requested'; request: ApprovalRequest }
  | { type: 'approval_resolved'; request_id: string; decision: ApprovalDecision }
  | { type: 'plan_updated'; explanation?: string; plan: PlanStep[] }
  | { type: 'turn_ended'; turn_id: string; reason: TurnEndReason; usage: TurnUsage; last_message?: string; error?: ErrorInfo };

export interface ErrorInfo {
  kind: ModelErrorKind | 'internal';
  message: string;
  status?: number;
  code?: string;
}

export type AgentEventType = AgentEvent['type'];
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
