/**
 * One open file: its edit buffer, what was last read from or written to disk, and how the
 * disk differs from that now.
 *
 * - `text` is the buffer; `saved` what the disk held when the buffer was last in step with
 *   it. The tab is dirty while they differ (undoing back to `saved` makes it clean again).
 * - `diskText` is set when the file changed on disk while the tab was dirty: the user picks
 *   Reload (take the disk's) or Keep mine (stay dirty against the new disk contents).
 * - `deleted` is set when the file (or a directory above it) was removed; saving writes it
 *   back. `revision` counts every replacement of `text` that did not come from `edit`, so
 *   an editor showing the buffer knows when to load it again.
 */
import { asText } from '../sandbox/snapshot';
import { languageOf } from './workspace-language';

export type TabKind = 'loading' | 'text' | 'binary' | 'error';

export class Tab {
  readonly name: string;
  readonly language: string;
  kind = $state<TabKind>('loading');
  /** Size in bytes of a binary file. */
  size = $state(0);
  /** Why the file could not be read (kind 'error'). */
  error = $state('');
  text = $state.raw('');
  saved = $state.raw('');
  diskText = $state.raw<string | null>(null);
  deleted = $state(false);
  revision = $state(0);
  saving = $state(false);

  readonly dirty = $derived(this.kind === 'text' && this.text !== this.saved);
  readonly conflict = $derived(this.diskText !== null);

  /** Reads of this file run one after another, so an older read never lands last. */
  queue: Promise<void> = Promise.resolve();

  constructor(
    /** Absolute path inside the sandbox. */
    readonly path: string,
  ) {
    this.name = path.slice(path.lastIndexOf('/') + 1);
    this.language = languageOf(path);
  }

  /**
   * Folds in what the disk holds now. A clean tab (or `replace`: the user chose Reload)
   * takes it; a dirty tab keeps its buffer and records the disk's text as a conflict, unless
   * the disk holds what was last saved, what our own save (`ours`) is writing, or exactly
   * the buffer.
   */
  fromDisk(bytes: Uint8Array, replace: boolean, ours?: string): void {
    const text = asText(bytes);
    const clean = this.kind !== 'text' || !this.dirty;
    this.deleted = false;
    if (text === undefined) {
      if (replace || clean) this.showBinary(bytes.length);
      else this.diskText = `(binary file, ${bytes.length} bytes)`;
    } else if (replace || clean) {
      if (this.kind !== 'text' || text !== this.saved || this.text !== text) this.load(text);
    } else if (text === this.saved || text === ours) {
      this.diskText = null;
    } else if (text === this.text) {
      this.saved = text;
      this.diskText = null;
    } else {
      this.diskText = text;
    }
  }

  /** Text read from disk replaces the buffer. */
  load(text: string): void {
    this.kind = 'text';
    this.text = text;
    this.saved = text;
    this.diskText = null;
    this.deleted = false;
    this.revision++;
  }

  showBinary(size: number): void {
    this.kind = 'binary';
    this.size = size;
    this.diskText = null;
    this.deleted = false;
  }
}
