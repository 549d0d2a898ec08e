/**
 * What a session's log holds besides the conversation's items: records the app writes for
 * itself, each with a `type` in the reserved `unroll.` namespace. A server item whose type
 * happens to start with `unroll.` is stored wrapped (`unroll.item`), so nothing a server or a
 * file sends can pose as one of these records.
 *
 * - `unroll.history_replaced`: a compaction; the conversation continues as `items`.
 * - `unroll.goto`: the conversation continues as it was before record `to` (a rewind, or the
 *   redo that undoes one). Nothing is deleted: the records after `to` stay in the log, aside.
 * - `unroll.turn`: a turn ended, with its usage, duration and the workspace manifests taken
 *   when it began and ended.
 * - `unroll.tool`: how a tool call ended (status, exit code, duration), as the card showed it.
 * - `unroll.note`: something the model must be told with the next message (files reverted).
 * - `unroll.toolset`: the conversation's tool list changed (its start, a compaction, an applied
 *   MCP change): its hash, and the MCP tools in it, so a reload sends exactly the same list.
 * - `unroll.dropped`: an instruction message left out of an export or import (it would reach
 *   the model unseen); it keeps the log's positions and is otherwise ignored.
 */
import type { TurnEndReason, TurnUsage } from '../core/events';
import type { ResponseItem } from '../core/items';
import type { McpToolInfo } from '../core/ports';
import { checkItem, isCount, isObject, type Checked } from './validate';

export const REPLACE_RECORD = 'unroll.history_replaced';
export const GOTO_RECORD = 'unroll.goto';
export const TURN_RECORD = 'unroll.turn';
export const TOOL_RECORD = 'unroll.tool';
export const NOTE_RECORD = 'unroll.note';
const ESCAPED_ITEM = 'unroll.item';
export const DROPPED_RECORD = 'unroll.dropped';
export const TOOLSET_RECORD = 'unroll.toolset';

export interface ReplaceRecord {
  type: typeof REPLACE_RECORD;
  items: ResponseItem[];
}

export interface GotoRecord {
  type: typeof GOTO_RECORD;
  /** The conversation continues as it was before this record position. */
  to: number;
  why: 'rewind' | 'redo';
  /** For a rewind: what the model is told with the next message. */
  note?: string;
}

export interface TurnRecord {
  type: typeof TURN_RECORD;
  reason: TurnEndReason;
  usage: TurnUsage;
  /** Wall time of the turn. */
  ms: number;
  /** Manifest numbers of the workspace when the turn began and ended (null when unknown). */
  before: number | null;
  after: number | null;
}

export interface ToolRecord {
  type: typeof TOOL_RECORD;
  call_id: string;
  status: 'ok' | 'failed';
  exit_code?: number;
  ms?: number;
}

export interface NoteRecord {
  type: typeof NOTE_RECORD;
  text: string;
}

export interface DroppedRecord {
  type: typeof DROPPED_RECORD;
  /** What was there, e.g. "a developer message". */
  what: string;
}

export interface ToolsetRecord {
  type: typeof TOOLSET_RECORD;
  hash: string;
  /** The MCP tools of the list, as their servers described them. */
  mcp: McpToolInfo[];
  /** Whether the hosted web_search tool was in it. */
  webSearch: boolean;
}

export type ControlRecord = ReplaceRecord | GotoRecord | TurnRecord | ToolRecord | NoteRecord | DroppedRecord | ToolsetRecord;

export type ParsedRecord =
  | { kind: 'item'; item: ResponseItem }
  | { kind: 'replace'; items: ResponseItem[] }
  | { kind: 'goto'; record: GotoRecord }
  | { kind: 'turn'; record: TurnRecord }
  | { kind: 'tool'; record: ToolRecord }
  | { kind: 'note'; record: NoteRecord }
  | { kind: 'dropped'; record: DroppedRecord }
  | { kind: 'toolset'; record: ToolsetRecord };

/** The record that stores `item` in a log. */
export function itemRecord(item: ResponseItem): unknown {
  return typeof item.type === 'string' && item.type.startsWith('unroll.') ? { type: ESCAPED_ITEM, item } : item;
}

/**
 * A stored (or imported) record at `position`, checked. Only what cannot be read at all fails:
 * items of any shape come back as `checkItem` keeps them.
 */
