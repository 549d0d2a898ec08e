/**
 * A session's log folded into what it shows and what continues: the conversation's segments
 * (one per compaction), turn endings, tool results, notes still owed to the model, and whether
 * a rewind can be redone.
 *
 * Every record position has a state: the conversation after the records before it. States
 * form a tree (a rewind jumps back to an earlier state and grows a new branch from it), kept
 * as parent links, so a log of any shape folds in one pass: a `goto` costs one lookup, never a
 * replay. The records of abandoned branches stay in the log; they are only not on the path.
 */
import type { ResponseItem } from '../core/items';
import { parseRecord, type ParsedRecord, type ToolRecord, type ToolsetRecord, type TurnRecord } from './log-records';

export type ViewRow = { kind: 'item'; at: number; item: ResponseItem } | { kind: 'turn'; at: number; turn: TurnRecord };

export interface Segment {
  /** Items and turn endings in order, each with its record position. */
  rows: ViewRow[];
  /** The replacement that began it (0 for the first segment): how many of its items came from it. */
  replaced: number;
}

export interface LogView {
  /** Oldest first; the last is the conversation that continues. */
  segments: Segment[];
  /** The last segment's items as stored (not yet normalised), and each one's record position. */
  items: ResponseItem[];
  itemAt: number[];
  /** How each tool call ended, by call id, for every call the log knows. */
  tools: Map<string, ToolRecord>;
  /** The last tool list recorded on the path; null when none was (a conversation from before lists were recorded). */
  toolset: ToolsetRecord | null;
  /** Notes recorded after the last item on the path: the model has not been told yet. */
  pendingNotes: string[];
  /** After a rewind with nothing since: the position whose state a redo brings back. */
  redo: number | null;
  /** Record positions read (the next record's position). */
  records: number;
  /** Records that could not be read, each a sentence; they are skipped, never fatal. */
  problems: string[];
}

type Op =
  | { kind: 'item'; at: number; item: ResponseItem }
  | { kind: 'replace'; at: number; items: ResponseItem[] }
  | { kind: 'turn'; at: number; turn: TurnRecord }
  | { kind: 'note'; at: number; text: string; rewind: boolean }
  | { kind: 'toolset'; at: number; record: ToolsetRecord };

interface Node {
  parent: Node | null;
  op: Op;
}

/** `values[p]` is the record at position p (undefined where the log has a gap). */
export function foldLog(values: readonly unknown[]): LogView {
  const states: (Node | null)[] = [null];
  const tools = new Map<string, ToolRecord>();
  const problems: string[] = [];
  for (let at = 0; at < values.length; at++) {
    const current = states[at] ?? null;
    const value = values[at];
    const parsed: { ok: true; value: ParsedRecord } | { ok: false; problem: string } =
      value === undefined ? { ok: false, problem: 'is missing' } : parseRecord(value, at);
    if (!parsed.ok) {
      problems.push(`record ${at + 1} of the conversation ${parsed.problem}; it was skipped`);
      states.push(current);
      continue;
    }
    const record = parsed.value;
    switch (record.kind) {
      case 'item':
        states.push({ parent: current, op: { kind: 'item', at, item: record.item } });
        break;
      case 'replace':
        states.push({ parent: current, op: { kind: 'replace', at, items: record.items } });
        break;
      case 'turn':
        states.push({ parent: current, op: { kind: 'turn', at, turn: record.record } });
        break;
      case 'tool':
        tools.set(record.record.call_id, record.record);
        states.push(current);
        break;
      case 'dropped':
        states.push(current);
        break;
      case 'toolset':
        states.push({ parent: current, op: { kind: 'toolset', at, record: record.record } });
        break;
      case 'note':
        states.push({ parent: current, op: { kind: 'note', at, text: record.record.text, rewind: false } });
        break;
      case 'goto': {
        const target = states[record.record.to] ?? null;
        const { note, why } = record.record;
        states.push(why === 'rewind' ? { parent: target, op: { kind: 'note', at, text: note ?? '', rewind: true } } : target);
        break;
      }
    }
  }
  return materialize(states[values.length] ?? null, values.length, tools, problems);
}

function materialize(last: Node | null, records: number, tools: Map<string, ToolRecord>, problems: string[]): LogView {
  const ops: Op[] = [];
  for (let node = last; node; node = node.parent) ops.push(node.op);
  ops.reverse();
  const segments: Segment[] = [{ rows: [], replaced: 0 }];
  let items: ResponseItem[] = [];
  let itemAt: number[] = [];
  let pendingNotes: string[] = [];
  let toolset: ToolsetRecord | null = null;
  for (const op of ops) {
    switch (op.kind) {
      case 'item':
        segments.at(-1)!.rows.push(op);
        items.push(op.item);
        itemAt.push(op.at);
        pendingNotes = [];
        break;
      case 'replace':
        segments.push({ rows: op.items.map((item) => ({ kind: 'item', at: op.at, item })), replaced: op.items.length });
        items = [...op.items];
        itemAt = op.items.map(() => op.at);
        break;
      case 'turn':
        segments.at(-1)!.rows.push(op);
        break;
      case 'note':
        if (op.text) pendingNotes.push(op.text);
        break;
      case 'toolset':
        toolset = op.record;
        break;
    }
  }
  const tail = ops.at(-1);
  const redo = tail?.kind === 'note' && tail.rewind ? tail.at : null;
  return { segments, items, itemAt, tools, toolset, pendingNotes, redo, records, problems };
}
