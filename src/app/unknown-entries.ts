/**
 * What the chat shows of items and parts it cannot draw: kept in history as received (see
 * `isOtherItem`) and shown as a row with their type and JSON, never dropped.
 */
import { isKnownPart, itemTypeName, messageText, type OtherItem } from '../core/items';
import type { Entry } from './chat-entries';
import { isSearchCall, searchEntry } from './search-entries';

export interface UnknownEntry {
  kind: 'unknown';
  what: 'item' | 'part';
  type: string;
  /** The data as JSON, cut after `UNKNOWN_JSON_CHARS` (an audio part can be megabytes). */
  json: string;
}

export const UNKNOWN_JSON_CHARS = 4000;

/**
 * The entries of an item kept verbatim, for a stored conversation: a user or assistant
 * message shows its text (with `seq` as its fork point) and a row per part it cannot draw;
 * any other item is one unknown row.
 */
export function verbatimEntries(item: OtherItem, seq: number): Entry[] {
  if (isSearchCall(item)) return [searchEntry(item)];
  if (!isMessageLike(item)) return [unknownEntry(item, 'item')];
  const text = messageText(item);
  const entries: Entry[] = [];
  if (text && item.role === 'assistant') entries.push({ kind: 'assistant', text, done: true, seq });
  else if (text && item.role === 'user') entries.push({ kind: 'user', text, seq });
  entries.push(...unknownParts(item));
  return entries;
}

export function isMessageLike(item: OtherItem): item is OtherItem & { content: unknown[] } {
  return item.type === 'message' && Array.isArray(item.content);
}

export function unknownParts(item: { content: unknown[] }): UnknownEntry[] {
  return item.content.filter((part) => !isKnownPart(part)).map((part) => unknownEntry(part, 'part'));
}

export function unknownEntry(value: unknown, what: UnknownEntry['what']): UnknownEntry {
  const type = value === null ? 'null' : typeof value === 'object' && !Array.isArray(value) ? itemTypeName(value as OtherItem) : typeof value;
  const json = JSON.stringify(value, null, 2) ?? String(value);
  return { kind: 'unknown', what, type, json: json.length > UNKNOWN_JSON_CHARS ? `${json.slice(0, UNKNOWN_JSON_CHARS)}…` : json };
}
