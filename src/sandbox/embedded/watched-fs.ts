/**
 * A just-bash filesystem that reports its own mutations. It is what the embedded sandbox hands
 * to `new Bash({ fs })` and what its fs API writes through, so a change made by a shell command
 * (`echo x > f`, `rm -r d`, `mv a b`) and one made by the editor produce the same events.
 *
 * Contract:
 * - every mutating method delegates to the wrapped filesystem; only when it succeeds are the
 *   changes emitted, synchronously, one event per path (nothing is batched or deduplicated);
 * - writeFile/appendFile: 'create' or 'change' (decided by a stat before), preceded by a
 *   'create' for each parent directory the write brought into being;
 * - mkdir: 'create' for each directory it made, outermost first;
 * - rm: 'delete' for the removed path and everything under it, children first;
 * - mv: 'delete' for the source tree, then 'create' for the target tree (parents first);
 *   cp: 'create' for the target tree; a target file that existed is a 'change';
 * - symlink/link: 'create'; chmod/utimes: nothing;
 * - only paths strictly inside `root` are reported; the root itself always exists (an rm
 *   that removes it re-creates it empty).
 * Bookkeeping (the stats and walks above) is skipped while nobody listens.
 */
import type { CpOptions, FileContent, FsStat, IFileSystem, MkdirOptions, RmOptions } from 'just-bash';
import { dirname, isInside, normalizePath } from '../../core/paths';
import type { FsChange } from '../sandbox';

type WriteOptions = Parameters<IFileSystem['writeFile']>[2];
type ReadOptions = Parameters<IFileSystem['readFile']>[1];

/** The synchronous setup methods just-bash uses (duck-typed) to lay out /bin, /dev and /proc. */
interface SyncSetup {
  mkdirSync?(path: string, options?: MkdirOptions): void;
  writeFileSync?(path: string, content: FileContent, options?: WriteOptions): void;
}

interface Entry {
  path: string;
  isDirectory: boolean;
}

export class WatchedFs implements IFileSystem {
  readonly #listeners = new Set<(change: FsChange) => void>();
  readonly readFileBytes: IFileSystem['readFileBytes'];
  readonly readdirWithFileTypes: IFileSystem['readdirWithFileTypes'];

  readonly #inner: IFileSystem;

  constructor(
    inner: IFileSystem,
    readonly root: string,
  ) {
    this.#inner = inner;
    this.readFileBytes = inner.readFileBytes?.bind(inner);
    this.readdirWithFileTypes = inner.readdirWithFileTypes?.bind(inner);
  }