export function parseRecord(value: unknown, position: number): Checked<ParsedRecord> {
  if (!isObject(value)) return { ok: false, problem: 'is not an object' };
  switch (value.type) {
    case ESCAPED_ITEM: {
      const item = checkItem(value.item);
      return item.ok ? { ok: true, value: { kind: 'item', item: item.value } } : item;
    }
    case REPLACE_RECORD: {
      if (!Array.isArray(value.items)) return { ok: false, problem: 'is a compaction without its items' };
      const items: ResponseItem[] = [];
      for (const raw of value.items) {
        const item = checkItem(raw);
        if (!item.ok) return { ok: false, problem: `is a compaction whose items are unreadable (${item.problem})` };
        items.push(item.value);
      }
      return { ok: true, value: { kind: 'replace', items } };
    }
    case GOTO_RECORD: {
      if (!isCount(value.to) || value.to > position) return { ok: false, problem: 'is a rewind to a position that does not come before it' };
      if (value.why !== 'rewind' && value.why !== 'redo') return { ok: false, problem: 'is a rewind of an unknown kind' };
      const record: GotoRecord = { type: GOTO_RECORD, to: value.to, why: value.why };
      if (typeof value.note === 'string' && value.note) record.note = value.note;
      return { ok: true, value: { kind: 'goto', record } };
    }
    case TURN_RECORD: {
      const reason = value.reason;
      if (reason !== 'completed' && reason !== 'aborted' && reason !== 'failed') return { ok: false, problem: 'is a turn with an unknown ending' };
      const usage = checkUsage(value.usage);
      if (!usage) return { ok: false, problem: 'is a turn with unreadable usage' };
      const manifest = (v: unknown) => (isCount(v) ? v : null);
      return {
        ok: true,
        value: {
          kind: 'turn',
          record: {
            type: TURN_RECORD,
            reason,
            usage,
            ms: isCount(value.ms) ? value.ms : 0,
            before: manifest(value.before),
            after: manifest(value.after),
          },
        },
      };
    }
    case TOOL_RECORD: {
      if (typeof value.call_id !== 'string' || (value.status !== 'ok' && value.status !== 'failed'))
        return { ok: false, problem: 'is a tool result without its call or status' };
      const record: ToolRecord = { type: TOOL_RECORD, call_id: value.call_id, status: value.status };
      if (typeof value.exit_code === 'number' && Number.isSafeInteger(value.exit_code)) record.exit_code = value.exit_code;
      if (isCount(value.ms)) record.ms = value.ms;
      return { ok: true, value: { kind: 'tool', record } };
    }
    case NOTE_RECORD:
      if (typeof value.text !== 'string') return { ok: false, problem: 'is a note without text' };
      return { ok: true, value: { kind: 'note', record: { type: NOTE_RECORD, text: value.text } } };
    case TOOLSET_RECORD: {
      if (typeof value.hash !== 'string' || !Array.isArray(value.mcp)) return { ok: false, problem: 'is a tool list without its hash or tools' };
      const mcp: McpToolInfo[] = [];
      for (const raw of value.mcp) {
        if (!isObject(raw) || typeof raw.server !== 'string' || typeof raw.name !== 'string' || !isObject(raw.inputSchema)) {
          return { ok: false, problem: 'is a tool list with an unreadable tool' };
        }
        mcp.push({
          server: raw.server,
          name: raw.name,
          inputSchema: raw.inputSchema,
          ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
        });
      }
      return { ok: true, value: { kind: 'toolset', record: { type: TOOLSET_RECORD, hash: value.hash, mcp, webSearch: value.webSearch === true } } };
    }
    case DROPPED_RECORD:
      return {
        ok: true,
        value: { kind: 'dropped', record: { type: DROPPED_RECORD, what: typeof value.what === 'string' ? value.what.slice(0, 80) : 'a message' } },
      };
    default: {
      const item = checkItem(value);
      return item.ok ? { ok: true, value: { kind: 'item', item: item.value } } : item;
    }
  }
}

/** The record as it is stored and exported (the inverse of `parseRecord`). */
export function storedRecord(parsed: ParsedRecord): unknown {
  switch (parsed.kind) {
    case 'item':
      return itemRecord(parsed.item);
    case 'replace':
      return { type: REPLACE_RECORD, items: parsed.items };
    default:
      return parsed.record;
  }
}

const USAGE_FIELDS = ['input_tokens', 'cached_tokens', 'output_tokens', 'reasoning_tokens', 'total_tokens', 'requests'] as const;

function checkUsage(value: unknown): TurnUsage | null {
  if (!isObject(value)) return null;
  const out = {} as Record<(typeof USAGE_FIELDS)[number], number>;
  for (const field of USAGE_FIELDS) {
    const n = value[field] ?? 0;
    if (!isCount(n)) return null;
    out[field] = n;
  }
  return out;
}
