/**
 * Version 1's workspace snapshots (whole copies under [sessionId, atItem], the latest two per
 * session). Only read now: opening such a session turns its newest one into a manifest.
 */
import { validateSnapshot, type Snapshot } from '../sandbox/snapshot';
import { corrupt, type StoreError } from './errors';
import type { KeyRange, Tables } from './db';
import type { SessionMeta } from './session-index';
import { isObject } from './validate';

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
