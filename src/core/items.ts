/**
 * Responses API items as they travel in `input` and come back in `output`.
 *
 * History holds items in their wire form: exactly what is sent back to the model. Server-side
 * `id`s are dropped when an item enters history (see `toHistoryItem`), because with
 * `store:false` they point at nothing and would only make two otherwise equal prefixes differ.
 */

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
  /** Some models mark assistant messages as `commentary` (progress notes) or `final_answer`. */
  phase?: string;
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
  content?: ReasoningText[];
  encrypted_content?: string | null;
  id?: string;
}

export interface CompactionItem {
  type: 'compaction';
  encrypted_content: string;
  id?: string;
}

export type ResponseItem =
  | MessageItem
  | FunctionCallItem
  | FunctionCallOutputItem
  | CustomToolCallItem
  | CustomToolCallOutputItem
  | ReasoningItem
  | CompactionItem;

export type ToolCallItem = FunctionCallItem | CustomToolCallItem;
export type ToolOutputItem = FunctionCallOutputItem | CustomToolCallOutputItem;

export function isToolCall(item: ResponseItem): item is ToolCallItem {
  return item.type === 'function_call' || item.type === 'custom_tool_call';
}

export function isToolOutput(item: ResponseItem): item is ToolOutputItem {
  return item.type === 'function_call_output' || item.type === 'custom_tool_call_output';
}

/** The output item that answers `call`, in the matching form (function vs custom). */
export function outputFor(call: ToolCallItem, output: string): ToolOutputItem {
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

/** The text of a message's text parts joined, or '' for other items. */
export function messageText(item: ResponseItem): string {
  if (item.type !== 'message') return '';
  let out = '';
  for (const part of item.content) {
    if (part.type === 'input_text' || part.type === 'output_text') out += part.text;
    else if (part.type === 'refusal') out += part.refusal;
  }
  return out;
}

/**
 * The item as it is kept in history and resent: without server ids and statuses, with only
 * the fields the API accepts on input. Returns a fresh object; never mutates `item`.
 */
export function toHistoryItem(item: ResponseItem): ResponseItem {
  switch (item.type) {
    case 'message': {
      const out: MessageItem = {
        type: 'message',
        role: item.role,
        content: item.content.map((part) =>
          part.type === 'output_text' ? { type: 'output_text', text: part.text } : part,
        ),
      };
      if (item.phase) out.phase = item.phase;
      return out;
    }
    case 'function_call':
      return { type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments };
    case 'custom_tool_call':
      return { type: 'custom_tool_call', call_id: item.call_id, name: item.name, input: item.input };
    case 'reasoning': {
      // Raw reasoning text is never sent back; the encrypted form carries it across requests.
      const out: ReasoningItem = { type: 'reasoning', summary: item.summary.map((s) => ({ ...s })) };
      if (item.encrypted_content) out.encrypted_content = item.encrypted_content;
      return out;
    }
    case 'compaction':
      return { type: 'compaction', encrypted_content: item.encrypted_content };
    default:
      return { ...item };
  }
}
