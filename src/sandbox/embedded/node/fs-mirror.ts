/**
 * A synchronous view of the sandbox filesystem for one `node` run (the sync QuickJS engine
 * cannot wait for the async `ctx.fs`; see quickjs.ts).
 *
 * - Loaded before the script starts (`loadSnapshot`, on the page's side): every directory
 *   under `roots` (the cwd's top directory, /tmp, the home directory), with file contents up to
 *   a budget. `node_modules` and `.git` are listed but not entered; files past the budget are
 *   listed but unreadable. Paths outside the roots are refused (EACCES), never guessed at.
 * - The snapshot is plain data, so it can be handed to the worker that runs the script.
 * - Reads answer from the mirror. Writes change the mirror at once and are handed to `sink` as
 *   `FsOp`s, which the page replays on the real filesystem in order (`FsReplay`), so the
 *   sandbox's change events fire for each of them.
 * - Errors are Node-style: `FsError` with `code` and "ENOENT: no such file or directory, open
 *   '/workspace/x'".
 * What other commands change while the script runs is not seen.
 */
import type { IFileSystem } from 'just-bash';
import { dirname, isInside, normalizePath } from '../../../core/paths';

export class FsError extends Error {
  constructor(
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

type Entry = { kind: 'file'; data: Uint8Array | null; size: number; mtimeMs: number } | { kind: 'dir'; loaded: boolean; mtimeMs: number };

/** The files a run may see, as structured-cloneable data. */
export interface MirrorSnapshot {
  roots: string[];
  entries: [path: string, entry: Entry][];
}

/** One change a script made, to replay on the real filesystem. */
export type FsOp =
  | { op: 'write'; path: string; data: Uint8Array; append: boolean }
  | { op: 'mkdir'; path: string }
  | { op: 'rm'; path: string }
  | { op: 'mv'; from: string; to: string }
  | { op: 'cp'; from: string; to: string };

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

/** Reads what a run may see from `fs` (see the module comment for the budget). */
export async function loadSnapshot(fs: IFileSystem, roots: string[]): Promise<MirrorSnapshot> {
  const unique = [...new Set(roots.map(normalizePath))];
  // A root inside another one is covered by it.
  const outer = unique.filter((root) => !unique.some((other) => other !== root && isInside(other, root)));
  const entries = new Map<string, Entry>([['/', { kind: 'dir', loaded: true, mtimeMs: 0 }]]);
  const budget = { ...LIMITS };
  const walk = async (dir: string): Promise<void> => {
    const list = fs.readdirWithFileTypes
      ? await fs.readdirWithFileTypes(dir)
      : (await fs.readdir(dir)).map((name) => ({ name, isDirectory: false, isFile: false, isSymbolicLink: true }));
    await Promise.all(
      list.map(async (d) => {
        const path = child(dir, d.name);
        const stat = d.isDirectory ? null : await fs.stat(path).catch(() => null);
        if (d.isDirectory || stat?.isDirectory) {
          // Directories behind symlinks are listed but not followed (no cycles).
          const enter = d.isDirectory && !NOT_ENTERED.has(d.name) && !SYSTEM_DIRS.has(path) && budget.files > 0;
          entries.set(path, { kind: 'dir', loaded: enter, mtimeMs: stat?.mtime.getTime() ?? 0 });
          if (enter) await walk(path);
          return;
        }
        if (!stat) return; // a dangling symlink
        budget.files--;
        const load = budget.files >= 0 && stat.size <= budget.fileBytes && stat.size <= budget.bytes;
        if (load) budget.bytes -= stat.size;
        const data = load ? await fs.readFileBuffer(path) : null;
        entries.set(path, { kind: 'file', data, size: data?.length ?? stat.size, mtimeMs: stat.mtime.getTime() });
      }),
    );
  };
  for (const root of outer) {
    const stat = await fs.stat(root).catch(() => null);
    if (!stat?.isDirectory) continue;
    for (let dir = root; dir !== '/'; dir = dirname(dir)) entries.set(dir, { kind: 'dir', loaded: true, mtimeMs: 0 });
    await walk(root);
  }
  return { roots: outer, entries: [...entries] };
}

/**
 * Replays a run's `FsOp`s on the real filesystem, one after another.
 * Contract: `push` never throws; `flush` answers the first failure once (later ops are skipped
 * after a failure, since they may depend on it).
 */
export class FsReplay {
  #queue: Promise<void> = Promise.resolve();
  #failure: string | undefined;

  readonly #fs: IFileSystem;

  constructor(fs: IFileSystem) {
    this.#fs = fs;
  }

  push(op: FsOp): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#failure) return;
      try {
        await applyOp(this.#fs, op);
      } catch (err) {
        const what = { write: 'writing', mkdir: 'creating', rm: 'removing', mv: 'moving', cp: 'copying' }[op.op];
        this.#failure = `${what} ${'path' in op ? op.path : op.from}: ${err instanceof Error ? err.message : String(err)}`;
      }
    });
  }

