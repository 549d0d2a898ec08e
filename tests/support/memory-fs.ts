/**
 * An in-memory `SandboxFs` for tests: a map of absolute path → content plus a set of
 * directories. Errors mimic a real filesystem closely enough for the engine's checks.
 * `failWritesTo` makes `writeFile` reject for chosen paths (to test rollback).
 */
import type { FileStat, SandboxFs } from '../../src/core/ports';

export class MemoryFs implements SandboxFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['/']);
  readonly failWritesTo = new Set<string>();
  /** Every mutating call, in order, e.g. `write /a`, `rm /b`, `mkdir /c`. */
  readonly log: string[] = [];

  constructor(files: Record<string, string> = {}) {
    for (const [path, content] of Object.entries(files)) this.put(path, content);
  }

  /** Seeds a file (and its parent directories) without logging. */
  put(path: string, content: string): void {
    this.#addDirs(parent(path));
    this.files.set(path, content);
  }

  async readFile(path: string): Promise<string> {
    const content = this.files.get(path);
    if (content === undefined) {
      throw new Error(this.dirs.has(path) ? `EISDIR: ${path} is a directory` : `ENOENT: no such file: ${path}`);
    }
    return content;
  }

  async writeFile(path: string, content: string): Promise<void> {
    this.log.push(`write ${path}`);
    if (this.failWritesTo.has(path)) throw new Error(`EIO: simulated write failure: ${path}`);
    if (this.dirs.has(path)) throw new Error(`EISDIR: ${path} is a directory`);
    if (!this.dirs.has(parent(path))) throw new Error(`ENOENT: no such directory: ${parent(path)}`);
    this.files.set(path, content);
  }

  async stat(path: string): Promise<FileStat | null> {
    const content = this.files.get(path);
    if (content !== undefined) return { isFile: true, isDirectory: false, size: content.length };
    if (this.dirs.has(path)) return { isFile: false, isDirectory: true, size: 0 };
    return null;
  }

  async mkdir(path: string): Promise<void> {
    this.log.push(`mkdir ${path}`);
    this.#addDirs(path);
  }

  async rm(path: string): Promise<void> {
    this.log.push(`rm ${path}`);
    if (!this.files.delete(path)) throw new Error(`ENOENT: no such file: ${path}`);
  }

  async readdir(path: string): Promise<string[]> {
    if (!this.dirs.has(path)) throw new Error(`ENOENT: no such directory: ${path}`);
    const prefix = path === '/' ? '/' : `${path}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p !== path && p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0] ?? '');
    }
    return [...names].sort();
  }

  /** The files as a plain object, for whole-state assertions. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.files.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  #addDirs(path: string): void {
    for (let dir = path; ; dir = parent(dir)) {
      if (this.files.has(dir)) throw new Error(`ENOTDIR: ${dir} is a file`);
      this.dirs.add(dir);
      if (dir === '/') break;
    }
  }
}

function parent(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}
