/**
 * The line being typed at the prompt, its cursor and the history, for the line shell. Each
 * edit returns the terminal output that shows it (relative cursor moves and erase-to-end,
 * so it needs no knowledge of where the prompt ends).
 *
 * The cursor counts characters (code points); moves count terminal columns, with East Asian
 * wide characters and emoji two columns wide and combining marks zero. Editing is exact on
 * one terminal row; on a line longer than the terminal is wide, moving left across the wrap
 * depends on the terminal (xterm.js does not wrap backwards), which is acceptable here.
 */

const ERASE_TO_END = '\x1b[K';

export class LineEditor {
  #chars: string[] = [];
  #cursor = 0;
  readonly #history: string[] = [];
  /** Position while browsing history; history.length means "the line being typed". */
  #historyIndex = 0;
  #draft: string[] = [];

  readonly #maxHistory: number;

  constructor(maxHistory = 500) {
    this.#maxHistory = maxHistory;
  }

  get text(): string {
    return this.#chars.join('');
  }

  get cursorIndex(): number {
    return this.#cursor;
  }

  get isEmpty(): boolean {
    return this.#chars.length === 0;
  }

  /** The history, oldest first. */
  get entries(): readonly string[] {
    return this.#history;
  }

  insert(text: string): string {
    const added = Array.from(text);
    const after = this.#chars.slice(this.#cursor);
    this.#chars.splice(this.#cursor, 0, ...added);
    this.#cursor += added.length;
    return text + after.join('') + left(width(after));
  }

  backspace(): string {
    if (this.#cursor === 0) return '';
    const removed = this.#chars.splice(this.#cursor - 1, 1);
    this.#cursor--;
    return left(width(removed)) + this.#redrawAfterCursor();
  }

  deleteForward(): string {
    if (this.#cursor >= this.#chars.length) return '';
    this.#chars.splice(this.#cursor, 1);
    return this.#redrawAfterCursor();
  }

  left(): string {
    if (this.#cursor === 0) return '';
    this.#cursor--;
    return left(width(this.#chars.slice(this.#cursor, this.#cursor + 1)));
  }

  right(): string {
    if (this.#cursor >= this.#chars.length) return '';
    this.#cursor++;
    return right(width(this.#chars.slice(this.#cursor - 1, this.#cursor)));
  }

  home(): string {
    const out = left(width(this.#chars.slice(0, this.#cursor)));
    this.#cursor = 0;
    return out;
  }

  end(): string {
    const out = right(width(this.#chars.slice(this.#cursor)));
    this.#cursor = this.#chars.length;
    return out;
  }

  /** Replaces the `count` characters before the cursor with `text` (a completed word). */
  replaceBefore(count: number, text: string): string {
    const removed = this.#chars.splice(this.#cursor - count, count);
    this.#cursor -= removed.length;
    return left(width(removed)) + this.insert(text) + (width(removed) > width(Array.from(text)) ? this.#redrawAfterCursor() : '');
  }

  killToStart(): string {
    const removed = this.#chars.splice(0, this.#cursor);
    this.#cursor = 0;
    return left(width(removed)) + this.#redrawAfterCursor();
  }

  killToEnd(): string {
    this.#chars.length = this.#cursor;
    return ERASE_TO_END;
  }

  /** Deletes the word before the cursor (and the spaces after it), like Ctrl-W in bash. */
  deleteWord(): string {
    let start = this.#cursor;
    while (start > 0 && this.#chars[start - 1] === ' ') start--;
    while (start > 0 && this.#chars[start - 1] !== ' ') start--;
    const removed = this.#chars.splice(start, this.#cursor - start);
    this.#cursor = start;
    return left(width(removed)) + this.#redrawAfterCursor();
  }

  historyUp(): string {
    if (this.#historyIndex === 0) return '';
    if (this.#historyIndex === this.#history.length) this.#draft = [...this.#chars];
    this.#historyIndex--;
    return this.#replace(Array.from(this.#history[this.#historyIndex] ?? ''));
  }

  historyDown(): string {
    if (this.#historyIndex >= this.#history.length) return '';
    this.#historyIndex++;
    const next = this.#historyIndex === this.#history.length ? this.#draft : Array.from(this.#history[this.#historyIndex] ?? '');
    return this.#replace([...next]);
  }

  /** Ends the line: returns its text and starts an empty one (history browsing resets). */
  take(): string {
    const text = this.text;
    this.reset();
    return text;
  }

  /** Drops the line (Ctrl-C); nothing is written. */
  reset(): void {
    this.#chars = [];
    this.#cursor = 0;
    this.#draft = [];
    this.#historyIndex = this.#history.length;
  }

  /** Adds a line to the history, skipping blanks and a repeat of the last entry. */
  remember(line: string): void {
    if (line.trim() === '' || this.#history[this.#history.length - 1] === line) return;
    this.#history.push(line);
    if (this.#history.length > this.#maxHistory) this.#history.shift();
    this.#historyIndex = this.#history.length;
  }

  /** The whole line with the cursor put back where it was, for after a reprinted prompt. */
  render(): string {
    return this.text + left(width(this.#chars.slice(this.#cursor)));
  }

  #replace(next: string[]): string {
    const out = left(width(this.#chars.slice(0, this.#cursor))) + ERASE_TO_END + next.join('');
    this.#chars = next;
    this.#cursor = next.length;
    return out;
  }

  #redrawAfterCursor(): string {
    const after = this.#chars.slice(this.#cursor);
    return after.join('') + ERASE_TO_END + left(width(after));
  }
}

function left(columns: number): string {
  return columns > 0 ? `\x1b[${columns}D` : '';
}

function right(columns: number): string {
  return columns > 0 ? `\x1b[${columns}C` : '';
}

const COMBINING = /\p{M}/u;
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u{1F300}-\u{1FAFF}\u3000-\u303f\uff00-\uff60\uffe0-\uffe6]/u;

/** Terminal columns the characters take. */
export function width(chars: readonly string[]): number {
  let total = 0;
  for (const ch of chars) total += COMBINING.test(ch) ? 0 : WIDE.test(ch) ? 2 : 1;
  return total;
}
