/**
 * The inspector's data: what the Inspector pane renders. Plain values built by
 * `InspectorTimeline`; a round's body, parts and output are `null` once trimmed (see
 * `InspectorOptions.maxBodies`), everything else is a summary that is always kept.
 */
import type { ApprovalDecision, CompactionMode, CompactionReason, ErrorInfo, TurnEndReason, TurnUsage } from '../../core/events';
import type { ResponseItem } from '../../core/items';
import type { ResponsesRequest, Usage } from '../../core/ports';

/** Colour classes: one per top-level part of a request body and per role/type of input item. */
export type PartKind =
  'instructions' | 'tools' | 'developer' | 'system' | 'user' | 'assistant' | 'reasoning' | 'tool_call' | 'tool_output' | 'compaction' | 'other';

/**
 * Relative to the previous request as a cache reads it (`cacheText`): `prefix` lies wholly in
 * the part repeated exactly from the previous request's start, `new` wholly after it,
 * `partial` straddles the point where the two requests diverge.
 */
export type CacheMark = 'prefix' | 'new' | 'partial';

/** How an item or a top-level field is named in lists ('user message', 'function_call exec_command'). */
export interface ItemLabel {
  label: string;
  kind: PartKind;
  /** UTF-8 bytes of the item's JSON. */
  bytes: number;
  /** A short one-line excerpt (text, command, output); may be ''. */
  preview: string;
}

export interface RequestPart extends ItemLabel {
  /** Where the part is in the body: `instructions`, `tools`, or `input[index]`. */
  field: 'instructions' | 'tools' | 'input';
  /** The position in `input` (input parts only). */
  index?: number;
  cached: CacheMark;
}

export interface RoundRequest {
  /** The exact body sent, deep-copied and frozen (items are shared between rounds); `null` once trimmed. */
  body: ResponsesRequest | null;
  /** Display parts in body order: instructions, tools, then each input item; `null` once trimmed. */
  parts: RequestPart[] | null;
  /**
   * The request's size: UTF-8 bytes of the JSON body as sent (`requestBytes`, the one
   * definition every size label uses); `null` for a round rebuilt from a stored conversation,
   * whose body as sent (model, tools, settings) was not stored.
   */
  bytes: number | null;
  /**
   * Of those, the bytes repeating the previous request exactly from its start, compared as a
   * prompt cache reads requests (`cacheText`: static fields first); 0 when nothing is compared.
   */
  prefixBytes: number;
  /** Whether there was a previous request to compare with (not the first, nor the first after rebuilt rounds). */
  compared: boolean;
  /** Estimated tokens of `bytes` (bytes / 4); `null` with it. */
  estTokens: number | null;
  /** Number of `input` items. */
  items: number;
}

/**
 * Where a round rebuilt from a stored conversation comes from: a replay, or the rounds of a
 * reopened session from before the reload. Its input and output items are as stored; what
 * was never stored (the body as sent, its size, timings, the stream's events, per-request
 * usage) is left unknown.
 */
export type RebuiltFrom = 'replay' | 'restored';

/** One entry of a response's event log; consecutive deltas of one output item are collapsed. */
export interface ResponseEventEntry {
  type: ResponseEventType;
  /** Ms since the request started (the current attempt's `request_started`). */
  t: number;
  /** Ms since the request started of the last event in a collapsed run (= `t` for one event). */
  tEnd: number;
  /** Events in the run (1 unless a collapsed run of deltas). */
  count: number;
  /** Characters of the deltas in the run (0 for non-delta events). */
  chars: number;
  outputIndex?: number;
  /** The item's label for `output_item_added`/`output_item_done`, the id for `response_created`. */
  detail?: string;
}

export type ResponseEventType =
  | 'response_created'
  | 'output_item_added'
  | 'text_delta'
  | 'reasoning_summary_delta'
  | 'tool_input_delta'
  | 'output_item_done'
  | 'response_completed';

/** `streaming` until `response_completed`; `aborted`/`failed` when the turn ended before it. */
export type ResponseStatus = 'streaming' | 'completed' | 'aborted' | 'failed';

export interface RoundResponse {
  status: ResponseStatus;
  responseId: string | null;
  events: ResponseEventEntry[];
  /** The finished output items as the server sent them (ids included); `null` once trimmed. */
  output: ResponseItem[] | null;
  /** Ms from the request to the first text, reasoning-summary or tool-input delta. */
  ttftMs: number | null;
  /** Ms from the request to `response_completed`. */
  durationMs: number | null;
  outputTokens: number | null;
  /** Output tokens per second from the first delta to completion (whole duration without deltas). */
  tokensPerSecond: number | null;
  /** The server's usage, `cached_tokens` included. */
  usage: Usage | null;
}

/** An attempt of the round that failed and was sent again. */
export interface RetryNote {
  attempt: number;
  /** Ms since that attempt's request started. */
  t: number;
  delayMs: number;
  error: ErrorInfo;
  /** Response events the void attempt had received. */
  events: number;
}

export interface ToolRun {
  callId: string;
  name: string;
  /** The command for exec_command, the files for apply_patch, else a short summary. */
  title: string;
  /** Ms since the round's request started. */
  startMs: number;
  /** `null` while running. */
  durationMs: number | null;
  exitCode: number | null;
  success: boolean | null;
  /** Characters of streamed output. */
  outputChars: number;
  approval?: ApprovalDecision;
}

export type CompactionStatus = 'running' | 'finished' | 'failed';

export interface CompactionRecord {
  reason: CompactionReason;
  mode: CompactionMode;
  status: CompactionStatus;
  /** The app clock's time at `compaction_started`. */
  startedAt: number;
  durationMs: number | null;
  /** Rounds recorded before it: it sits between `rounds[atRound - 1]` and `rounds[atRound]`. */
  atRound: number;
  turnId: string | null;
  tokensBefore: number;
  tokensAfter: number | null;
  before: ItemLabel[];
  /** `kept`: the item was in the list before, unchanged. */
  after: Array<ItemLabel & { kept: boolean }>;
  usage: Usage | null;
  error: ErrorInfo | null;
}

export interface Round {
  /** Position in the session's timeline (0-based, stable). */
  index: number;
  turnId: string | null;
  /** The engine's round number inside its turn (1-based). */
  turnRound: number;
  /** Attempts sent (1 unless retried). */
  attempts: number;
  retries: RetryNote[];
  /** The app clock's time at the current attempt's `request_started`. */
  startedAt: number;
  request: RoundRequest;
  response: RoundResponse;
  /** Tool executions the round's calls started, in start order. */
  tools: ToolRun[];
  /** The compaction that ran just before this request (why its prefix broke). */
  compaction?: CompactionRecord;
  /** Set when the round was rebuilt from a stored conversation rather than seen being sent. */
  rebuilt?: RebuiltFrom;
}

export interface TurnRecord {
  id: string;
  startedAt: number;
  endedAt: number | null;
  /** Index of the turn's first round (= rounds before it). */
  firstRound: number;
  /** Rounds of the turn so far. */
  rounds: number;
  reason: TurnEndReason | null;
  usage: TurnUsage | null;
  /** The user's text. */
  input: string;
}
