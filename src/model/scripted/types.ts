/**
 * The vocabulary of scripted models: a `Script` looks at one request and answers with a
 * `Reply`, an ordered list of output parts that the encoder turns into a real SSE stream.
 */
import type { ResponseItem } from '../../core/items';
import type { ResponsesRequest } from '../../core/ports';

/** Visible reasoning. `summary` parts become `summary_text` entries (one per string). */
export interface ReasoningPart {
  type: 'reasoning';
  summary: string | readonly string[];
  /** Sent as `encrypted_content` when the request includes it; derived from the summary if absent. */
  encrypted?: string;
}

export interface MessagePart {
  type: 'message';
  text: string;
  /** `commentary` for progress notes between tool calls, `final_answer` for the turn's answer. */
  phase?: string;
}

export interface FunctionCallPart {
  type: 'function_call';
  name: string;
  /** A string is sent verbatim (it may be malformed on purpose); an object is JSON-encoded. */
  arguments: string | Record<string, unknown>;
  /** Fixed `call_id`; by default one is derived from the request, so it is stable and unique. */
  callId?: string;
}

export interface CustomToolCallPart {
  type: 'custom_tool_call';
  name: string;
  input: string;
  callId?: string;
}

/**
 * An output item sent exactly as given, in `output_item.added` and `.done` (no deltas): for
 * items a client may not understand (a hosted tool's call, a part of a new type, a field left
 * out). Its `id`, if any, is the one given.
 */
export interface RawItemPart {
  type: 'raw_item';
  item: Readonly<Record<string, unknown>>;
}

/** Ends the response with `response.failed`; parts after it are ignored. */
export interface FailPart {
  type: 'fail';
  code: string;
  message: string;
}

/** Ends the response with `response.incomplete`; parts after it are ignored. */
export interface IncompletePart {
  type: 'incomplete';
  reason: string;
}

export type OutputPart = ReasoningPart | MessagePart | FunctionCallPart | CustomToolCallPart | RawItemPart;
export type ReplyPart = OutputPart | FailPart | IncompletePart;
export type Reply = readonly ReplyPart[];

/** What a script may return: a whole reply or a single part. */
export type ScriptResult = Reply | ReplyPart;

/** Everything a script may want to know about the request it answers. */
export interface ScriptContext {
  /** The parsed request body. */
  readonly request: ResponsesRequest;
  /** 0-based count of requests this model has answered before this one. */
  readonly requestNumber: number;
  readonly input: readonly ResponseItem[];
  readonly lastItem: ResponseItem | undefined;
  /**
   * Text of the last message the user typed: user messages holding only context
   * (`<environment_context>`, AGENTS.md, `<turn_aborted>`) are skipped. '' when there is none.
   */
  readonly lastUserText: string;
  /** Output text of the last tool output item, if the input ends with tool outputs. */
  readonly lastToolOutput: string | undefined;
  /** Output texts of every tool output since the last user message, oldest first. */
  readonly toolOutputs: readonly string[];
  /**
   * How many model rounds already happened since the last user message: 0 for the first
   * request of a turn, 1 after one batch of tool calls came back, and so on.
   */
  readonly round: number;
  /** Whether `apply_patch` is offered as a freeform custom tool (else it is a function). */
  readonly customTools: boolean;
  /** `<cwd>` of the last environment context, if any. */
  readonly cwd: string | undefined;
  /** Instructions, developer messages and context messages joined: for capability hints. */
  readonly contextText: string;
  hasTool(name: string): boolean;
}

export type Script = (ctx: ScriptContext) => ScriptResult | Promise<ScriptResult>;

/** One step of a `sequence`: a fixed answer or a script computing it. */
export type Step = ScriptResult | Script;

/** A conditional reaction: `undefined` means "does not apply, ask the next rule". */
export type Rule = (ctx: ScriptContext) => Step | undefined;
