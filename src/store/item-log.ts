/**
 * Each session's log: one record per position under the key [sessionId, seq], seq counting
 * from 0. Records are the conversation's items and the app's own records (log-records.ts).
 * Appending writes one record and the small index row, whatever the session's length; reading
 * takes one ranged request. Reading never stops at a bad record: it is skipped and reported.
 */
import type { ResponseItem } from '../core/items';
import { notFound, corrupt, type StoreError } from './errors';
import type { KeyRange, Table, Tables } from './db';
import { foldLog, type LogView } from './log-fold';
import { itemRecord, REPLACE_RECORD, type ControlRecord } from './log-records';
import { readRow, type SessionMeta } from './session-index';
import { autoTitle } from './title';

export { REPLACE_RECORD } from './log-records';

export function itemKey(sessionId: string, seq: number): IDBValidKey {
  return [sessionId, seq];
}

/** Records of `sessionId` from `from` (included) to `to` (excluded; the end by default). */
export function logRange(sessionId: string, from = 0, to = Infinity): KeyRange {
  return { lower: [sessionId, from], upper: [sessionId, to], upperOpen: true };
}

const encoder = new TextEncoder();

/** UTF-8 size of the value's JSON: the size a person would see in an export. */
function byteLength(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

export interface LogRead {
  view: LogView;
  /** The raw records by position (undefined in gaps), for copying into a fork. */
  values: unknown[];
  problems: StoreError[];
}

/** The whole log, folded. `expected` is the index row's count. */
export async function readLog(items: Table, sessionId: string, expected = 0): Promise<LogRead> {
  const range = logRange(sessionId);
  const [keys, stored] = await Promise.all([items.getAllKeys(range), items.getAll(range)]);
  const last = keys.length ? (keys.at(-1) as [string, number])[1] : -1;
  const values: unknown[] = new Array<unknown>(Math.max(last + 1, 0));
  keys.forEach((key, i) => (values[(key as [string, number])[1]] = stored[i]));
  const view = foldLog(values);
  const problems = view.problems.map((p) => corrupt(p));
  if (expected > values.length) {
    const missing = expected - values.length;
    problems.push(corrupt(`the last ${missing} record${missing === 1 ? ' was' : 's were'} never fully saved`));
  }
  return { view, values, problems };
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
 * Appends one record: three requests (read the row, write the record, write the row)
 * whatever the session's length. An item may give the session its title.
 */
async function appendRecord(tables: Tables, sessionId: string, record: unknown, now: number, item?: ResponseItem): Promise<SessionMeta> {
  const row = await getRow(tables.sessions, sessionId);
  await tables.items.put(record, itemKey(sessionId, row.itemCount));
  row.itemCount += 1;
  row.bytes += byteLength(record);
  row.updatedAt = now;
  if (item && row.titleSource === 'default') {
    const title = autoTitle(item);
    if (title) {
      row.title = title;
      row.titleSource = 'auto';
    }
  }
  await tables.sessions.put(row, sessionId);
  return row;
}

export function appendToLog(tables: Tables, sessionId: string, item: ResponseItem, now: number): Promise<SessionMeta> {
  return appendRecord(tables, sessionId, itemRecord(item), now, item);
}

/** A compaction: the conversation continues as `items` (one record, like an item). */
export function appendReplacement(tables: Tables, sessionId: string, items: readonly ResponseItem[], now: number): Promise<SessionMeta> {
  return appendRecord(tables, sessionId, { type: REPLACE_RECORD, items: [...items] }, now);
}

export function appendControl(tables: Tables, sessionId: string, record: ControlRecord, now: number): Promise<SessionMeta> {
  return appendRecord(tables, sessionId, record, now);
}

/** Writes raw records as the log of a new session (fork, duplicate, import); returns their bytes. */
export async function writeRecords(items: Table, sessionId: string, values: readonly unknown[]): Promise<number> {
  let bytes = 0;
  await Promise.all(
    values.map((value, seq) => {
      if (value === undefined) return undefined;
      bytes += byteLength(value);
      return items.put(value, itemKey(sessionId, seq));
    }),
  );
  return bytes;
}
