/**
 * Each session's items as an append-only log: one record per item under the key
 * [sessionId, seq], seq counting from 0 without gaps. Appending writes one record and the
 * small index row, whatever the session's length; reading takes one ranged request.
 */
import type { ResponseItem } from '../core/items';
import { corrupt, notFound, type StoreError } from './errors';
import type { KeyRange, Table, Tables } from './db';
import { readRow, type SessionMeta } from './session-index';
import { autoTitle } from './title';
import { checkItem } from './validate';

export function itemKey(sessionId: string, seq: number): IDBValidKey {
  return [sessionId, seq];
}

/** Records of `sessionId` from `from` (included) to `to` (excluded; the end by default). */
export function logRange(sessionId: string, from = 0, to = Infinity): KeyRange {
  return { lower: [sessionId, from], upper: [sessionId, to], upperOpen: true };
}

const encoder = new TextEncoder();

/** UTF-8 size of the item's JSON: the size a person would see in an export. */
export function byteLength(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * A compaction in the log: the conversation from here on is `items`, replacing all before it.
 * Written as one more record, so the log stays append-only and earlier items stay readable.
 */
export const REPLACE_RECORD = 'unroll.history_replaced';

export interface ReplaceRecord {
  type: typeof REPLACE_RECORD;
  items: ResponseItem[];
}

function isReplaceRecord(value: unknown): value is { type: typeof REPLACE_RECORD; items: unknown } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === REPLACE_RECORD;
}

export interface LogRead {
  /** The current conversation from the intact prefix of the log, as stored (not yet normalised). */
  items: ResponseItem[];
  /** The conversations replaced by compactions, oldest first (what came before each). */
  earlier: ResponseItem[][];
  /** Records in the intact prefix (items and replacements). */
  records: number;
  /** Records after the intact prefix that could not be used. */
  unreadable: number;
  problems: StoreError[];
}

/**
 * The log up to (not including) the first record that is missing or fails validation, with a
 * problem that says how many later records were left out. `expected` is the index row's count.
 */
export async function readLog(items: Table, sessionId: string, expected?: number): Promise<LogRead> {
  const range = logRange(sessionId);
  const [keys, values] = await Promise.all([items.getAllKeys(range), items.getAll(range)]);
  let out: ResponseItem[] = [];
  const earlier: ResponseItem[][] = [];
  const problems: StoreError[] = [];
  for (let i = 0; i < keys.length; i++) {
    const seq = (keys[i] as [string, number])[1];
    const value = values[i];
    const replacement = seq === i && isReplaceRecord(value) ? checkReplacement(value.items) : null;
    const checked = seq !== i ? { ok: false as const, problem: 'is missing' } : replacement ?? checkItem(value);
    if (!checked.ok) {
      const later = keys.length - i - (seq === i ? 1 : 0);
      const rest = later > 0 ? `; the ${later} item${later === 1 ? '' : 's'} after it ${later === 1 ? 'was' : 'were'} not loaded either` : '';
      problems.push(corrupt(`item ${i + 1} of the conversation ${checked.problem}${rest}`));
      return { items: out, earlier, records: i, unreadable: keys.length - i, problems };
    }
    if (replacement?.ok) {
      earlier.push(out);
      out = replacement.value;
    } else {
      out.push(checked.value as ResponseItem);
    }
  }
  if (expected !== undefined && expected > keys.length) {
    const missing = expected - keys.length;
    problems.push(corrupt(`the last ${missing} item${missing === 1 ? ' was' : 's were'} never fully saved`));
  }
  return { items: out, earlier, records: keys.length, unreadable: 0, problems };
}

function checkReplacement(items: unknown): { ok: true; value: ResponseItem[] } | { ok: false; problem: string } {
  if (!Array.isArray(items)) return { ok: false, problem: 'is a compaction without its items' };
  const value: ResponseItem[] = [];
  for (const item of items) {
    const checked = checkItem(item);
    if (!checked.ok) return { ok: false, problem: `is a compaction whose items are unreadable (${checked.problem})` };
    value.push(checked.value);
  }
  return { ok: true, value };
}

/** Appends a compaction: the conversation continues as `items` (one record, like an item). */
export async function appendReplacement(tables: Tables, sessionId: string, items: readonly ResponseItem[], now: number): Promise<SessionMeta> {
  const row = await getRow(tables.sessions, sessionId);
  const record: ReplaceRecord = { type: REPLACE_RECORD, items: [...items] };
  await tables.items.put(record, itemKey(sessionId, row.itemCount));
  row.itemCount += 1;
  row.bytes += byteLength(record);
  row.updatedAt = now;
  await tables.sessions.put(row, sessionId);
  return row;
}

/** The validated index row of `sessionId`; throws not_found or corrupt. */
export async function getRow(sessions: Table, sessionId: string): Promise<SessionMeta> {
  const value = await sessions.get(sessionId);
  if (value === undefined) throw notFound(sessionId);
  const row = readRow(value, sessionId);
  if (!row.ok) throw corrupt(row.problem);
  return row.value;
}

/**
 * Appends one finished item: three requests (read the row, write the item, write the row)
 * whatever the session's length. The row takes its title from the first typed user message.
 */
export async function appendToLog(tables: Tables, sessionId: string, item: ResponseItem, now: number): Promise<SessionMeta> {
  const row = await getRow(tables.sessions, sessionId);
  await tables.items.put(item, itemKey(sessionId, row.itemCount));
  row.itemCount += 1;
  row.bytes += byteLength(item);
  row.updatedAt = now;
  if (row.titleSource === 'default') {
    const title = autoTitle(item);
    if (title) {
      row.title = title;
      row.titleSource = 'auto';
    }
  }
  await tables.sessions.put(row, sessionId);
  return row;
}

/** Writes `items` as the log of a new session (fork, duplicate, import); returns their bytes. */
export async function writeLog(items: Table, sessionId: string, list: readonly ResponseItem[]): Promise<number> {
  let bytes = 0;
  await Promise.all(
    list.map((item, seq) => {
      bytes += byteLength(item);
      return items.put(item, itemKey(sessionId, seq));
    }),
  );
  return bytes;
}

/** Drops every record from `from` on (an unreadable tail), so appends continue the intact prefix. */
export function truncateLog(items: Table, sessionId: string, from: number): Promise<void> {
  return items.delete(logRange(sessionId, from));
}
