/**
 * A synchronous view of the sandbox filesystem for one `node` run (the sync QuickJS engine
 * cannot wait for the async `ctx.fs`; see quickjs.ts).
 *
 * - Loaded before the script starts: every directory under `roots` (the cwd's top directory,
 *   /tmp, the home directory), with file contents up to a budget. `node_modules` and `.git`
 *   are listed but not entered; files past the budget are listed but unreadable. Paths
 *   outside the roots are refused (EACCES), never guessed at.
 * - Reads answer from the mirror. Writes change the mirror at once and are replayed on the
 *   real filesystem in order (`flush`), so the sandbox's change events fire for each of them.
 * - Errors are Node-style: `FsError` with `code` and "ENOENT: no such file or directory, open
 *   '/workspace/x'".
 * What other commands change while the script runs is not seen.
 */
import type { IFileSystem } from 'just-bash';
import { dirname, isInside, normalizePath } from '../../../core/context/paths';

export class FsError extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

type Entry =
  | { kind: 'file'; data: Uint8Array | null; size: number; mtimeMs: number }
  | { kind: 'dir'; loaded: boolean; mtimeMs: number };

export interface MirrorStat {
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  size: number;
  mode: number;
  mtimeMs: number;
}

const NOT_ENTERED = new Set(['node_modules', '.git']);
/** just-bash's stand-ins for system directories: never entered, even when the cwd is '/'. */
const SYSTEM_DIRS = new Set(['/bin', '/sbin', '/usr', '/lib', '/proc', '/dev', '/sys']);
const LIMITS = { files: 5_000, bytes: 32 * 1024 * 1024, fileBytes: 8 * 1024 * 1024 };
const child = (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`);

export class FsMirror {
  private readonly entries = new Map<string, Entry>();
  private readonly children = new Map<string, Set<string>>();
  private queue: Promise<void> = Promise.resolve();
  private failure: string | undefined;

  private constructor(
    private readonly fs: IFileSystem,
    readonly roots: string[],
  ) {}

  static async load(fs: IFileSystem, roots: string[]): Promise<FsMirror> {
    const unique = [...new Set(roots.map(normalizePath))];
    // A root inside another one is covered by it.
    const outer = unique.filter((root) => !unique.some((other) => other !== root && isInside(other, root)));
    const mirror = new FsMirror(fs, outer);
    mirror.entries.set('/', { kind: 'dir', loaded: true, mtimeMs: 0 });
    const budget = { ...LIMITS };
    for (const root of outer) {
      const stat = await fs.stat(root).catch(() => null);
      if (!stat?.isDirectory) continue;
      for (let dir = root; dir !== '/'; dir = dirname(dir)) mirror.add(dirname(dir), dir, { kind: 'dir', loaded: true, mtimeMs: 0 });
      await mirror.walk(root, budget);
    }
    return mirror;
  }

  private async walk(dir: string, budget: typeof LIMITS): Promise<void> {
    const list = this.fs.readdirWithFileTypes
      ? await this.fs.readdirWithFileTypes(dir)
      : (await this.fs.readdir(dir)).map((name) => ({ name, isDirectory: false, isFile: false, isSymbolicLink: true }));
    await Promise.all(
      list.map(async (d) => {
        const path = child(dir, d.name);
        const stat = d.isDirectory ? null : await this.fs.stat(path).catch(() => null);
        if (d.isDirectory || stat?.isDirectory) {
          // Directories behind symlinks are listed but not followed (no cycles).
          const enter = d.isDirectory && !NOT_ENTERED.has(d.name) && !SYSTEM_DIRS.has(path) && budget.files > 0;
          this.add(dir, path, { kind: 'dir', loaded: enter, mtimeMs: stat?.mtime.getTime() ?? 0 });
          if (enter) await this.walk(path, budget);
          return;
        }
        if (!stat) return; // a dangling symlink
        budget.files--;
        const load = budget.files >= 0 && stat.size <= budget.fileBytes && stat.size <= budget.bytes;
        if (load) budget.bytes -= stat.size;
        const data = load ? await this.fs.readFileBuffer(path) : null;
        this.add(dir, path, { kind: 'file', data, size: data?.length ?? stat.size, mtimeMs: stat.mtime.getTime() });
      }),
    );
  }

  private add(dir: string, path: string, entry: Entry): void {
    this.entries.set(path, entry);
    let names = this.children.get(dir);
    if (!names) this.children.set(dir, (names = new Set()));
    names.add(path.slice(path.lastIndexOf('/') + 1));
  }

  /** The entry at `path`, after checking the mirror covers it. */
  private find(path: string, syscall: string): Entry | undefined {
    if (!this.roots.some((root) => isInside(root, path) || isInside(path, root))) {
      throw new FsError('EACCES', `permission denied, ${syscall} '${path}' (the embedded node sees ${this.roots.join(', ')})`);
    }
    for (let dir = dirname(path); dir !== '/' && !this.roots.some((r) => isInside(dir, r)); dir = dirname(dir)) {
      const up = this.entries.get(dir);
      if (up?.kind === 'dir' && !up.loaded) {
        throw new FsError('EACCES', `permission denied, ${syscall} '${path}' (the embedded node does not load ${dir})`);
      }
    }
    return this.entries.get(path);
  }

  private parentDir(path: string, syscall: string): void {
    const parent = this.find(dirname(path), syscall);
    if (!parent) throw new FsError('ENOENT', `no such file or directory, ${syscall} '${path}'`);
    if (parent.kind !== 'dir') throw new FsError('ENOTDIR', `not a directory, ${syscall} '${path}'`);
  }

  private replay(what: string, op: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await op();
      } catch (err) {
        this.failure = `${what}: ${err instanceof Error ? err.message : String(err)}`;
      }
    });
  }

  /** Waits until every write so far reached the real filesystem; answers the first failure, once. */
  async flush(): Promise<string | undefined> {
    await this.queue;
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }

  read(path: string): Uint8Array {
    const entry = this.find(path, 'open');
    if (!entry) throw new FsError('ENOENT', `no such file or directory, open '${path}'`);
    if (entry.kind === 'dir') throw new FsError('EISDIR', 'illegal operation on a directory, read');
    if (!entry.data) throw new FsError('EFBIG', `file too large, open '${path}' (the embedded node loads files up to its budget)`);
    return entry.data;
  }

  write(path: string, data: Uint8Array, append: boolean): void {
    const entry = this.find(path, 'open');
    if (entry?.kind === 'dir') throw new FsError('EISDIR', `illegal operation on a directory, open '${path}'`);
    this.parentDir(path, 'open');
    const before = entry?.kind === 'file' ? entry.data : new Uint8Array(0);
    if (append && before === null) throw new FsError('EFBIG', `file too large, open '${path}'`);
    const next = append && before ? concat(before, data) : data;
    this.add(dirname(path), path, { kind: 'file', data: next, size: next.length, mtimeMs: Date.now() });
    this.replay(`writing ${path}`, () => (append ? this.fs.appendFile(path, data) : this.fs.writeFile(path, data)));
  }

  exists(path: string): boolean {
    try {
      return this.find(path, 'access') !== undefined;
    } catch {
      return false;
    }
  }

  stat(path: string, syscall: string): MirrorStat {
    const entry = this.find(path, syscall);
    if (!entry) throw new FsError('ENOENT', `no such file or directory, ${syscall} '${path}'`);
    const isFile = entry.kind === 'file';
    return { isFile, isDirectory: !isFile, isSymbolicLink: false, size: isFile ? entry.size : 4096, mode: isFile ? 0o100644 : 0o40755, mtimeMs: entry.mtimeMs };
  }

  readdir(path: string): { name: string; isFile: boolean; isDirectory: boolean; isSymbolicLink: boolean }[] {
    const entry = this.find(path, 'scandir');
    if (!entry) throw new FsError('ENOENT', `no such file or directory, scandir '${path}'`);
    if (entry.kind !== 'dir') throw new FsError('ENOTDIR', `not a directory, scandir '${path}'`);
    if (!entry.loaded) throw new FsError('EACCES', `permission denied, scandir '${path}' (the embedded node does not load it)`);
    return [...(this.children.get(path) ?? [])].sort().map((name) => {
      const isFile = this.entries.get(child(path, name))?.kind === 'file';
      return { name, isFile, isDirectory: !isFile, isSymbolicLink: false };
    });
  }

  mkdir(path: string, recursive: boolean): void {
    const entry = this.find(path, 'mkdir');
    if (entry) {
      if (recursive && entry.kind === 'dir') return;
      throw new FsError('EEXIST', `file already exists, mkdir '${path}'`);
    }
    if (recursive) {
      const parent = this.find(dirname(path), 'mkdir');
      if (parent?.kind === 'file') throw new FsError('ENOTDIR', `not a directory, mkdir '${path}'`);
      if (!parent) this.mkdir(dirname(path), true);
    } else this.parentDir(path, 'mkdir');
    this.add(dirname(path), path, { kind: 'dir', loaded: true, mtimeMs: Date.now() });
    this.replay(`creating ${path}`, () => this.fs.mkdir(path, { recursive: true }));
  }

  /** `mode` picks Node's rules: rm (dirs need recursive), rmdir (empty dirs only), unlink (files only). */
  rm(path: string, mode: 'rm' | 'rmdir' | 'unlink', recursive: boolean, force: boolean): void {
    const entry = this.find(path, mode);
    if (!entry) {
      if (force) return;
      throw new FsError('ENOENT', `no such file or directory, ${mode} '${path}'`);
    }
    const hasChildren = (this.children.get(path)?.size ?? 0) > 0;
    if (entry.kind === 'dir' && mode === 'unlink') throw new FsError('EISDIR', `illegal operation on a directory, unlink '${path}'`);
    if (entry.kind === 'file' && mode === 'rmdir') throw new FsError('ENOTDIR', `not a directory, rmdir '${path}'`);
    if (entry.kind === 'dir' && mode === 'rm' && !recursive) throw new FsError('EISDIR', `is a directory, rm '${path}' (use { recursive: true })`);
    if (entry.kind === 'dir' && (hasChildren || !entry.loaded) && !recursive) throw new FsError('ENOTEMPTY', `directory not empty, rmdir '${path}'`);
    this.drop(path);
    this.replay(`removing ${path}`, () => this.fs.rm(path, { recursive: true, force: true }));
  }

  rename(from: string, to: string): void {
    const entry = this.find(from, 'rename');
    if (!entry) throw new FsError('ENOENT', `no such file or directory, rename '${from}' -> '${to}'`);
    this.parentDir(to, 'rename');
    const target = this.find(to, 'rename');
    if (target?.kind === 'dir' && entry.kind === 'file') throw new FsError('EISDIR', `illegal operation on a directory, rename '${from}' -> '${to}'`);
    this.copyTree(from, to);
    this.drop(from);
    this.replay(`moving ${from}`, () => this.fs.mv(from, to));
  }

  copy(from: string, to: string): void {
    if (!this.find(from, 'copyfile')) throw new FsError('ENOENT', `no such file or directory, copyfile '${from}' -> '${to}'`);
    this.parentDir(to, 'copyfile');
    this.copyTree(from, to);
    this.replay(`copying ${from}`, () => this.fs.cp(from, to, { recursive: true }));
  }

  private copyTree(from: string, to: string): void {
    const entry = this.entries.get(from);
    if (!entry) return;
    if (this.entries.get(to)) this.drop(to);
    this.add(dirname(to), to, { ...entry });
    for (const name of this.children.get(from) ?? []) this.copyTree(child(from, name), child(to, name));
  }

  private drop(path: string): void {
    for (const name of this.children.get(path) ?? []) this.drop(child(path, name));
    this.children.delete(path);
    this.entries.delete(path);
    this.children.get(dirname(path))?.delete(path.slice(path.lastIndexOf('/') + 1));
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
