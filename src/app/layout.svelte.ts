/**
 * The workbench layout: split sizes, the tab shown above the terminal, and the tab shown on a
 * narrow window. Saved to localStorage (`unroll.layout.v1`) on every change, so it survives
 * reloads; storage failures leave it working in memory.
 */
import { browserStorage, SafeStorage, type StorageLike } from './safe-storage';

export const LAYOUT_STORAGE_KEY = 'unroll.layout.v1';

/** The splits: chat | workbench, files | editor area, editor area over terminal. */
export type SplitId = 'chat' | 'files' | 'editor';
export type TopTab = 'editor' | 'preview' | 'inspector';
export type NarrowTab = 'chat' | 'files' | 'editor' | 'terminal' | 'preview' | 'inspector';

const NARROW_TABS: readonly NarrowTab[] = ['chat', 'files', 'editor', 'terminal', 'preview', 'inspector'];
const TOP_TABS: readonly TopTab[] = ['editor', 'preview', 'inspector'];

/**
 * Size of each split's first pane, in percent of the split. The chat's fits a typical
 * four-column Markdown table at 1280 px (about 560 px).
 */
const DEFAULT_SIZES: Readonly<Record<SplitId, number>> = { chat: 44, files: 22, editor: 64 };
/** Every split keeps both panes at least this many percent wide (or tall). */
export const MIN_SIZE = 10;
export const MAX_SIZE = 90;

function clampSize(value: number): number {
  if (!Number.isFinite(value)) return 50;
  return Math.round(Math.min(MAX_SIZE, Math.max(MIN_SIZE, value)) * 10) / 10;
}

export class Layout {
  #sizes = $state<Record<SplitId, number>>({ ...DEFAULT_SIZES });
  #topTab = $state<TopTab>('editor');
  #narrowTab = $state<NarrowTab>('chat');
  /** Why the layout is not being saved; '' when it is. */
  storageProblem = $state('');
  readonly #storage: SafeStorage;

  /** `storage` defaults to the page's localStorage; null keeps the layout in memory. */
  constructor(storage?: StorageLike | null) {
    this.#storage = new SafeStorage(storage === undefined ? browserStorage('localStorage') : storage, (message) => {
      this.storageProblem = message;
    });
    const saved = this.#storage.readObject(LAYOUT_STORAGE_KEY);
    if (!saved) return;
    const sizes = saved.sizes as Partial<Record<SplitId, unknown>> | undefined;
    for (const id of Object.keys(DEFAULT_SIZES) as SplitId[]) {
      const value = sizes?.[id];
      if (typeof value === 'number') this.#sizes[id] = clampSize(value);
    }
    if (TOP_TABS.includes(saved.topTab as TopTab)) this.#topTab = saved.topTab as TopTab;
    if (NARROW_TABS.includes(saved.narrowTab as NarrowTab)) this.#narrowTab = saved.narrowTab as NarrowTab;
  }

  size(id: SplitId): number {
    return this.#sizes[id];
  }
  setSize(id: SplitId, percent: number): void {
    const next = clampSize(percent);
    if (next === this.#sizes[id]) return;
    this.#sizes[id] = next;
    this.#save();
  }

  get topTab(): TopTab {
    return this.#topTab;
  }
  set topTab(tab: TopTab) {
    this.#topTab = tab;
    this.#save();
  }
  get narrowTab(): NarrowTab {
    return this.#narrowTab;
  }
  /** Picking Editor or Preview on a narrow window also picks it for the wide layout. */
  set narrowTab(tab: NarrowTab) {
    this.#narrowTab = tab;
    if (isTopTab(tab)) this.#topTab = tab;
    this.#save();
  }

  /** Shows a region: what the app calls when e.g. "open in editor" is clicked. */
  reveal(region: NarrowTab): void {
    if (isTopTab(region)) this.topTab = region;
    this.narrowTab = region;
  }

  reset(): void {
    this.#sizes = { ...DEFAULT_SIZES };
    this.#save();
  }

  toJSON(): { sizes: Record<SplitId, number>; topTab: TopTab; narrowTab: NarrowTab } {
    return { sizes: { ...this.#sizes }, topTab: this.#topTab, narrowTab: this.#narrowTab };
  }

  #save(): void {
    this.#storage.write(LAYOUT_STORAGE_KEY, JSON.stringify(this.toJSON()));
  }
}

function isTopTab(tab: NarrowTab): tab is TopTab {
  return (TOP_TABS as readonly string[]).includes(tab);
}
