/**
 * The file tree, loaded lazily one directory at a time and kept live from change events.
 *
 * - A directory's listing is read when it is first expanded (the root at `load()`); events
 *   inside a directory that was never read are ignored, since reading it later sees them.
 * - Listings are sorted directories first, then by name (numeric-aware, case-insensitive).
 *   Nothing is hidden: dotfiles and node_modules are listed like anything else.
 * - A directory expands only when the user opens it or a file is revealed inside it;
 *   rebuildable folders (node_modules, dist, …) are never expanded by `reveal`.
 * - A listing read while events arrive for that directory is read again, so a slow `list`
 *   cannot overwrite a newer state with an older one.
 */
import { dirname, isInside, joinPath } from '../core/paths';
import type { FsChange, SandboxFilesystem } from '../sandbox/sandbox';
import { isRebuildable } from '../sandbox/snapshot';

export interface TreeEntry {
  /** Absolute path inside the sandbox. */
  path: string;
  name: string;
  isDirectory: boolean;
}

/** One visible line of the tree, in display order. */
export interface TreeRow extends TreeEntry {
  /** 1 for the root's children. */
  level: number;
  expanded: boolean;
  /** Position among its siblings (1-based) and their count, for aria-posinset/setsize. */
  position: number;
  siblings: number;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareEntries(a: TreeEntry, b: TreeEntry): number {
  if (a.isDirectory !== b.isDirectory) return a.isDirectory ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Where `entry` goes in the sorted `entries` (binary search: a folder may hold thousands). */
function insertionPoint(entries: readonly TreeEntry[], entry: TreeEntry): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const other = entries[mid];
    if (other && compareEntries(other, entry) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class FileTree {
  /** Directory path → its entries, sorted; only directories that were read. */
  listings = $state.raw<ReadonlyMap<string, readonly TreeEntry[]>>(new Map());
  /** Expanded directories (the root is always shown expanded and is not in here). */
  expanded = $state.raw<ReadonlySet<string>>(new Set());
  /** Why the last listing failed; '' when it did not. */
  error = $state('');

  /** The visible rows: the root's children and, under each expanded directory, its own. */
  readonly rows: readonly TreeRow[] = $derived.by(() => this.#flatten());

  readonly #loading = new Map<string, Promise<void>>();
  readonly #stale = new Set<string>();
  /** Directories the user collapsed: `reveal` leaves them closed. */
  readonly #collapsedByUser = new Set<string>();

  readonly #fs: Pick<SandboxFilesystem, 'list'>;

  constructor(
    fs: Pick<SandboxFilesystem, 'list'>,
    readonly root: string,
  ) {
    this.#fs = fs;
  }

  /** Reads the root listing (again). */
  load(): Promise<void> {
    return this.#read(this.root);
  }

  isLoaded(dir: string): boolean {
    return this.listings.has(dir);
  }

  /** Whether the tree knows this path (its directory was read and lists it). */
  has(path: string): boolean {
    return this.listings.get(dirname(path))?.some((entry) => entry.path === path) ?? false;
  }

  async expand(dir: string): Promise<void> {
    this.#collapsedByUser.delete(dir);
    await this.#open(dir);
  }

  collapse(dir: string): void {
    if (!this.expanded.has(dir)) return;
    this.#collapsedByUser.add(dir);
    const next = new Set(this.expanded);
    next.delete(dir);
    this.expanded = next;
  }

  toggle(dir: string): Promise<void> {
    if (this.expanded.has(dir)) {
      this.collapse(dir);
      return Promise.resolve();
    }
    return this.expand(dir);
  }

  /**
   * Opens the directories down to `path` so it is visible, unless one of them is
   * rebuildable or was collapsed by the user (then nothing changes).
   */
  async reveal(path: string): Promise<void> {
    if (!isInside(this.root, path) || path === this.root) return;
    const dirs: string[] = [];
    for (let dir = dirname(path); dir !== this.root && isInside(this.root, dir); dir = dirname(dir)) dirs.unshift(dir);
    const relative = (dir: string) => dir.slice(this.root.length + 1);
    if (dirs.some((dir) => isRebuildable(relative(dir)) || this.#collapsedByUser.has(dir))) return;
    for (const dir of dirs) await this.#open(dir);
  }

  /** Folds one change into the listings. Synchronous: the visible tree follows at once. */
  apply(change: FsChange): void {
    const { path } = change;
    if (path === this.root || !isInside(this.root, path)) return;
    const parent = dirname(path);
    if (this.#loading.has(parent)) this.#stale.add(parent);
    const listing = this.listings.get(parent);
    if (change.kind === 'delete') {
      if (change.isDirectory || this.listings.has(path)) this.#forget(path);
      if (listing?.some((entry) => entry.path === path)) {
        this.#setListing(
          parent,
          listing.filter((entry) => entry.path !== path),
        );
      }
      return;
    }
    if (!listing) return;
    const existing = listing.find((entry) => entry.path === path);
    if (existing && existing.isDirectory === change.isDirectory) return;
    const entry: TreeEntry = { path, name: path.slice(parent === '/' ? 1 : parent.length + 1), isDirectory: change.isDirectory };
    const rest = existing ? listing.filter((item) => item.path !== path) : listing;
    const at = insertionPoint(rest, entry);
    this.#setListing(parent, [...rest.slice(0, at), entry, ...rest.slice(at)]);
  }

  async #open(dir: string): Promise<void> {
    if (!this.listings.has(dir)) await this.#read(dir);
    if (!this.listings.has(dir) || this.expanded.has(dir)) return;
    this.expanded = new Set([...this.expanded, dir]);
  }

  /** Reads a listing; concurrent reads of one directory share one request. */
  #read(dir: string): Promise<void> {
    const running = this.#loading.get(dir);
    if (running) return running;
    const task = (async () => {
      try {
        do {
          this.#stale.delete(dir);
          const entries = await this.#fs.list(dir);
          if (this.#stale.has(dir)) continue;
          this.#setListing(
            dir,
            entries
              .filter((entry) => entry.isDirectory || entry.isFile)
              .map((entry) => ({ path: joinPath(dir, entry.name), name: entry.name, isDirectory: entry.isDirectory }))
              .sort(compareEntries),
          );
          this.error = '';
        } while (this.#stale.has(dir));
      } catch (err) {
        this.error = err instanceof Error ? err.message : String(err);
      } finally {
        this.#loading.delete(dir);
        this.#stale.delete(dir);
      }
    })();
    this.#loading.set(dir, task);
    return task;
  }

  #setListing(dir: string, entries: readonly TreeEntry[]): void {
    const next = new Map(this.listings);
    next.set(dir, entries);
    this.listings = next;
  }

  /** Drops what is known about a directory that is gone, and about everything under it. */
  #forget(dir: string): void {
    const gone = (path: string) => isInside(dir, path);
    if ([...this.listings.keys()].some(gone)) this.listings = new Map([...this.listings].filter(([path]) => !gone(path)));
    if ([...this.expanded].some(gone)) this.expanded = new Set([...this.expanded].filter((path) => !gone(path)));
    for (const path of [...this.#collapsedByUser]) if (gone(path)) this.#collapsedByUser.delete(path);
  }

  #flatten(): TreeRow[] {
    const rows: TreeRow[] = [];
    const visit = (dir: string, level: number) => {
      const entries = this.listings.get(dir) ?? [];
      entries.forEach((entry, index) => {
        const expanded = entry.isDirectory && this.expanded.has(entry.path);
        rows.push({ ...entry, level, expanded, position: index + 1, siblings: entries.length });
        if (expanded) visit(entry.path, level + 1);
      });
    };
    visit(this.root, 1);
    return rows;
  }
}
