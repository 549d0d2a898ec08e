/**
 * Everything the engine reports, as one discriminated union on `type` (snake_case).
 * Listeners fold these into state; none of them can change what the loop does, except by
 * answering an `approval_requested` through `Agent.respondToApproval`.
 */
import type { ResponseItem, ToolCallItem } from './items';
import type { ModelErrorKind, ResponsesRequest, UnsupportedFeature, Usage } from './ports';
import type { TokenStatus } from './tokens';
import type { PlanStep } from './tools/update-plan';
import type { UserInputAnswers, UserInputQuestion } from './tools/request-user-input';

export type ToolsChangeReason = 'start' | 'compaction' | 'applied';

export type ApprovalDecision = 'approve' | 'approve_for_session' | 'deny';

export interface ApprovalRequest {
  id: string;
  call_id: string;
  kind: 'exec' | 'patch' | 'mcp';
  /** The exact command (exec), patch text (patch) or MCP tool and arguments (mcp) the user is asked about. */
  subject: string;
  cwd: string;
  /** Why approval is needed, or the model's justification. */
  reason: string;
}

export interface TurnUsage extends Usage {
  requests: number;
}

export type TurnEndReason = 'completed' | 'aborted' | 'failed';

/** `auto`: the estimate passed the limit; `overflow`: the server said the request was too long. */
export type CompactionReason = 'auto' | 'manual' | 'overflow';
/** `remote`: POST /responses/compact; `local`: a hand-off note written by the model. */
export type CompactionMode = 'remote' | 'local';

/** What step-through mode pauses before: the exact request, or one tool call. */
export type StepTarget = { kind: 'request'; round: number; request: ResponsesRequest } | { kind: 'tool'; call: ToolCallItem };
export type StepDecision = 'continue' | 'stop';

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
  /**
   * Prompt-cache figures of a completed round. `request_bytes`: the request's size as sent
   * (`requestBytes`); `prefix_bytes`: the bytes that repeat the previous request exactly from
   * its start, compared as a cache reads requests (model, tools, then input); the tokens are
   * the server's usage.
   */
  | { type: 'request_stats'; round: number; request_bytes: number; prefix_bytes: number; input_tokens: number; cached_tokens: number }
  /** The context meter after each response, compaction and turn start. */
  | ({ type: 'token_status' } & TokenStatus)
  /** History is about to be compacted; nothing has changed yet. */
  | { type: 'compaction_started'; reason: CompactionReason; mode: CompactionMode; tokens_before: number; items_before: number }
  /**
   * History was replaced by `history` (context prefix first). The one event after which
   * earlier `item_appended` indexes no longer apply: a persisted log must be rewritten with
   * `history`. `history_before` is the list that was replaced. `mode` is the one used, which
   * differs from `compaction_started`'s when the server had no compact endpoint. A turn's
   * usage includes its automatic compactions'.
   */
  | {
      type: 'compaction_finished';
      reason: CompactionReason;
      mode: CompactionMode;
      items_before: number;
      items_after: number;
      tokens_before: number;
      tokens_after: number;
      history: readonly ResponseItem[];
      history_before: readonly ResponseItem[];
      /** What the compaction's own requests cost, when the server reported it. */
      usage?: Usage;
    }
  /** The compaction did not happen (kind `aborted` when interrupted); history is unchanged. */
  | { type: 'compaction_failed'; reason: CompactionReason; mode: CompactionMode; error: ErrorInfo }
  /** The round's partial output is void: the request is sent again after `delay_ms`. */
  | { type: 'round_retry'; round: number; attempt: number; delay_ms: number; error: ErrorInfo }
  /**
   * The server refused a request feature (see `UnsupportedFeature`): it is left out from now on
   * in this conversation, and the round is sent again without it.
   */
  | { type: 'capability_dropped'; round: number; feature: UnsupportedFeature; error: ErrorInfo }
  | { type: 'tool_started'; call: ToolCallItem; name: string }
  | { type: 'tool_output_delta'; call_id: string; chunk: string }
  | { type: 'tool_finished'; call_id: string; output: string; success: boolean; duration_ms: number; exit_code?: number }
  | { type: 'approval_requested'; request: ApprovalRequest }
  | { type: 'approval_resolved'; request_id: string; decision: ApprovalDecision }
  /** `request_user_input`: the loop waits for `Agent.answerUser(id, …)`. */
  | { type: 'user_input_requested'; id: string; call_id: string; questions: UserInputQuestion[] }
  | { type: 'user_input_answered'; id: string; answers: UserInputAnswers }
  /**
   * The conversation's tool list changed (`reason`): at its start, after a compaction, or when
   * the person applied a changed MCP list. `hash` fingerprints the specs as sent.
   */
  | { type: 'tools_changed'; reason: ToolsChangeReason; hash: string; names: string[] }
  | { type: 'plan_updated'; explanation?: string; plan: PlanStep[] }
  /** Step-through mode: the loop waits for `Agent.resumeStep(id, …)` before doing `target`. */
  | { type: 'step_paused'; id: string; target: StepTarget }
  | { type: 'step_resumed'; id: string; decision: StepDecision }
  | { type: 'turn_ended'; turn_id: string; reason: TurnEndReason; usage: TurnUsage; last_message?: string; error?: ErrorInfo };

export interface ErrorInfo {
  kind: ModelErrorKind | 'internal';
  message: string;
  status?: number;
  code?: string;
  /** The error body as the server sent it (truncated, credentials taken out). */
  body?: string;
}

export type AgentEventType = AgentEvent['type'];
export type AgentEventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;