  /** Waits until every op so far reached the real filesystem; answers the first failure, once. */
  async flush(): Promise<string | undefined> {
    await this.#queue;
    const failure = this.#failure;
    this.#failure = undefined;
    return failure;
  }
}

function applyOp(fs: IFileSystem, op: FsOp): Promise<void> {
  switch (op.op) {
    case 'write':
      return op.append ? fs.appendFile(op.path, op.data) : fs.writeFile(op.path, op.data);
    case 'mkdir':
      return fs.mkdir(op.path, { recursive: true });
    case 'rm':
      return fs.rm(op.path, { recursive: true, force: true });
    case 'mv':
      return fs.mv(op.from, op.to);
    case 'cp':
      return fs.cp(op.from, op.to, { recursive: true });
  }
}

export class FsMirror {
  readonly #entries = new Map<string, Entry>();
  readonly #children = new Map<string, Set<string>>();
  readonly roots: string[];

  readonly #sink: (op: FsOp) => void;

  constructor(snapshot: MirrorSnapshot, sink: (op: FsOp) => void) {
    this.#sink = sink;
    this.roots = snapshot.roots;
    for (const [path, entry] of snapshot.entries) {
      if (path === '/') this.#entries.set(path, entry);
      else this.#add(dirname(path), path, entry);
    }
  }

