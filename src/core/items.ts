/**
 * Responses API items as they travel in `input` and come back in `output`.
 *
 * History holds items in their wire form: exactly what is sent back to the model. An item is
 * either understood or kept as it came (see `toHistoryItem`):
 * - an item these types describe completely (a known `type`, every field it promises of the
 *   right kind, every content part a known one) is reduced to the fields the API takes on
 *   input. Server `id`s go, as Codex drops them: with `store:false` they point at nothing and
 *   would only make two otherwise equal prefixes differ (REFERENCE §2); so do output-only
 *   fields (`status`, annotations);
 * - anything else (an unknown item type, a message with a part of an unknown type, a known
 *   type with a field missing or of another kind) is an `OtherItem`: kept and resent exactly
 *   as received, ids included, because which of its fields the server needs is unknown.
 *   (Codex drops unknown item types; here nothing a server sent is dropped.)
 *
 * `ResponseItem` is only the understood union, so narrowing on `type` stays exact; lists typed
 * `ResponseItem[]` may still hold OtherItems at run time. Code reading more than `type` of an
 * item it did not build itself asks `isOtherItem` first.
 */
import { copyJson } from './json-copy';

export type Role = 'user' | 'developer' | 'system' | 'assistant';

export interface InputText {
  type: 'input_text';
  text: string;
}
export interface InputImage {
  type: 'input_image';
  image_url: string;
  detail?: 'auto' | 'low' | 'high';
}
export interface OutputText {
  type: 'output_text';
  text: string;
  annotations?: unknown[];
}
export interface Refusal {
  type: 'refusal';
  refusal: string;
}
export type ContentPart = InputText | InputImage | OutputText | Refusal;

export interface MessageItem {
  type: 'message';
  role: Role;
  content: ContentPart[];
  id?: string;
  status?: string;
  /**
   * Some models mark assistant messages as `commentary` (progress notes) or `final_answer`.
   * Some servers send `null`; history keeps it only when set.
   */
  phase?: string | null;
}

export interface FunctionCallItem {
  type: 'function_call';
  call_id: string;
  name: string;
  /** JSON text as the model produced it; may be malformed. */
  arguments: string;
  id?: string;
  status?: string;
}

export interface FunctionCallOutputItem {
  type: 'function_call_output';
  call_id: string;
  output: string;
}

export interface CustomToolCallItem {
  type: 'custom_tool_call';
  call_id: string;
  name: string;
  /** Free text (for apply_patch: the patch). */
  input: string;
  id?: string;
  status?: string;
}

export interface CustomToolCallOutputItem {
  type: 'custom_tool_call_output';
  call_id: string;
  output: string;
}

export interface SummaryText {
  type: 'summary_text';
  text: string;
}
export interface ReasoningText {
  type: 'reasoning_text';
  text: string;
}

export interface ReasoningItem {
  type: 'reasoning';
  summary: SummaryText[];
  /** Raw reasoning text; `null` from some servers. */
  content?: ReasoningText[] | null;
  encrypted_content?: string | null;
  id?: string;
}

export interface CompactionItem {
  type: 'compaction';
  encrypted_content: string;
  id?: string;
}

export type ResponseItem =
  MessageItem | FunctionCallItem | FunctionCallOutputItem | CustomToolCallItem | CustomToolCallOutputItem | ReasoningItem | CompactionItem;

/**
 * An item the types above do not describe completely: plain JSON data kept as received. Not
 * a member of `ResponseItem`; it travels in `ResponseItem` lists (see the module
 * comment) and is told apart by `isOtherItem`.
 */
export interface OtherItem {
  readonly type?: unknown;
  readonly [field: string]: unknown;
}

export type ToolCallItem = FunctionCallItem | CustomToolCallItem;
export type ToolOutputItem = FunctionCallOutputItem | CustomToolCallOutputItem;

/** The call an item stands for when the server expects an output for it, understood or not. */
export interface CallRef {
  type: 'function_call' | 'custom_tool_call';
  call_id: string;
}

const ROLES: ReadonlySet<unknown> = new Set<Role>(['user', 'developer', 'system', 'assistant']);
const IMAGE_DETAILS: ReadonlySet<unknown> = new Set(['auto', 'low', 'high']);

/** Whether `item` is not one `ResponseItem` describes completely: it is kept verbatim. */
export function isOtherItem(item: ResponseItem | OtherItem): item is OtherItem {
  return !isUnderstood(item as Record<string, unknown>);
}

/** A well-formed function or custom tool call (an `OtherItem` call is not one; see `callRef`). */
export function isToolCall(item: ResponseItem): item is ToolCallItem {
  return (item.type === 'function_call' || item.type === 'custom_tool_call') && !isOtherItem(item);
}

