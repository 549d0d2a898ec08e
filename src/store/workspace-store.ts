/**
 * The workspace's history in IndexedDB: manifests under [sessionId, n], file contents under
 * their hash in `blobs` (shared by every session, so a fork or a duplicate copies no file).
 * Each function runs inside the caller's transaction.
 */
import { corrupt, type StoreError } from './errors';
import type { KeyRange, Tables } from './db';
import { checkManifest, ManifestHistory, recordFor, type Manifest, type ManifestReason, type ManifestRecord, type WorkspaceState } from './manifests';
import type { SessionMeta } from './session-index';

export function manifestRange(sessionId: string, from = 0, to = Infinity): KeyRange {
  return { lower: [sessionId, from], upper: [sessionId, to], upperOpen: true };
}

export async function readManifests(tables: Tables, sessionId: string): Promise<{ history: ManifestHistory; problems: StoreError[] }> {
  const values = await tables.manifests.getAll(manifestRange(sessionId));
  const records: ManifestRecord[] = [];
  const problems: StoreError[] = [];
  for (const value of values) {
    const checked = checkManifest(value);
    if (checked.ok) records.push(checked.value);
    else problems.push(corrupt(`a saved state of the workspace ${checked.problem}; it was skipped`));
  }
  records.sort((a, b) => a.n - b.n);
  return { history: new ManifestHistory(records), problems };
}

export interface WorkspaceSave {
  /** The manifest the caller last saw; a delta is written against it when it is still the newest. */
  prev: Manifest | null;
  next: WorkspaceState;
  /** Bytes of files that may not be stored yet, by hash. */
  blobs: ReadonlyMap<string, Uint8Array>;
  reason: ManifestReason;
  /** Record a manifest even when nothing changed (a turn's end, a fork point). */
  force?: boolean;
  /**
   * The log position the files belong to, when the caller knows it better than the count of
   * records written so far (items still queued for writing were produced before these files).
   */
  atRecord?: number;
}

/**
 * Records `save.next` as manifest `row.manifests` (updating `row` in place, not writing it):
 * the blobs its changed files need, then the record. Null when nothing changed.
 */
export async function putWorkspace(tables: Tables, row: SessionMeta, save: WorkspaceSave, now: number): Promise<Manifest | null> {
  const n = row.manifests;
  const prev = save.prev && save.prev.n === n - 1 ? save.prev : null;
  const record = recordFor(prev, save.next, { n, atRecord: save.atRecord ?? row.itemCount, savedAt: now, reason: save.reason }, save.force);
  if (!record) return null;
  const hashes = new Set<string>();
  for (const [path, ref] of Object.entries(record.files)) {
    if (!ref || (prev && prev.files.get(path)?.hash === ref.hash)) continue;
    hashes.add(ref.hash);
  }
  await Promise.all(
    [...hashes].flatMap((hash) => {
      const bytes = save.blobs.get(hash);
      return bytes ? [tables.blobs.put(bytes, hash)] : [];
    }),
  );
  await tables.manifests.put(record, [row.id, n]);
  row.manifests = n + 1;
  const sinceBase = record.base ? 0 : (prev?.sinceBase ?? 0) + Object.keys(record.files).length;
  return { n, atRecord: record.atRecord, savedAt: now, files: new Map(save.next.files), dirs: [...save.next.dirs], sinceBase };
}

/** Copies manifest records into another session, as they are (same numbers). */
export async function writeManifests(tables: Tables, sessionId: string, records: readonly ManifestRecord[]): Promise<void> {
  await Promise.all(records.map((record) => tables.manifests.put(record, [sessionId, record.n])));
}

export async function readBlobs(tables: Tables, hashes: Iterable<string>): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(hashes)];
  const values = await Promise.all(unique.map((hash) => tables.blobs.get(hash)));
  const out = new Map<string, Uint8Array>();
  unique.forEach((hash, i) => {
    const value = values[i];
    if (value instanceof Uint8Array) out.set(hash, value);
    else if (value instanceof ArrayBuffer) out.set(hash, new Uint8Array(value));
  });
  return out;
}

/** Deletes every blob no manifest of any session names; returns how many. */
export async function collectBlobs(tables: Tables): Promise<number> {
  const [manifests, keys] = await Promise.all([tables.manifests.getAll(), tables.blobs.getAllKeys()]);
  const referenced = new Set<string>();
  for (const value of manifests) {
    const checked = checkManifest(value);
    if (!checked.ok) continue;
    for (const ref of Object.values(checked.value.files)) if (ref) referenced.add(ref.hash);
  }
  const doomed = keys.filter((key) => typeof key === 'string' && !referenced.has(key));
  await Promise.all(doomed.map((key) => tables.blobs.delete(key)));
  return doomed.length;
}

/** Sum of file sizes in a state: what the session's newest workspace weighs. */
export function stateBytes(state: WorkspaceState | null): number {
  let total = 0;
  if (state) for (const ref of state.files.values()) total += ref.size;
  return total;
}
