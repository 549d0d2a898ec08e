/**
 * Change events for the WebContainer workspace, from two sources:
 *
 * - Watchers see what the terminal and npm do: one on the root alone (not recursive) and
 *   one recursive watcher per top-level folder, except folders whose contents are never
 *   reported (node_modules and the other rebuildable folders, .git). A recursive watcher on
 *   the root would also follow every file an install writes into node_modules, and the
 *   runtime stalls for a minute after an install with one (webcontainer-core#1569). The
 *   folder watchers follow the root: when a name appears or disappears there, the top-level
 *   folders are listed again and watchers opened or closed to match.
 *   Events follow Node's: 'rename' when a name appears or disappears (so it is a create or
 *   a delete depending on whether the path exists now — looked up when the event is
 *   handled) and 'change' when contents change. The filename may be relative to the
 *   watched folder or absolute; both are accepted.
 * - Our own fs methods report what they did at once, so the editor and file tree follow
 *   the agent even if the watcher is slow or silent.
 *
 * A watcher event that repeats what our own method reported within `DEDUPE_MS` is
 * dropped. Events strictly inside rebuildable folders (node_modules during an install)
 * are not reported; the folder itself appearing or disappearing is. Nor is the toolbox's
 * brief stay in the workspace while it is installed (toolbox-install.ts).
 *
 * A watcher the runtime refuses (its `watch` throws) is reported to the subscribers'
 * `onProblem` — the person should know the tree may miss what the terminal does — and to a
 * subscriber that arrives later. (Failures inside the runtime after `watch` returned are
 * only logged by the library itself; they cannot be seen here.)
 */
import { isInside } from '../../core/paths';
import type { FsChange } from '../sandbox';
import { isRebuildable } from '../snapshot';
import { kindOf } from './fs-util';
import { TOOLBOX_STAGING } from './toolbox-install';
import { relativeTo, watchedPath } from './paths';
import type { WcInstance, WcWatchListener } from './types';

export const DEDUPE_MS = 1000;
const MAX_KNOWN_DIRS = 5000;

/** Top-level folders without a watcher: their contents are never reported. */
function isUnwatchedFolder(name: string): boolean {
  return name === '.git' || isRebuildable(name);
}

type Watcher = { close(): void };

export interface ChangeHubOptions {
  /** Resolves with the booted instance (and never if it never boots). */
  ready: () => Promise<{ wc: WcInstance; root: string }>;
  now?: () => number;
}

export class ChangeHub {
  readonly #listeners = new Set<(change: FsChange) => void>();
  readonly #problemListeners = new Set<(problem: string) => void>();
  readonly #recent = new Map<string, { kind: FsChange['kind']; at: number }>();
  readonly #knownDirs = new Set<string>();
  #watcher: Watcher | undefined;
  /** Top-level folder name → its recursive watcher. */
  readonly #folders = new Map<string, Watcher>();
  /** Bumped whenever the watchers are closed, so a listing in flight opens none. */
  #generation = 0;
  #syncing: Promise<void> | undefined;
  #syncAgain = false;
  #problem: string | undefined;
  #starting = false;
  #closed = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #now: () => number;

  readonly #options: ChangeHubOptions;

  constructor(options: ChangeHubOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
  }

  /** `onProblem` hears when changes made elsewhere (terminal, npm) cannot all be followed. */
  subscribe(listener: (change: FsChange) => void, onProblem?: (problem: string) => void): () => void {
    this.#listeners.add(listener);
    if (onProblem) {
      this.#problemListeners.add(onProblem);
      if (this.#problem !== undefined) onProblem(this.#problem);
    }
    this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (onProblem) this.#problemListeners.delete(onProblem);
      if (this.#listeners.size === 0) this.#stopWatcher();
    };
  }

  /** Reports a change our own fs method made. */
  emitOwn(change: FsChange): void {
    this.#recent.set(change.path, { kind: change.kind, at: this.#now() });
    if (this.#recent.size > 1000) this.#pruneRecent();
    this.#track(change);
    this.#deliver(change);
  }

  /** Starts the watcher if someone listens (after a boot that failed was retried). */
  resume(): void {
    if (this.#listeners.size > 0) this.#start();
  }

  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#problemListeners.clear();
    this.#stopWatcher();
  }

  /** Resolves once every watcher event received so far has been handled (for tests). */
  async settled(): Promise<void> {
    while (this.#syncing) await this.#syncing;
    await this.#queue;
  }

  #start(): void {
    if (this.#watcher || this.#starting || this.#closed) return;
    this.#starting = true;
    void this.#options.ready().then(
      ({ wc, root }) => {
        this.#starting = false;
        if (this.#closed || this.#listeners.size === 0 || this.#watcher) return;
        this.#watcher = this.#watchOne(wc, '.', false, (event, filename) => {
          this.#onEvent(wc, root, event, filename);
          if (event === 'rename') this.#syncFolders(wc, root);
        });
        if (!this.#watcher) return;
        this.#syncFolders(wc, root);
        void this.#learnDirs(wc, root);
      },
      () => {
        this.#starting = false;
      },
    );
  }

  #stopWatcher(): void {
    this.#generation++;
    this.#watcher?.close();
    this.#watcher = undefined;
    for (const folder of this.#folders.values()) folder.close();
    this.#folders.clear();
  }

  /** Opens one watcher; a refusal is reported and yields undefined. */
  #watchOne(wc: WcInstance, path: string, recursive: boolean, listener: WcWatchListener): Watcher | undefined {
    try {
      return wc.fs.watch(path, { recursive }, listener);
    } catch (err) {
      const where = path === '.' ? 'the workspace' : path;
      this.#report(
        `Changes made in the terminal may not show in the file tree: watching ${where} failed (${err instanceof Error ? err.message : String(err)}).`,
      );
      return undefined;
    }
  }

