/**
 * The in-memory fs of the fake WebContainer (see webcontainer-fake.ts). It follows Node's
 * fs.promises (errors carry `code`), refuses absolute paths (the backend must always pass
 * workdir-relative ones) and reports changes to watchers the way Node does: 'rename' when a
 * name appears or disappears, 'change' when contents change, the filename relative to the
 * watched folder; a watcher that is not recursive sees only the folder's direct children.
 *
 * Like the library's `fs.watch`, `watch` returns a watcher at once and never throws for a
 * failure inside the runtime (the library only logs it): watching a missing path yields a
 * watcher that never fires. `refuseWatch` makes it throw, as a runtime that is gone does.
 */
import type { FileSystemTree } from '@webcontainer/api';
import { normalizePath } from '../../src/core/paths';
import type { WcDirEnt, WcFs, WcWatchListener } from '../../src/sandbox/webcontainer/types';

type Node = { type: 'dir' } | { type: 'file'; data: Uint8Array };

export interface FakeWatcher {
  /** Workdir-relative ('' for the workdir). */
  path: string;
  recursive: boolean;
  listener: WcWatchListener;
  closed: boolean;
}

const encoder = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true });

function fsError(code: string, op: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${op} '${path}'`), { code });
}

export class FakeFs implements WcFs {
  readonly nodes = new Map<string, Node>([['', { type: 'dir' }]]);
  readonly watchers = new Set<FakeWatcher>();
  /** Watches of paths that did not exist (they never fire). */
  readonly deadWatches: string[] = [];
  /** When it returns an Error for a path, `watch` throws it. */
  refuseWatch: ((path: string) => Error | undefined) | undefined;
  /** Every path the backend passed in, to check they are all relative. */
  readonly seenPaths: string[] = [];
  /** When false, operations do not notify watchers (a runtime with a silent watcher). */
  notify = true;

  key(path: string): string {
    this.seenPaths.push(path);
    if (path.startsWith('/')) throw new Error(`fake WebContainer fs: absolute path ${path} (expected workdir-relative)`);
    const normal = normalizePath(path);
    if (normal === '..' || normal.startsWith('../')) throw new Error(`fake WebContainer fs: ${path} leaves the workdir`);
    return normal === '.' ? '' : normal;
  }

  #parentOf(key: string): string {
    const cut = key.lastIndexOf('/');
    return cut < 0 ? '' : key.slice(0, cut);
  }

  #emit(event: 'rename' | 'change', key: string): void {
    if (this.notify) this.deliver(event, key);
  }

  /** Reports an event for `key` (workdir-relative) to every watcher that sees it. */
  deliver(event: 'rename' | 'change', key: string): void {
    for (const w of [...this.watchers]) {
      if (w.closed) continue;
      const rel = w.path === '' ? key : key.startsWith(`${w.path}/`) ? key.slice(w.path.length + 1) : '';
      if (rel === '' || (!w.recursive && rel.includes('/'))) continue;
      w.listener(event, rel);
    }
  }

  /** The watched paths (workdir-relative, '' for the workdir), sorted. */
  watchedPaths(): string[] {
    return [...this.watchers].map((w) => (w.recursive ? `${w.path || '.'} (recursive)` : w.path || '.')).sort();
  }

  async readFile(path: string): Promise<Uint8Array> {
    const node = this.nodes.get(this.key(path));
    if (!node) throw fsError('ENOENT', 'open', path);
    if (node.type === 'dir') throw fsError('EISDIR', 'read', path);
    return node.data.slice();
  }

  async writeFile(path: string, data: string | Uint8Array): Promise<void> {
    const key = this.key(path);
    const parent = this.nodes.get(this.#parentOf(key));
    if (!parent) throw fsError('ENOENT', 'open', path);
    if (parent.type !== 'dir') throw fsError('ENOTDIR', 'open', path);
    const existing = this.nodes.get(key);
    if (existing?.type === 'dir') throw fsError('EISDIR', 'open', path);
    this.nodes.set(key, { type: 'file', data: typeof data === 'string' ? encoder.encode(data) : data.slice() });
    this.#emit(existing ? 'change' : 'rename', key);
  }

  async readdir(path: string, _options: { withFileTypes: true }): Promise<WcDirEnt[]> {
    const key = this.key(path);
    const node = this.nodes.get(key);
    if (!node) throw fsError('ENOENT', 'scandir', path);
    if (node.type !== 'dir') throw fsError('ENOTDIR', 'scandir', path);
    const out: WcDirEnt[] = [];
    for (const [k, n] of this.nodes) {
      if (k === '' || this.#parentOf(k) !== key) continue;
      const name = key === '' ? k : k.slice(key.length + 1);
      out.push({ name, isFile: () => n.type === 'file', isDirectory: () => n.type === 'dir' });
    }
    // Unsorted on purpose: the backend sorts.
    return out.reverse();
  }

  async mkdir(path: string, _options: { recursive: true }): Promise<string | undefined> {
    const key = this.key(path);
    const parts = key.split('/');
    let current = '';
    for (const part of parts) {
      current = current ? `${current}/${part}` : part;
      const node = this.nodes.get(current);
      if (node?.type === 'file') throw fsError('EEXIST', 'mkdir', path);
      if (!node) {
        this.nodes.set(current, { type: 'dir' });
        this.#emit('rename', current);
      }
    }
    return undefined;
  }

  async rm(path: string, options: { force?: boolean; recursive?: boolean } = {}): Promise<void> {
    const key = this.key(path);
    const node = this.nodes.get(key);
    if (!node) {
      if (options.force) return;
      throw fsError('ENOENT', 'rm', path);
    }
    if (node.type === 'dir') {
      const children = [...this.nodes.keys()].filter((k) => k.startsWith(`${key}/`));
      if (children.length > 0 && !options.recursive) throw fsError('ENOTEMPTY', 'rm', path);
      for (const child of children) this.nodes.delete(child);
    }
    this.nodes.delete(key);
    this.#emit('rename', key);
  }

  async rename(from: string, to: string): Promise<void> {
    const a = this.key(from);
    const b = this.key(to);
    if (!this.nodes.has(a)) throw fsError('ENOENT', 'rename', from);
    if (!this.nodes.has(this.#parentOf(b))) throw fsError('ENOENT', 'rename', to);
    const moved = [...this.nodes].filter(([k]) => k === a || k.startsWith(`${a}/`));
    for (const [k] of moved) this.nodes.delete(k);
    for (const [k, n] of moved) this.nodes.set(b + k.slice(a.length), n);
    this.#emit('rename', a);
    this.#emit('rename', b);
  }

  watch(path: string, options: { recursive: boolean }, listener: WcWatchListener): { close(): void } {
    const key = this.key(path);
    const refusal = this.refuseWatch?.(key);
    if (refusal) throw refusal;
    const entry: FakeWatcher = { path: key, recursive: options.recursive, listener, closed: false };
    if (this.nodes.get(key)?.type !== 'dir') {
      this.deadWatches.push(key);
      return { close: () => undefined };
    }
    this.watchers.add(entry);
    return {
      close: () => {
        entry.closed = true;
        this.watchers.delete(entry);
      },
    };
  }

  /** Test helpers: synchronous setup and inspection. */
  put(path: string, content: string | Uint8Array): void {
    const key = this.key(path);
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) this.nodes.set(parts.slice(0, i).join('/'), { type: 'dir' });
    this.nodes.set(key, { type: 'file', data: typeof content === 'string' ? encoder.encode(content) : content });
  }

  dir(path: string): void {
    const parts = this.key(path).split('/');
    for (let i = 1; i <= parts.length; i++) this.nodes.set(parts.slice(0, i).join('/'), { type: 'dir' });
  }

  text(path: string): string | undefined {
    const node = this.nodes.get(this.key(path));
    return node?.type === 'file' ? new TextDecoder().decode(node.data) : undefined;
  }

  paths(): string[] {
    return [...this.nodes.keys()].filter((k) => k !== '').sort();
  }

  /** The fs as an exported tree: valid UTF-8 as strings, anything else as bytes. */
  toTree(key = ''): FileSystemTree {
    const tree: FileSystemTree = {};
    for (const [k, n] of this.nodes) {
      if (k === '' || this.#parentOf(k) !== key) continue;
      const name = key === '' ? k : k.slice(key.length + 1);
      if (n.type === 'dir') tree[name] = { directory: this.toTree(k) };
      else tree[name] = { file: { contents: asUtf8(n.data) ?? n.data.slice() } };
    }
    return tree;
  }

  mountTree(tree: FileSystemTree, prefix = ''): void {
    for (const [name, node] of Object.entries(tree)) {
      const key = prefix ? `${prefix}/${name}` : name;
      if ('directory' in node) {
        this.nodes.set(key, { type: 'dir' });
        this.mountTree(node.directory, key);
      } else if ('contents' in node.file) {
        const c = node.file.contents;
        this.nodes.set(key, { type: 'file', data: typeof c === 'string' ? encoder.encode(c) : c.slice() });
      }
    }
  }
}

function asUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}
