/**
 * The workspace's history: manifests (path → content hash) numbered from 0 per session, each
 * linked to the log position it was taken at. Most are deltas against the one before (the
 * paths that changed), so saving after a one-line edit writes one small record. A full
 * listing (a base) is written when the deltas since the last one would name more paths than
 * the workspace holds (at least `BASE_AFTER_ENTRIES`), or one delta touches most files: reading
 * any manifest then folds no more entries than about two full listings, and a save of a small
 * change never pays for a listing of a large workspace except that rarely.
 */
import { asText, fromBase64, hostileNameProblem, toBase64, type Snapshot } from '../sandbox/snapshot';
import { hashBytes, isHash } from './hash';
import { isCount, isObject, isTimestamp, type Checked } from './validate';

const BASE_AFTER_ENTRIES = 1024;

export interface FileRef {
  hash: string;
  size: number;
}

export type ManifestReason = 'turn' | 'save' | 'auto' | 'new' | 'fork' | 'import' | 'rewind' | 'redo' | 'undo' | 'revert' | 'migrate';

export interface ManifestRecord {
  n: number;
  /** Records in the log when it was taken. */
  atRecord: number;
  savedAt: number;
  reason: ManifestReason;
  /** A full listing; otherwise only the paths that changed since manifest n - 1. */
  base: boolean;
  /** Base: every file. Delta: changed files, null where a file was removed. */
  files: Record<string, FileRef | null>;
  /** Directories with nothing in them; on a delta, present only when they changed. */
  dirs?: string[];
}

export interface WorkspaceState {
  files: Map<string, FileRef>;
  dirs: string[];
}

export interface Manifest extends WorkspaceState {
  n: number;
  atRecord: number;
  savedAt: number;
  /** Entries written in deltas since the last base (0 for a base). */
  sinceBase: number;
}

/** The paths whose content differs between two states (added, changed or removed). */
export function changedPaths(a: WorkspaceState, b: WorkspaceState): string[] {
  const out: string[] = [];
  for (const [path, ref] of b.files) if (a.files.get(path)?.hash !== ref.hash) out.push(path);
  for (const path of a.files.keys()) if (!b.files.has(path)) out.push(path);
  return out.sort();
}

/**
 * The record that takes `prev` to `next` (a delta, or a base when due), or null when nothing
 * changed and no base is due.
 */
export function recordFor(
  prev: Manifest | null,
  next: WorkspaceState,
  meta: { n: number; atRecord: number; savedAt: number; reason: ManifestReason },
  force = false,
): ManifestRecord | null {
  const dirsChanged = !prev || !sameList(prev.dirs, next.dirs);
  const changed = prev ? changedPaths(prev, next) : [...next.files.keys()];
  if (prev && !force && changed.length === 0 && !dirsChanged) return null;
  const base = !prev || changed.length * 2 > next.files.size || prev.sinceBase + changed.length > Math.max(BASE_AFTER_ENTRIES, next.files.size);
  const files: Record<string, FileRef | null> = {};
  if (base) {
    for (const path of [...next.files.keys()].sort()) files[path] = { ...next.files.get(path)! };
  } else {
    for (const path of changed) {
      const ref = next.files.get(path);
      files[path] = ref ? { ...ref } : null;
    }
  }
  const record: ManifestRecord = { ...meta, base, files };
  if (base || dirsChanged) record.dirs = [...next.dirs].sort();
  return record;
}

/** Every manifest of one session, read once; states are folded from the nearest base. */
export class ManifestHistory {
  readonly records: readonly ManifestRecord[];
  #cache: Manifest | null = null;

  /** `records` sorted by n, as stored. */
  constructor(records: readonly ManifestRecord[]) {
    this.records = records;
  }

  get nextN(): number {
    return (this.records.at(-1)?.n ?? -1) + 1;
  }

  latest(): Manifest | null {
    const last = this.records.at(-1);
    return last ? this.get(last.n) : null;
  }

  /** The newest manifest taken when the log had at most `position` records. */
  atRecord(position: number): Manifest | null {
    for (let i = this.records.length - 1; i >= 0; i--) if (this.records[i]!.atRecord <= position) return this.get(this.records[i]!.n);
    return null;
  }