export function isToolOutput(item: ResponseItem): item is ToolOutputItem {
  return (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') && !isOtherItem(item);
}

/**
 * The call `item` makes, if it is a call with a text `call_id`, whatever else it lacks: the
 * server expects exactly one output for it, so pairing counts it even when it cannot be run.
 */
export function callRef(item: ResponseItem | OtherItem): CallRef | undefined {
  const { type, call_id } = item as Record<string, unknown>;
  return (type === 'function_call' || type === 'custom_tool_call') && typeof call_id === 'string' ? { type, call_id } : undefined;
}

/** The call id an output answers, if `item` is a tool output with a text `call_id`. */
export function answeredCallId(item: ResponseItem | OtherItem): string | undefined {
  const { type, call_id } = item as Record<string, unknown>;
  return (type === 'function_call_output' || type === 'custom_tool_call_output') && typeof call_id === 'string' ? call_id : undefined;
}

/** The output item that answers `call`, in the matching form (function vs custom). */
export function outputFor(call: CallRef, output: string): ToolOutputItem {
  return call.type === 'function_call'
    ? { type: 'function_call_output', call_id: call.call_id, output }
    : { type: 'custom_tool_call_output', call_id: call.call_id, output };
}

export function userMessage(text: string): MessageItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

export function developerMessage(...texts: string[]): MessageItem {
  return {
    type: 'message',
    role: 'developer',
    content: texts.map((text) => ({ type: 'input_text', text })),
  };
}

/** An item's `type` for display: the text as sent, or a stand-in when it has none. */
export function itemTypeName(item: ResponseItem | OtherItem): string {
  return typeof item.type === 'string' && item.type !== '' ? item.type : 'without a type';
}

/** Whether `part` is a content part `ContentPart` describes completely (else it is kept verbatim). */
export function isKnownPart(part: unknown): boolean {
  if (!isRecord(part)) return false;
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return isText(part.text);
    case 'input_image':
      return isText(part.image_url) && (part.detail === undefined || IMAGE_DETAILS.has(part.detail));
    case 'refusal':
      return isText(part.refusal);
    default:
      return false;
  }
}

/**
 * The text of a message's text and refusal parts joined, or '' for other items. A message
 * kept verbatim gives the text of the parts that read as text; its other parts add nothing.
 */
export function messageText(item: ResponseItem | OtherItem): string {
  if (item.type !== 'message' || !Array.isArray(item.content)) return '';
  let out = '';
  for (const part of item.content as unknown[]) {
    if (!isRecord(part)) continue;
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string') out += part.text;
    else if (part.type === 'refusal' && typeof part.refusal === 'string') out += part.refusal;
  }
  return out;
}

/**
 * The item as it is kept in history and resent (see the module comment): an understood item
 * rebuilt from the fields the API takes on input, anything else a verbatim deep copy (plain
 * JSON, no `__proto__` keys). Returns a fresh object; never mutates `item`. Safe on any object.
 */
export function toHistoryItem(item: ResponseItem | OtherItem): ResponseItem {
  if (isOtherItem(item)) return copyJson(item) as unknown as ResponseItem;
  switch (item.type) {
    case 'message': {
      const out: MessageItem = { type: 'message', role: item.role, content: item.content.map(partForHistory) };
      if (item.phase) out.phase = item.phase;
      return out;
    }
    case 'function_call':
      return { type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments };
    case 'custom_tool_call':
      return { type: 'custom_tool_call', call_id: item.call_id, name: item.name, input: item.input };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { type: item.type, call_id: item.call_id, output: item.output };
    case 'reasoning': {
      const out: ReasoningItem = { type: 'reasoning', summary: item.summary.map((s) => ({ type: 'summary_text', text: s.text })) };
      // Raw reasoning text goes back too (as Codex sends it): models without an encrypted
      // form (open-weight ones behind Ollama, LM Studio) read their reasoning from it.
      if (item.content) out.content = item.content.map((c) => ({ type: 'reasoning_text', text: c.text }));
      if (item.encrypted_content) out.encrypted_content = item.encrypted_content;
      return out;
    }
    case 'compaction':
      return { type: 'compaction', encrypted_content: item.encrypted_content };
  }
}

function partForHistory(part: ContentPart): ContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: part.type, text: part.text };
    case 'input_image':
      return { type: 'input_image', image_url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) };
    case 'refusal':
      return { type: 'refusal', refusal: part.refusal };
  }
}

/** Whether `item` has a known type and every field its interface promises, of the right kind. */
function isUnderstood(item: Record<string, unknown>): boolean {
  if (!isRecord(item)) return false;
  switch (item.type) {
    case 'message':
      return ROLES.has(item.role) && Array.isArray(item.content) && item.content.every(isKnownPart) && optionalText(item.phase);
    case 'function_call':
      return isText(item.call_id) && isText(item.name) && isText(item.arguments);
    case 'custom_tool_call':
      return isText(item.call_id) && isText(item.name) && isText(item.input);
    case 'function_call_output':
    case 'custom_tool_call_output':
      return isText(item.call_id) && isText(item.output);
    case 'reasoning':
      return (
        Array.isArray(item.summary) &&
        item.summary.every((s) => isTextPart(s, 'summary_text')) &&
        (item.content === undefined ||
          item.content === null ||
          (Array.isArray(item.content) && item.content.every((c) => isTextPart(c, 'reasoning_text')))) &&
        optionalText(item.encrypted_content)
      );
    case 'compaction':
      return isText(item.encrypted_content);
    default:
      return false;
  }
}

function isTextPart(value: unknown, type: string): boolean {
  return isRecord(value) && value.type === type && isText(value.text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

/** Absent, null or text: how optional text fields arrive from servers. */
function optionalText(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}