  #add(dir: string, path: string, entry: Entry): void {
    this.#entries.set(path, entry);
    let names = this.#children.get(dir);
    if (!names) this.#children.set(dir, (names = new Set()));
    names.add(path.slice(path.lastIndexOf('/') + 1));
  }

  /** The entry at `path`, after checking the mirror covers it. */
  #find(path: string, syscall: string): Entry | undefined {
    if (!this.roots.some((root) => isInside(root, path) || isInside(path, root))) {
      throw new FsError('EACCES', `permission denied, ${syscall} '${path}' (the embedded node sees ${this.roots.join(', ')})`);
    }
    for (let dir = dirname(path); dir !== '/' && !this.roots.some((r) => isInside(dir, r)); dir = dirname(dir)) {
      const up = this.#entries.get(dir);
      if (up?.kind === 'dir' && !up.loaded) {
        throw new FsError('EACCES', `permission denied, ${syscall} '${path}' (the embedded node does not load ${dir})`);
      }
    }
    return this.#entries.get(path);
  }

  #parentDir(path: string, syscall: string): void {
    const parent = this.#find(dirname(path), syscall);
    if (!parent) throw new FsError('ENOENT', `no such file or directory, ${syscall} '${path}'`);
    if (parent.kind !== 'dir') throw new FsError('ENOTDIR', `not a directory, ${syscall} '${path}'`);
  }

  read(path: string): Uint8Array {
    const entry = this.#find(path, 'open');
    if (!entry) throw new FsError('ENOENT', `no such file or directory, open '${path}'`);
    if (entry.kind === 'dir') throw new FsError('EISDIR', 'illegal operation on a directory, read');
    if (!entry.data) throw new FsError('EFBIG', `file too large, open '${path}' (the embedded node loads files up to its budget)`);
    return entry.data;
  }

  write(path: string, data: Uint8Array, append: boolean): void {
    const entry = this.#find(path, 'open');
    if (entry?.kind === 'dir') throw new FsError('EISDIR', `illegal operation on a directory, open '${path}'`);
    this.#parentDir(path, 'open');
    const before = entry?.kind === 'file' ? entry.data : new Uint8Array(0);
    if (append && before === null) throw new FsError('EFBIG', `file too large, open '${path}'`);
    const next = append && before ? concat(before, data) : data;
    this.#add(dirname(path), path, { kind: 'file', data: next, size: next.length, mtimeMs: Date.now() });
    this.#sink({ op: 'write', path, data, append });
  }

  exists(path: string): boolean {
    try {
      return this.#find(path, 'access') !== undefined;
    } catch {
      return false;
    }
  }

  stat(path: string, syscall: string): MirrorStat {
    const entry = this.#find(path, syscall);
    if (!entry) throw new FsError('ENOENT', `no such file or directory, ${syscall} '${path}'`);
    const isFile = entry.kind === 'file';
    return {
      isFile,
      isDirectory: !isFile,
      isSymbolicLink: false,
      size: isFile ? entry.size : 4096,
      mode: isFile ? 0o100644 : 0o40755,
      mtimeMs: entry.mtimeMs,
    };
  }

  readdir(path: string): { name: string; isFile: boolean; isDirectory: boolean; isSymbolicLink: boolean }[] {
    const entry = this.#find(path, 'scandir');
    if (!entry) throw new FsError('ENOENT', `no such file or directory, scandir '${path}'`);
    if (entry.kind !== 'dir') throw new FsError('ENOTDIR', `not a directory, scandir '${path}'`);
    if (!entry.loaded) throw new FsError('EACCES', `permission denied, scandir '${path}' (the embedded node does not load it)`);
    return [...(this.#children.get(path) ?? [])].sort().map((name) => {
      const isFile = this.#entries.get(child(path, name))?.kind === 'file';
      return { name, isFile, isDirectory: !isFile, isSymbolicLink: false };
    });
  }

  mkdir(path: string, recursive: boolean): void {
    const entry = this.#find(path, 'mkdir');
    if (entry) {
      if (recursive && entry.kind === 'dir') return;
      throw new FsError('EEXIST', `file already exists, mkdir '${path}'`);
    }
    if (recursive) {
      const parent = this.#find(dirname(path), 'mkdir');
      if (parent?.kind === 'file') throw new FsError('ENOTDIR', `not a directory, mkdir '${path}'`);
      if (!parent) this.mkdir(dirname(path), true);
    } else this.#parentDir(path, 'mkdir');
    this.#add(dirname(path), path, { kind: 'dir', loaded: true, mtimeMs: Date.now() });
    this.#sink({ op: 'mkdir', path });
  }

  /** `mode` picks Node's rules: rm (dirs need recursive), rmdir (empty dirs only), unlink (files only). */
  rm(path: string, mode: 'rm' | 'rmdir' | 'unlink', recursive: boolean, force: boolean): void {
    const entry = this.#find(path, mode);
    if (!entry) {
      if (force) return;
      throw new FsError('ENOENT', `no such file or directory, ${mode} '${path}'`);
    }
    const hasChildren = (this.#children.get(path)?.size ?? 0) > 0;
    if (entry.kind === 'dir' && mode === 'unlink') throw new FsError('EISDIR', `illegal operation on a directory, unlink '${path}'`);
    if (entry.kind === 'file' && mode === 'rmdir') throw new FsError('ENOTDIR', `not a directory, rmdir '${path}'`);
    if (entry.kind === 'dir' && mode === 'rm' && !recursive) throw new FsError('EISDIR', `is a directory, rm '${path}' (use { recursive: true })`);
    if (entry.kind === 'dir' && (hasChildren || !entry.loaded) && !recursive) throw new FsError('ENOTEMPTY', `directory not empty, rmdir '${path}'`);
    this.#drop(path);
    this.#sink({ op: 'rm', path });
  }

  rename(from: string, to: string): void {
    const entry = this.#find(from, 'rename');
    if (!entry) throw new FsError('ENOENT', `no such file or directory, rename '${from}' -> '${to}'`);
    this.#parentDir(to, 'rename');
    const target = this.#find(to, 'rename');
    if (target?.kind === 'dir' && entry.kind === 'file') throw new FsError('EISDIR', `illegal operation on a directory, rename '${from}' -> '${to}'`);
    this.#copyTree(from, to);
    this.#drop(from);
    this.#sink({ op: 'mv', from, to });
  }

  copy(from: string, to: string): void {
    if (!this.#find(from, 'copyfile')) throw new FsError('ENOENT', `no such file or directory, copyfile '${from}' -> '${to}'`);
    this.#parentDir(to, 'copyfile');
    this.#copyTree(from, to);
    this.#sink({ op: 'cp', from, to });
  }

  #copyTree(from: string, to: string): void {
    const entry = this.#entries.get(from);
    if (!entry) return;
    if (this.#entries.get(to)) this.#drop(to);
    this.#add(dirname(to), to, { ...entry });
    for (const name of this.#children.get(from) ?? []) this.#copyTree(child(from, name), child(to, name));
  }

  #drop(path: string): void {
    for (const name of this.#children.get(path) ?? []) this.#drop(child(path, name));
    this.#children.delete(path);
    this.#entries.delete(path);
    this.#children.get(dirname(path))?.delete(path.slice(path.lastIndexOf('/') + 1));
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
