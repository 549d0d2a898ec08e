/** Names, colour kinds and one-line previews of request parts, input items and tool calls. */
import { isSearchCall } from '../search-entries';
import { isOtherItem, itemTypeName, messageText, type ResponseItem, type ToolCallItem } from '../../core/items';
import { describeCall } from '../../core/tools/describe';
import { describeWebSearch } from '../../core/tools/web-search';
import type { ResponsesRequest } from '../../core/ports';
import { requestBytes } from '../../core/request-size';
import { utf8Length } from '../../core/tokens';
import type { ItemLabel, PartKind } from './types';

const PREVIEW_CHARS = 80;

/** "9.1 KB": a size as every label shows it. */
export function formatKB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** A request's size as sent (`requestBytes`, the one definition), as a label. */
export function requestSizeLabel(request: ResponsesRequest): string {
  return formatKB(requestBytes(request));
}

export function itemLabel(item: ResponseItem): ItemLabel {
  const bytes = utf8Length(JSON.stringify(item) ?? '');
  // Kept as received (see `isOtherItem`): only its type is known to be there.
  if (isOtherItem(item) && isSearchCall(item))
    return { label: 'web_search_call (hosted)', kind: 'tool_call', bytes, preview: preview(describeWebSearch(item.action).summary) };
  if (isOtherItem(item)) return { label: `${itemTypeName(item)} (unknown)`, kind: 'other', bytes, preview: preview(messageText(item)) };
  switch (item.type) {
    case 'message':
      return { label: `${item.role} message`, kind: roleKind(item.role), bytes, preview: preview(messageText(item)) };
    case 'function_call':
    case 'custom_tool_call':
      return { label: `${item.type} ${item.name}`, kind: 'tool_call', bytes, preview: toolTitle(item) };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { label: item.type, kind: 'tool_output', bytes, preview: preview(item.output) };
    case 'reasoning':
      return { label: 'reasoning', kind: 'reasoning', bytes, preview: preview(item.summary.map((s) => s.text).join(' ')) };
    case 'compaction':
      return { label: 'compaction', kind: 'compaction', bytes, preview: '' };
    default:
      return { label: String((item as { type?: unknown }).type ?? 'item'), kind: 'other', bytes, preview: '' };
  }
}

/**
 * What an output item says, in full (capped at `max` characters): a message's text, a
 * reasoning summary, a call's command or input. Shown whether or not it streamed as deltas.
 */
export function itemText(item: ResponseItem, max = 20_000): string {
  let text: string;
  if (isOtherItem(item)) text = messageText(item);
  else if (item.type === 'message') text = messageText(item);
  else if (item.type === 'reasoning') text = item.summary.map((s) => s.text).join('\n\n');
  else if (item.type === 'function_call' || item.type === 'custom_tool_call') text = item.type === 'function_call' ? item.arguments : item.input;
  else text = '';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function roleKind(role: string): PartKind {
  return role === 'user' || role === 'developer' || role === 'system' || role === 'assistant' ? role : 'other';
}

/** What a tool call does, in one line: its description's summary (see core/tools/describe.ts), shortened. */
export function toolTitle(call: ToolCallItem): string {
  return preview(describeCall(call).summary);
}

export function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}
