/**
 * Change events for the WebContainer workspace, from two sources:
 *
 * - `fs.watch('.', {recursive: true})` sees everything, including what the terminal and
 *   npm do. Its events follow Node's: 'rename' when a name appears or disappears (so it is
 *   a create or a delete depending on whether the path exists now — looked up when the
 *   event is handled) and 'change' when contents change. The filename may be relative to
 *   the watched root or absolute; both are accepted.
 * - Our own fs methods report what they did at once, so the editor and file tree follow
 *   the agent even if the watcher is slow or silent.
 *
 * A watcher event that repeats what our own method reported within `DEDUPE_MS` is
 * dropped. Events strictly inside rebuildable folders (node_modules during an install)
 * are not reported; the folder itself appearing or disappearing is.
 */
import { isInside } from '../../core/context/paths';
import type { FsChange } from '../sandbox';
import { isRebuildable } from '../snapshot';
import { kindOf } from './fs-util';
import { relativeTo, watchedPath } from './paths';
import type { WcInstance } from './types';

export const DEDUPE_MS = 1000;
const MAX_KNOWN_DIRS = 5000;

export interface ChangeHubOptions {
  /** Resolves with the booted instance (and never if it never boots). */
  ready: () => Promise<{ wc: WcInstance; root: string }>;
  now?: () => number;
}

export class ChangeHub {
  private readonly listeners = new Set<(change: FsChange) => void>();
  private readonly recent = new Map<string, { kind: FsChange['kind']; at: number }>();
  private readonly knownDirs = new Set<string>();
  private watcher: { close(): void } | undefined;
  private starting = false;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: ChangeHubOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  subscribe(listener: (change: FsChange) => void): () => void {
    this.listeners.add(listener);
    this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatcher();
    };
  }

  /** Reports a change our own fs method made. */
  emitOwn(change: FsChange): void {
    this.recent.set(change.path, { kind: change.kind, at: this.now() });
    if (this.recent.size > 1000) this.pruneRecent();
    this.track(change);
    this.deliver(change);
  }

  /** Starts the watcher if someone listens (after a boot that failed was retried). */
  resume(): void {
    if (this.listeners.size > 0) this.start();
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.stopWatcher();
  }

  /** Resolves once every watcher event received so far has been handled (for tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private start(): void {
    if (this.watcher || this.starting || this.closed) return;
    this.starting = true;
    void this.options.ready().then(
      ({ wc, root }) => {
        this.starting = false;
        if (this.closed || this.listeners.size === 0 || this.watcher) return;
        this.watcher = wc.fs.watch('.', { recursive: true }, (event, filename) => this.onEvent(wc, root, event, filename));
        void this.learnDirs(wc, root);
      },
      () => {
        this.starting = false;
      },
    );
  }

  private stopWatcher(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private onEvent(wc: WcInstance, root: string, event: 'rename' | 'change', filename: string | Uint8Array): void {
    const name = typeof filename === 'string' ? filename : new TextDecoder().decode(filename);
    const path = watchedPath(root, name);
    if (!path || insideRebuildable(relativeTo(root, path))) return;
    this.queue = this.queue
      .then(async () => {
        const kind = await kindOf(wc.fs, root, path);
        let change: FsChange;
        if (event === 'change') {
          if (kind === null) return; // gone again: its 'rename' reports that
          change = { kind: 'change', path, isDirectory: kind === 'directory' };
        } else if (kind === null) {
          change = { kind: 'delete', path, isDirectory: this.knownDirs.has(path) };
        } else {
          change = { kind: 'create', path, isDirectory: kind === 'directory' };
        }
        if (this.isEcho(change)) return;
        this.track(change);
        this.deliver(change);
      })
      .catch(() => undefined);
  }

  /** Whether a watcher event repeats what one of our own methods just reported. */
  private isEcho(change: FsChange): boolean {
    const own = this.recent.get(change.path);
    if (!own || this.now() - own.at > DEDUPE_MS) return false;
    return own.kind === change.kind || (own.kind === 'create' && change.kind === 'change');
  }

  private track(change: FsChange): void {
    if (change.kind === 'create' && change.isDirectory && this.knownDirs.size < MAX_KNOWN_DIRS) {
      this.knownDirs.add(change.path);
    } else if (change.kind === 'delete') {
      for (const dir of this.knownDirs) if (isInside(change.path, dir)) this.knownDirs.delete(dir);
    }
  }

  private deliver(change: FsChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...change });
      } catch {
        // A failing listener must not starve the others.
      }
    }
  }

  private pruneRecent(): void {
    const cutoff = this.now() - DEDUPE_MS;
    for (const [path, entry] of this.recent) if (entry.at < cutoff) this.recent.delete(path);
  }

  /** Records the existing directories, so a later delete says whether it was one. */
  private async learnDirs(wc: WcInstance, root: string): Promise<void> {
    const pending = [root];
    while (pending.length > 0 && this.knownDirs.size < MAX_KNOWN_DIRS && !this.closed) {
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
        this.knownDirs.add(path);
        if (!isRebuildable(entry.name)) pending.push(path);
      }
    }
  }
}

/** True for paths strictly inside a rebuildable folder (not the folder itself). */
export function insideRebuildable(relative: string): boolean {
  const parts = relative.split('/');
  parts.pop();
  return parts.length > 0 && isRebuildable(parts.join('/'));
}
