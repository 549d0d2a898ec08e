/**
 * Workspace snapshots taken at turn boundaries, under [sessionId, atItem]. Only the latest
 * `SNAPSHOTS_KEPT` are kept per session: the newest to restore, the one before it in case the
 * newest turned out unreadable or the person forks from an earlier item.
 */
import { validateSnapshot, type Snapshot } from '../sandbox/snapshot';
import { corrupt, type StoreError } from './errors';
import { byteLength } from './item-log';
import type { KeyRange, Tables } from './db';
import type { SessionMeta, SnapshotRef } from './session-index';
import { isObject } from './validate';

export const SNAPSHOTS_KEPT = 2;

export interface StoredSnapshot {
  snapshot: Snapshot;
  /** Items in the log when it was taken. */
  atItem: number;
  savedAt: number;
}

export function snapshotRange(sessionId: string): KeyRange {
  return { lower: [sessionId, 0], upper: [sessionId, Infinity] };
}

/**
 * Stores `stored` and forgets snapshots beyond the kept ones; updates `row` (its snapshot
 * list and bytes) in place. Saving again at the same `atItem` replaces that snapshot.
 */
export async function putSnapshot(tables: Tables, row: SessionMeta, stored: StoredSnapshot): Promise<void> {
  const ref: SnapshotRef = { atItem: stored.atItem, bytes: byteLength(stored.snapshot), savedAt: stored.savedAt };
  const refs = [...row.snapshots.filter((r) => r.atItem !== ref.atItem), ref].sort((a, b) => a.atItem - b.atItem);
  const dropped = refs.splice(0, Math.max(0, refs.length - SNAPSHOTS_KEPT));
  await tables.snapshots.put(stored, [row.id, stored.atItem]);
  await Promise.all(dropped.map((r) => tables.snapshots.delete([row.id, r.atItem])));
  const before = row.snapshots.reduce((sum, r) => sum + r.bytes, 0);
  const after = refs.reduce((sum, r) => sum + r.bytes, 0);
  row.bytes = Math.max(0, row.bytes - before + after);
  row.snapshots = refs;
}

/**
 * The newest readable snapshot taken at or before item `atMost` (any, by default). An
 * unreadable one is reported and the next older one tried.
 */
export async function readSnapshot(
  tables: Tables,
  row: SessionMeta,
  atMost = Infinity,
): Promise<{ stored: StoredSnapshot | null; problems: StoreError[] }> {
  const problems: StoreError[] = [];
  const refs = row.snapshots.filter((r) => r.atItem <= atMost).sort((a, b) => b.atItem - a.atItem);
  for (const ref of refs) {
    const value = await tables.snapshots.get([row.id, ref.atItem]);
    const checked = checkStored(value);
    if (typeof checked !== 'string') return { stored: checked, problems };
    problems.push(corrupt(`the workspace saved after item ${ref.atItem} ${checked}`));
  }
  return { stored: null, problems };
}

function checkStored(value: unknown): StoredSnapshot | string {
  if (!isObject(value)) return 'is missing';
  if (typeof value.atItem !== 'number' || typeof value.savedAt !== 'number') return 'has no position';
  try {
    return { snapshot: validateSnapshot(value.snapshot), atItem: value.atItem, savedAt: value.savedAt };
  } catch (err) {
    return `is invalid (${(err as Error).message})`;
  }
}