  #report(problem: string): void {
    this.#problem = problem;
    for (const listener of [...this.#problemListeners]) {
      try {
        listener(problem);
      } catch {
        // A failing listener must not starve the others.
      }
    }
  }

  /** Lists the top-level folders (again) and opens or closes watchers to match; coalesced. */
  #syncFolders(wc: WcInstance, root: string): void {
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    const generation = this.#generation;
    this.#syncing = (async () => {
      do {
        this.#syncAgain = false;
        let names: string[];
        try {
          const entries = await wc.fs.readdir('.', { withFileTypes: true });
          names = entries.filter((e) => e.isDirectory() && !isUnwatchedFolder(e.name)).map((e) => e.name);
        } catch {
          continue; // the root's own watcher still reports; the next rename lists again
        }
        if (generation !== this.#generation) return;
        for (const [name, watcher] of this.#folders) {
          if (names.includes(name)) continue;
          watcher.close();
          this.#folders.delete(name);
        }
        for (const name of names) {
          if (this.#folders.has(name)) continue;
          const watcher = this.#watchOne(wc, name, true, (event, filename) => this.#onEvent(wc, root, event, inFolder(name, filename)));
          if (watcher) this.#folders.set(name, watcher);
        }
      } while (this.#syncAgain && generation === this.#generation);
    })().finally(() => {
      this.#syncing = undefined;
    });
  }

  #onEvent(wc: WcInstance, root: string, event: 'rename' | 'change', filename: string | Uint8Array): void {
    const name = typeof filename === 'string' ? filename : new TextDecoder().decode(filename);
    const path = watchedPath(root, name);
    if (!path || insideRebuildable(relativeTo(root, path)) || relativeTo(root, path) === TOOLBOX_STAGING) return;
    this.#queue = this.#queue
      .then(async () => {
        const kind = await kindOf(wc.fs, root, path);
        let change: FsChange;
        if (event === 'change') {
          if (kind === null) return; // gone again: its 'rename' reports that
          change = { kind: 'change', path, isDirectory: kind === 'directory' };
        } else if (kind === null) {
          change = { kind: 'delete', path, isDirectory: this.#knownDirs.has(path) };
        } else {
          change = { kind: 'create', path, isDirectory: kind === 'directory' };
        }
        if (this.#isEcho(change)) return;
        this.#track(change);
        this.#deliver(change);
      })
      .catch(() => undefined);
  }

  /** Whether a watcher event repeats what one of our own methods just reported. */
  #isEcho(change: FsChange): boolean {
    const own = this.#recent.get(change.path);
    if (!own || this.#now() - own.at > DEDUPE_MS) return false;
    return own.kind === change.kind || (own.kind === 'create' && change.kind === 'change');
  }

  #track(change: FsChange): void {
    if (change.kind === 'create' && change.isDirectory && this.#knownDirs.size < MAX_KNOWN_DIRS) {
      this.#knownDirs.add(change.path);
    } else if (change.kind === 'delete') {
      for (const dir of this.#knownDirs) if (isInside(change.path, dir)) this.#knownDirs.delete(dir);
    }
  }

  #deliver(change: FsChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener({ ...change });
      } catch {
        // A failing listener must not starve the others.
      }
    }
  }

  #pruneRecent(): void {
    const cutoff = this.#now() - DEDUPE_MS;
    for (const [path, entry] of this.#recent) if (entry.at < cutoff) this.#recent.delete(path);
  }

  /** Records the existing directories, so a later delete says whether it was one. */
  async #learnDirs(wc: WcInstance, root: string): Promise<void> {
    const pending = [root];
    while (pending.length > 0 && this.#knownDirs.size < MAX_KNOWN_DIRS && !this.#closed) {
      const dir = pending.pop() as string;
      let entries;
      try {
        entries = await wc.fs.readdir(relativeTo(root, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const path = dir === '/' ? `/${entry.name}` : `${dir}/${entry.name}`;
        this.#knownDirs.add(path);
        if (!isRebuildable(entry.name)) pending.push(path);
      }
    }
  }
}

/** A folder watcher's filename as one relative to the root (absolute ones stay as they are). */
function inFolder(folder: string, filename: string | Uint8Array): string {
  const name = typeof filename === 'string' ? filename : new TextDecoder().decode(filename);
  if (name === '' || name.startsWith('/')) return name;
  return `${folder}/${name}`;
}

/** True for paths strictly inside a rebuildable folder (not the folder itself). */
export function insideRebuildable(relative: string): boolean {
  const parts = relative.split('/');
  parts.pop();
  return parts.length > 0 && isRebuildable(parts.join('/'));
}
