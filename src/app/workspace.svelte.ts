/**
 * The workspace as the file tree and editor see it: the tree, the open tabs and their edit
 * buffers, kept in step with the sandbox through its change events — whoever writes (the
 * agent, the terminal, the editor), the tree and the tabs follow without a reload.
 *
 * Contracts:
 * - Paths given to the methods may be absolute or relative to the workspace root; tabs and
 *   tree rows carry absolute paths.
 * - On a change on disk, a clean tab reloads; a dirty tab keeps its buffer and gets
 *   `diskText` (changed on disk); a deleted file's tab is marked `deleted`. Our own saves
 *   are recognised and change nothing.
 * - Methods that touch the sandbox never throw for sandbox failures: they resolve with a
 *   failure value and set `message` to what went wrong.
 * - `recentlyChanged` holds files written by anyone but this workspace's own saves during
 *   the last `flashMs`, so the tree can flash what the agent just wrote.
 */
import { isInside, joinPath, normalizePath, resolvePath } from '../core/paths';
import type { FsChange, Sandbox } from '../sandbox/sandbox';
import { FileTree } from './workspace-tree.svelte';
import { RecentChanges } from './workspace-recent.svelte';
import { Tab } from './workspace-tab.svelte';

export { Tab } from './workspace-tab.svelte';
export type { TreeRow } from './workspace-tree.svelte';
export { FileTree } from './workspace-tree.svelte';

export type WorkspaceSource = Pick<Sandbox, 'fs' | 'status' | 'onStatus' | 'describe' | 'snapshot'>;

export interface WorkspaceOptions {
  /** How long a changed file stays in `recentlyChanged` (ms). */
  flashMs?: number;
  /** Open the tree down to files that appear (default true). */
  revealCreated?: boolean;
  now?: () => number;
}

export class Workspace {
  readonly tree: FileTree;
  /** 'waiting' until the sandbox is ready and the root is listed. */
  phase = $state<'waiting' | 'ready' | 'failed'>('waiting');
  tabs = $state.raw<readonly Tab[]>([]);
  /** Path of the tab shown, or null with no tab open. */
  active = $state<string | null>(null);
  readonly activeTab = $derived(this.tabs.find((tab) => tab.path === this.active) ?? null);
  /** What the last failed operation was; '' after one succeeds. */
  message = $state('');
  /** Why changes made in the terminal may not show here (the sandbox could not watch); '' when none. */
  watchProblem = $state('');
  /** Resolves once the root is listed (or listing it failed). */
  readonly ready: Promise<void>;
  /** Called after an explicit save (Ctrl+S) has written a file: the session stores it at once. */
  onSaved: (() => void) | null = null;

  readonly #recent: RecentChanges;
  readonly #revealCreated: boolean;
  readonly #inflight = new Set<Promise<unknown>>();
  /** Texts our own saves are writing: their change events are not changes on disk. */
  readonly #writing = new Map<string, string>();
  readonly #unwatch: () => void;

  readonly #sandbox: WorkspaceSource;