  /** Manifest `n`, or null when it is not here (or its chain back to a base is broken). */
  get(n: number): Manifest | null {
    if (this.#cache?.n === n) return this.#cache;
    const index = this.records.findIndex((r) => r.n === n);
    if (index < 0) return null;
    let start = index;
    while (start >= 0 && !this.records[start]!.base) start--;
    if (start < 0) return null;
    // A delta applies to the manifest right before it: a gap in the numbers breaks the chain.
    for (let i = start + 1; i <= index; i++) if (this.records[i]!.n !== this.records[i - 1]!.n + 1) return null;
    const files = new Map<string, FileRef>();
    let dirs: string[] = [];
    let sinceBase = 0;
    for (let i = start; i <= index; i++) {
      const record = this.records[i]!;
      if (record.base) files.clear();
      else sinceBase += Object.keys(record.files).length;
      for (const [path, ref] of Object.entries(record.files)) {
        if (ref) files.set(path, ref);
        else files.delete(path);
      }
      if (record.dirs) dirs = record.dirs;
    }
    const record = this.records[index]!;
    this.#cache = { n, atRecord: record.atRecord, savedAt: record.savedAt, files, dirs: [...dirs], sinceBase };
    return this.#cache;
  }
}

/** A manifest record read back from storage or a file, or what is wrong with it. */
export function checkManifest(value: unknown): Checked<ManifestRecord> {
  const bad = (problem: string): Checked<ManifestRecord> => ({ ok: false, problem });
  if (!isObject(value)) return bad('is not an object');
  if (!isCount(value.n) || !isCount(value.atRecord) || !isTimestamp(value.savedAt)) return bad('has no position');
  if (typeof value.reason !== 'string' || typeof value.base !== 'boolean') return bad('has no kind');
  if (!isObject(value.files)) return bad('has no file list');
  const files: Record<string, FileRef | null> = Object.create(null) as Record<string, FileRef | null>;
  for (const [path, ref] of Object.entries(value.files)) {
    const hostile = hostileNameProblem(path);
    if (hostile) return bad(`names a file whose ${hostile}`);
    if (!isWorkspacePath(path)) return bad(`names a path outside the workspace (${JSON.stringify(path.slice(0, 80))})`);
    if (ref === null && !value.base) files[path] = null;
    else if (isObject(ref) && isHash(ref.hash) && isCount(ref.size)) files[path] = { hash: ref.hash, size: ref.size };
    else return bad(`has a bad entry for ${JSON.stringify(path.slice(0, 80))}`);
  }
  const record: ManifestRecord = {
    n: value.n,
    atRecord: value.atRecord,
    savedAt: value.savedAt,
    reason: value.reason as ManifestReason,
    base: value.base,
    files,
  };
  if (value.dirs !== undefined) {
    const hostile = Array.isArray(value.dirs)
      ? value.dirs.map((d) => (typeof d === 'string' ? hostileNameProblem(d) : undefined)).find(Boolean)
      : undefined;
    if (hostile) return bad(`names a directory whose ${hostile}`);
    if (!Array.isArray(value.dirs) || !value.dirs.every((d) => typeof d === 'string' && isWorkspacePath(d))) return bad('has a bad directory list');
    record.dirs = [...(value.dirs as string[])];
  }
  return { ok: true, value: record };
}

/** Relative, normalised, inside the root, and free of control and bidirectional characters. */
export function isWorkspacePath(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || hostileNameProblem(path)) return false;
  return !path.split('/').some((part) => part === '' || part === '.' || part === '..');
}

/** A workspace's files as a state plus the bytes of each hash. */
export function stateFromSnapshot(snapshot: Snapshot): { state: WorkspaceState; blobs: Map<string, Uint8Array> } {
  const encoder = new TextEncoder();
  const files = new Map<string, FileRef>();
  const blobs = new Map<string, Uint8Array>();
  const add = (path: string, bytes: Uint8Array) => {
    const hash = hashBytes(bytes);
    files.set(path, { hash, size: bytes.length });
    blobs.set(hash, bytes);
  };
  for (const [path, text] of Object.entries(snapshot.files)) add(path, encoder.encode(text));
  for (const [path, base64] of Object.entries(snapshot.binary)) add(path, fromBase64(base64));
  return { state: { files, dirs: [...snapshot.dirs].sort() }, blobs };
}

/** The snapshot of `state` (restricted to `paths` when given), from the blobs it names. Missing blobs are reported. */
export function snapshotFromState(
  state: WorkspaceState,
  blobs: ReadonlyMap<string, Uint8Array>,
  paths?: readonly string[],
): { snapshot: Snapshot; missing: string[] } {
  const snapshot: Snapshot = {
    format: 'unroll-workspace',
    version: 1,
    files: Object.create(null) as Record<string, string>,
    binary: Object.create(null) as Record<string, string>,
    dirs: paths ? [] : [...state.dirs],
  };
  const missing: string[] = [];
  for (const path of paths ?? [...state.files.keys()]) {
    const ref = state.files.get(path);
    if (!ref) continue;
    const bytes = blobs.get(ref.hash);
    if (!bytes) {
      missing.push(path);
      continue;
    }
    const text = asText(bytes);
    if (text === undefined) snapshot.binary[path] = toBase64(bytes);
    else snapshot.files[path] = text;
  }
  return { snapshot, missing };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
