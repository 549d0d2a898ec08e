/**
 * Which workspace files changed since the last saved manifest, from the sandbox's change
 * events, so a save reads and hashes only those: after a one-line edit in a large workspace
 * it touches one file, not all of them. A full scan stands in when the events cannot be
 * trusted (the first save of a workspace nobody tracked).
 */
import { hashBytes } from '../store/hash';
import { stateFromSnapshot, type FileRef, type WorkspaceState } from '../store/manifests';
import { isRebuildable, type Snapshot } from '../sandbox/snapshot';
import type { FsChange, SandboxFilesystem } from '../sandbox/sandbox';

export interface Collected {
  next: WorkspaceState;
  /** Contents read for this save, by hash. */
  blobs: Map<string, Uint8Array>;
  /** The dirty paths it took; give them back with `retry` when the save fails. */
  taken: Set<string>;
}

export class WorkspaceTracker {
  readonly #fs: SandboxFilesystem;
  readonly #root: string;
  readonly #scan: () => Promise<Snapshot>;
  #state: WorkspaceState;
  #dirty = new Set<string>();
  #rescan: boolean;

  /** `state` is what is stored now; null means unknown (the first save scans everything). */
  constructor(fs: SandboxFilesystem, root: string, scan: () => Promise<Snapshot>, state: WorkspaceState | null) {
    this.#fs = fs;
    this.#root = root.replace(/\/+$/, '');
    this.#scan = scan;
    this.#state = state ?? { files: new Map(), dirs: [] };
    this.#rescan = state === null;
  }

  get dirty(): boolean {
    return this.#rescan || this.#dirty.size > 0;
  }

  get state(): WorkspaceState {
    return this.#state;
  }

  /** A change event from the sandbox. */
  mark(change: FsChange): void {
    const rel = this.#relative(change.path);
    if (rel === null || isRebuildable(rel)) return;
    this.#dirty.add(rel);
  }

  /** The next save reads the whole workspace. */
  rescan(): void {
    this.#rescan = true;
  }

  /** What the workspace holds now, reading only what changed. Null when nothing is dirty. */
  async collect(): Promise<Collected | null> {
    if (!this.dirty) return null;
    const taken = this.#dirty;
    this.#dirty = new Set();
    if (this.#rescan) {
      this.#rescan = false;
      const { state, blobs } = stateFromSnapshot(await this.#scan());
      return { next: state, blobs, taken };
    }
    const files = new Map(this.#state.files);
    const dirs = new Set(this.#state.dirs);
    const blobs = new Map<string, Uint8Array>();
    const parents = new Set<string>();
    for (const rel of taken) {
      for (const path of [...files.keys()]) if (path === rel || path.startsWith(`${rel}/`)) files.delete(path);
      for (const dir of [...dirs]) if (dir === rel || dir.startsWith(`${rel}/`)) dirs.delete(dir);
      await this.#read(rel, files, dirs, blobs);
      const slash = rel.lastIndexOf('/');
      if (slash > 0) parents.add(rel.slice(0, slash));
    }
    for (const parent of parents) {
      const stat = await this.#fs.stat(this.#absolute(parent)).catch(() => null);
      const empty = stat?.isDirectory && (await this.#fs.list(this.#absolute(parent)).catch(() => [{}])).length === 0;
      if (empty) dirs.add(parent);
      else dirs.delete(parent);
    }
    // A directory holding a file is not an empty one.
    for (const path of files.keys()) for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) dirs.delete(path.slice(0, i));
    return { next: { files, dirs: [...dirs].sort() }, blobs, taken };
  }

  /** The save of `collected` is stored. */
  commit(collected: Collected): void {
    this.#state = collected.next;
  }

  /** The save failed: its paths are dirty again. */
  retry(collected: Collected): void {
    for (const path of collected.taken) this.#dirty.add(path);
  }

  /** The workspace was replaced (restore): this is what is stored and on disk now. */
  reset(state: WorkspaceState): void {
    this.#state = state;
    this.#dirty.clear();
    this.#rescan = false;
  }

  async #read(rel: string, files: Map<string, FileRef>, dirs: Set<string>, blobs: Map<string, Uint8Array>): Promise<void> {
    const abs = this.#absolute(rel);
    const stat = await this.#fs.stat(abs).catch(() => null);
    if (!stat) return;
    if (stat.isFile) {
      const bytes = await this.#fs.readFileBytes(abs).catch(() => null);
      if (!bytes) return;
      const hash = hashBytes(bytes);
      files.set(rel, { hash, size: bytes.length });
      blobs.set(hash, bytes);
      return;
    }
    if (!stat.isDirectory) return;
    const entries = await this.#fs.list(abs).catch(() => []);
    if (entries.length === 0) dirs.add(rel);
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (!isRebuildable(child)) await this.#read(child, files, dirs, blobs);
    }
  }

  #relative(path: string): string | null {
    if (!path.startsWith(`${this.#root}/`)) return null;
    return path.slice(this.#root.length + 1) || null;
  }

  #absolute(rel: string): string {
    return `${this.#root}/${rel}`;
  }
}