  constructor(sandbox: WorkspaceSource, options: WorkspaceOptions = {}) {
    this.#sandbox = sandbox;
    this.#recent = new RecentChanges(options.flashMs ?? 2000, options.now ?? (() => Date.now()));
    this.#revealCreated = options.revealCreated ?? true;
    this.tree = new FileTree(sandbox.fs, normalizePath(sandbox.describe().root));
    this.#unwatch = sandbox.fs.watch(
      (change) => this.#onChange(change),
      (problem) => (this.watchProblem = problem),
    );
    this.ready = this.#track(this.#start());
  }

  /** Path → when it last changed (ms), for files changed in the last `flashMs`. */
  get recentlyChanged(): ReadonlyMap<string, number> {
    return this.#recent.entries;
  }

  get root(): string {
    return this.tree.root;
  }

  /** `path` relative to the root ('' for the root itself), for display. */
  relative(path: string): string {
    const abs = this.#resolve(path);
    return abs === this.root ? '' : abs.slice(this.root.length + 1);
  }

  /**
   * Opens (or shows) a file in a tab and reveals it in the tree; resolves once its contents
   * are read. A tab that could not be read tries again.
   */
  async open(path: string): Promise<Tab> {
    const abs = this.#resolve(path);
    let tab = this.tab(abs);
    if (!tab) {
      tab = new Tab(abs);
      this.tabs = [...this.tabs, tab];
      this.#reread(tab, true);
    } else if (tab.kind === 'error') {
      this.#reread(tab, true);
    }
    void this.#track(this.tree.reveal(abs));
    this.active = abs;
    await tab.queue;
    return tab;
  }

  /** Closes a tab (unsaved edits are dropped); the tab to its right, else left, becomes active. */
  close(path: string): void {
    const abs = this.#resolve(path);
    const index = this.tabs.findIndex((tab) => tab.path === abs);
    if (index < 0) return;
    this.tabs = this.tabs.filter((tab) => tab.path !== abs);
    if (this.active === abs) this.active = (this.tabs[index] ?? this.tabs[index - 1])?.path ?? null;
  }

  activate(path: string): void {
    const abs = this.#resolve(path);
    if (this.tab(abs)) this.active = abs;
  }

  tab(path: string): Tab | undefined {
    const abs = this.#resolve(path);
    return this.tabs.find((tab) => tab.path === abs);
  }

  /** The editor's buffer for a tab changed. */
  edit(path: string, text: string): void {
    const tab = this.tab(path);
    if (tab?.kind === 'text') tab.text = text;
  }

  /** Writes a tab's buffer to the sandbox; true when it was written (or had nothing to write). */
  async save(path: string | null = this.active): Promise<boolean> {
    const tab = path === null ? undefined : this.tab(path);
    if (!tab || tab.kind !== 'text') return false;
    if (!tab.dirty && !tab.deleted && !tab.conflict) return true;
    const text = tab.text;
    tab.saving = true;
    this.#writing.set(tab.path, text);
    try {
      await this.#sandbox.fs.writeFile(tab.path, text);
      tab.saved = text;
      tab.diskText = null;
      tab.deleted = false;
      this.message = '';
      this.onSaved?.();
      return true;
    } catch (err) {
      this.message = `Could not save ${this.relative(tab.path)}: ${reason(err)}`;
      return false;
    } finally {
      tab.saving = false;
      if (this.#writing.get(tab.path) === text) this.#writing.delete(tab.path);
    }
  }

  /** Takes the disk's contents for a tab, dropping its unsaved edits. */
  reload(path: string): Promise<void> {
    const tab = this.tab(path);
    if (!tab) return Promise.resolve();
    this.#reread(tab, true);
    return tab.queue;
  }

  /** Keeps the buffer after a change on disk: it stays dirty against the new contents. */
  keepMine(path: string): void {
    const tab = this.tab(path);
    if (!tab || tab.diskText === null) return;
    tab.saved = tab.diskText;
    tab.diskText = null;
  }

  /** Creates an empty file (unless one exists) and opens it; null when it failed. */
  async createFile(path: string): Promise<Tab | null> {
    const abs = this.#resolve(path);
    try {
      const stat = await this.#sandbox.fs.stat(abs);
      if (stat?.isDirectory) throw new Error('a directory has that name');
      if (!stat) await this.#sandbox.fs.writeFile(abs, '');
    } catch (err) {
      this.message = `Could not create ${this.relative(abs) || path}: ${reason(err)}`;
      return null;
    }
    void this.tree.reveal(abs);
    return this.open(abs);
  }

  /**
   * Writes files into `targetDir` (default: the root), each at its `webkitRelativePath` when
   * it has one (a folder upload), else at its name. Resolves with the paths written.
   */
  async upload(files: File[] | FileList, targetDir: string = this.root): Promise<string[]> {
    const dir = this.#resolve(targetDir);
    const written: string[] = [];
    const failed: string[] = [];
    for (const file of Array.from(files)) {
      const name = file.webkitRelativePath || file.name;
      const path = joinPath(dir, name);
      try {
        if (!name || !isInside(dir, path) || path === dir) throw new Error('not a file name');
        await this.#sandbox.fs.writeFile(path, new Uint8Array(await file.arrayBuffer()));
        written.push(path);
      } catch (err) {
        failed.push(`${name}: ${reason(err)}`);
      }
    }
    this.message = failed.length ? `Could not upload ${failed.join('; ')}` : '';
    return written;
  }

  /** The workspace (without rebuildable folders) as `workspace.zip`; null when it failed. */
  async downloadZip(): Promise<File | null> {
    try {
      // fflate loads with the first download, not with the page.
      const { snapshotToZipFile } = await import('./zip');
      const file = snapshotToZipFile(await this.#sandbox.snapshot());
      this.message = '';
      return file;
    } catch (err) {
      this.message = `Could not build the zip: ${reason(err)}`;
      return null;
    }
  }

  /** Resolves when nothing started so far (listings, reads, reveals) is still running. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  dispose(): void {
    this.#unwatch();
    this.#recent.dispose();
  }

  #resolve(path: string): string {
    return resolvePath(this.root, path);
  }

  async #start(): Promise<void> {
    try {
      await whenReady(this.#sandbox);
      await this.tree.load();
      this.phase = this.tree.error ? 'failed' : 'ready';
      if (this.tree.error) this.message = `Could not list the workspace: ${this.tree.error}`;
    } catch (err) {
      this.phase = 'failed';
      this.message = `The workspace is not available: ${reason(err)}`;
    }
  }

  #onChange(change: FsChange): void {
    this.tree.apply(change);
    if (change.kind === 'delete') {
      for (const tab of this.tabs) {
        if (isInside(change.path, tab.path)) {
          tab.deleted = true;
          tab.diskText = null;
        }
      }
      return;
    }
    if (change.isDirectory) return;
    if (this.#writing.get(change.path) === undefined) this.#recent.mark(change.path);
    if (change.kind === 'create' && this.#revealCreated) void this.#track(this.tree.reveal(change.path));
    const tab = this.tab(change.path);
    if (tab) this.#reread(tab, false);
  }

  /** Queues a read of the tab's file; `replace` takes the disk's text even over edits. */
  #reread(tab: Tab, replace: boolean): void {
    tab.queue = tab.queue.then(() => this.#read(tab, replace));
    void this.#track(tab.queue);
  }

  async #read(tab: Tab, replace: boolean): Promise<void> {
    if (!this.tabs.includes(tab)) return;
    let bytes: Uint8Array;
    try {
      bytes = await this.#sandbox.fs.readFileBytes(tab.path);
    } catch (err) {
      const stat = await this.#sandbox.fs.stat(tab.path).catch(() => null);
      if (stat?.isDirectory) {
        tab.kind = 'error';
        tab.error = 'This is a directory.';
      } else if (!stat && tab.kind !== 'loading') {
        tab.deleted = true;
      } else {
        tab.kind = 'error';
        tab.error = reason(err);
      }
      return;
    }
    tab.fromDisk(bytes, replace, this.#writing.get(tab.path));
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inflight.add(promise);
    const done = () => this.#inflight.delete(promise);
    promise.then(done, done);
    return promise;
  }
}

/** Resolves when the sandbox is ready; rejects if it fails or cannot run here. */
function whenReady(sandbox: WorkspaceSource): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (status: WorkspaceSource['status']) => {
      if (status.state === 'ready') resolve();
      else if (status.state === 'failed' || status.state === 'unsupported') reject(new Error(status.reason));
      else return false;
      return true;
    };
    if (check(sandbox.status)) return;
    const off = sandbox.onStatus((status) => {
      if (check(status)) off();
    });
  });
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