  /** Subscribes to changes inside the root; returns the unsubscribe function. */
  watch(listener: (change: FsChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ------------------------------------------------------------------------ reads: delegated

  readFile(path: string, options?: ReadOptions): Promise<string> {
    return this.#inner.readFile(path, options);
  }
  readFileBuffer(path: string): Promise<Uint8Array> {
    return this.#inner.readFileBuffer(path);
  }
  exists(path: string): Promise<boolean> {
    return this.#inner.exists(path);
  }
  stat(path: string): Promise<FsStat> {
    return this.#inner.stat(path);
  }
  lstat(path: string): Promise<FsStat> {
    return this.#inner.lstat(path);
  }
  readdir(path: string): Promise<string[]> {
    return this.#inner.readdir(path);
  }
  readlink(path: string): Promise<string> {
    return this.#inner.readlink(path);
  }
  realpath(path: string): Promise<string> {
    return this.#inner.realpath(path);
  }
  resolvePath(base: string, path: string): string {
    return this.#inner.resolvePath(base, path);
  }
  getAllPaths(): string[] {
    return this.#inner.getAllPaths();
  }

  // --------------------------------------------------------------- metadata: no change events

  chmod(path: string, mode: number): Promise<void> {
    return this.#inner.chmod(path, mode);
  }
  utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    return this.#inner.utimes(path, atime, mtime);
  }

  /** Setup only (Bash's default layout, outside the workspace): no events. */
  mkdirSync(path: string, options?: MkdirOptions): void {
    const inner = this.#inner as IFileSystem & SyncSetup;
    if (!inner.mkdirSync) throw new Error('the wrapped filesystem has no mkdirSync');
    inner.mkdirSync(path, options);
  }
  writeFileSync(path: string, content: FileContent, options?: WriteOptions): void {
    const inner = this.#inner as IFileSystem & SyncSetup;
    if (!inner.writeFileSync) throw new Error('the wrapped filesystem has no writeFileSync');
    inner.writeFileSync(path, content, options);
  }

  // ---------------------------------------------------------------------------- mutations

  writeFile(path: string, content: FileContent, options?: WriteOptions): Promise<void> {
    return this.#writeLike(path, () => this.#inner.writeFile(path, content, options));
  }

  appendFile(path: string, content: FileContent, options?: WriteOptions): Promise<void> {
    return this.#writeLike(path, () => this.#inner.appendFile(path, content, options));
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    if (!this.#watching(path)) return this.#inner.mkdir(path, options);
    const made = options?.recursive ? await this.#missingFrom(path) : (await this.#lstatOrNull(path)) ? [] : [normalizePath(path)];
    await this.#inner.mkdir(path, options);
    for (const dir of made) this.#emit('create', dir, true);
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    const removed = this.#watching(path) ? await this.#tree(path) : [];
    await this.#inner.rm(path, options);
    for (const entry of removed.reverse()) this.#emit('delete', entry.path, entry.isDirectory);
    if (!(await this.#inner.exists(this.root))) await this.#inner.mkdir(this.root, { recursive: true });
  }

  async mv(src: string, dest: string): Promise<void> {
    if (!this.#watching(src) && !this.#watching(dest)) return this.#inner.mv(src, dest);
    const removed = await this.#tree(src);
    const before = await this.#lstatOrNull(dest);
    const parents = await this.#missingFrom(dirname(dest));
    await this.#inner.mv(src, dest);
    for (const entry of removed.reverse()) this.#emit('delete', entry.path, entry.isDirectory);
    await this.#emitCreated(parents, dest, before);
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    if (!this.#watching(dest)) return this.#inner.cp(src, dest, options);
    const before = await this.#lstatOrNull(dest);
    const parents = await this.#missingFrom(dirname(dest));
    await this.#inner.cp(src, dest, options);
    await this.#emitCreated(parents, dest, before);
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    await this.#inner.symlink(target, linkPath);
    this.#emit('create', normalizePath(linkPath), false);
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    await this.#inner.link(existingPath, newPath);
    this.#emit('create', normalizePath(newPath), false);
  }

  // ------------------------------------------------------------------------------ helpers

  async #writeLike(path: string, write: () => Promise<void>): Promise<void> {
    if (!this.#watching(path)) return write();
    const before = await this.#lstatOrNull(path);
    const parents = before ? [] : await this.#missingFrom(dirname(path));
    await write();
    for (const dir of parents) this.#emit('create', dir, true);
    this.#emit(before ? 'change' : 'create', normalizePath(path), false);
  }

  /** Emits creates for new parents, then the target tree; a target file that existed changed. */
  async #emitCreated(parents: string[], dest: string, before: FsStat | null): Promise<void> {
    for (const dir of parents) this.#emit('create', dir, true);
    for (const entry of await this.#tree(dest)) {
      const replaced = before !== null && !before.isDirectory && entry.path === normalizePath(dest);
      this.#emit(replaced ? 'change' : 'create', entry.path, entry.isDirectory);
    }
  }

  #watching(path: string): boolean {
    return this.#listeners.size > 0 && isInside(this.root, normalizePath(path));
  }

  async #lstatOrNull(path: string): Promise<FsStat | null> {
    try {
      return await this.#inner.lstat(path);
    } catch {
      return null;
    }
  }

  /** `path` and its missing ancestors that do not exist yet, outermost first. */
  async #missingFrom(path: string): Promise<string[]> {
    const missing: string[] = [];
    let current = normalizePath(path);
    while (current !== '/' && !(await this.#lstatOrNull(current))) {
      missing.unshift(current);
      current = dirname(current);
    }
    return missing;
  }

  /** The path and everything under it, parents before children; symlinks are not followed. */
  async #tree(path: string): Promise<Entry[]> {
    const top = normalizePath(path);
    const stat = await this.#lstatOrNull(top);
    if (!stat) return [];
    const out: Entry[] = [{ path: top, isDirectory: stat.isDirectory }];
    if (!stat.isDirectory) return out;
    for (const name of (await this.#inner.readdir(top)).sort()) out.push(...(await this.#tree(`${top === '/' ? '' : top}/${name}`)));
    return out;
  }

  #emit(kind: FsChange['kind'], path: string, isDirectory: boolean): void {
    if (path === this.root || !isInside(this.root, path)) return;
    const change: FsChange = { kind, path, isDirectory };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        // A faulty listener must not fail the write that triggered it.
        console.error('fs change listener failed', err);
      }
    }
  }
}
