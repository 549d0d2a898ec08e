/**
 * An interactive shell for a terminal pane over a run-to-completion command runner (just-bash
 * in the embedded sandbox). Pure: no DOM, no timers; the host runs commands.
 *
 * What it does:
 * - prints a coloured prompt `user@unroll:<cwd>$ ` and edits the line (see LineEditor):
 *   printable input and pastes, Backspace, Delete, ←/→, Home/End, ↑/↓ history, Ctrl-A/E/U/K/W;
 * - Enter runs the line through the host with the shell's cwd and environment, then adopts
 *   the environment the command ended with (its PWD is the new cwd), so `cd` and `export`
 *   carry over between commands. Shell functions and aliases do not (the host starts each
 *   command from a fresh interpreter);
 * - a line that is not complete yet (trailing backslash, or what the host's `isIncomplete`
 *   says: unclosed quote, here-document, `if` without `fi`) continues at a `> ` prompt;
 * - input typed while a command runs is kept and handled once it ends (so a pasted script
 *   runs line by line), except Ctrl-C, which aborts the command, drops that typed-ahead input
 *   and prompts again at once (whatever the aborted command still returns is dropped);
 * - Tab completes the word before the cursor (command names, then paths; see completion.ts);
 *   when that changes nothing, a second Tab lists the candidates, like bash;
 * - Ctrl-C at the prompt cancels the line; Ctrl-L and `clear` clear the screen; Ctrl-D on an
 *   empty line prints a hint instead of closing; `exit [n]` ends the session (`exit`
 *   resolves with n, or the last command's status);
 * - output is converted to CRLF line ends for xterm; output produced before the first
 *   `onOutput` subscriber (the banner and first prompt) is delivered to that subscriber.
 */
import type { ShellSession } from '../sandbox';
import { candidates, commonPrefix, escapeWord, formatListing, wordAt } from './completion';
import { KeyDecoder, type Key } from './keys';
import { LineEditor } from './line-editor';

export interface ShellCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The environment the command ended with (variables, PWD); adopted for the next one. */
  env?: Record<string, string>;
}

export interface ShellContext {
  cwd: string;
  env: Record<string, string>;
  signal: AbortSignal;
}

export interface LineShellHost {
  /** Runs one command line to completion; may reject (the shell prints the message). */
  execute(script: string, context: ShellContext): Promise<ShellCommandResult>;
  /** Whether `script` needs more lines before it can run. */
  isIncomplete?(script: string): boolean;
}

export interface LineShellOptions {
  host: LineShellHost;
  cwd: string;
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  user?: string;
  hostname?: string;
  /** Printed once before the first prompt; '\n' becomes '\r\n'. */
  banner?: string;
}

export const CLEAR_SCREEN = '\x1b[2J\x1b[H';
const CONTINUATION_PROMPT = '> ';
const INTERRUPTED_EXIT_CODE = 130;
export const EOF_HINT = 'Use "exit" to close this shell.';

export class LineShell implements ShellSession {
  readonly exit: Promise<number>;
  readonly #host: LineShellHost;
  readonly #editor = new LineEditor();
  readonly #decoder = new KeyDecoder();
  readonly #listeners = new Set<(data: string) => void>();
  readonly #queue: Key[] = [];
  #backlog: string[] | null = [];
  #cwdNow: string;
  #envNow: Record<string, string>;
  #cols: number;
  #rows: number;
  readonly #user: string;
  readonly #hostname: string;
  #lastExit = 0;
  /** The lines of a command still being entered at the continuation prompt. */
  #pending: string | null = null;
  #running: { controller: AbortController } | null = null;
  /** A Tab being completed: keys wait for it (the candidates come from the host). */
  #completing = false;
  /** The last key was a Tab that changed nothing: the next Tab lists the candidates. */
  #tabListsNext = false;
  #exited = false;
  #resolveExit: (code: number) => void = () => {};

  constructor(options: LineShellOptions) {
    this.#host = options.host;
    this.#cwdNow = options.cwd;
    this.#envNow = { ...options.env };
    this.#cols = options.cols ?? 80;
    this.#rows = options.rows ?? 24;
    this.#user = options.user ?? 'user';
    this.#hostname = options.hostname ?? 'unroll';
    this.exit = new Promise<number>((resolve) => {
      this.#resolveExit = resolve;
    });
    if (options.banner) this.#emit(toTerminal(options.banner));
    this.#prompt();
  }

  get cwd(): string {
    return this.#cwdNow;
  }

  get env(): Readonly<Record<string, string>> {
    return this.#envNow;
  }

  get history(): readonly string[] {
    return this.#editor.entries;
  }

  get busy(): boolean {
    return this.#running !== null;
  }

  onOutput(listener: (data: string) => void): () => void {
    this.#listeners.add(listener);
    if (this.#backlog) {
      const backlog = this.#backlog;
      this.#backlog = null;
      for (const data of backlog) listener(data);
    }
    return () => this.#listeners.delete(listener);
  }

  write(data: string): void {
    if (this.#exited) return;
    this.#queue.push(...this.#decoder.feed(data));
    this.#drain();
  }

  resize(cols: number, rows: number): void {
    if (Number.isInteger(cols) && cols > 0) this.#cols = cols;
    if (Number.isInteger(rows) && rows > 0) this.#rows = rows;
  }

  /** Ends the session at once, aborting a running command; `exit` resolves with 130. */
  kill(): void {
    this.#finish(INTERRUPTED_EXIT_CODE);
  }

  #drain(): void {
    while (this.#queue.length > 0 && !this.#exited) {
      if (this.#completing) return;
      if (this.#running) {
        const at = this.#queue.findIndex((key) => key.name === 'interrupt');
        if (at < 0) return;
        this.#queue.splice(0, at + 1);
        this.#interrupt();
        continue;
      }
      this.#handle(this.#queue.shift() as Key);
    }
  }

  #handle(key: Key): void {
    const e = this.#editor;
    const listTab = this.#tabListsNext;
    this.#tabListsNext = false;
    switch (key.name) {
      case 'text':
        return this.#emit(e.insert(key.text));
      case 'enter':
        return this.#enter();
      case 'backspace':
        return this.#emit(e.backspace());
      case 'delete':
        return this.#emit(e.deleteForward());
      case 'left':
        return this.#emit(e.left());
      case 'right':
        return this.#emit(e.right());
      case 'home':
        return this.#emit(e.home());
      case 'end':
        return this.#emit(e.end());
      case 'up':
        return this.#emit(e.historyUp());
      case 'down':
        return this.#emit(e.historyDown());
      case 'kill-start':
        return this.#emit(e.killToStart());
      case 'kill-end':
        return this.#emit(e.killToEnd());
      case 'delete-word':
        return this.#emit(e.deleteWord());
      case 'interrupt':
        this.#emit(e.end());
        e.reset();
        this.#pending = null;
        this.#lastExit = INTERRUPTED_EXIT_CODE;
        this.#emit('^C\r\n');
        return this.#prompt();
      case 'eof':
        if (!e.isEmpty) return this.#emit(e.deleteForward());
        this.#emit(`\r\n${EOF_HINT}\r\n`);
        return this.#emit(this.#pending === null ? this.#promptText() : CONTINUATION_PROMPT);
      case 'clear-screen':
        return this.#emit(CLEAR_SCREEN + (this.#pending === null ? this.#promptText() : CONTINUATION_PROMPT) + e.render());
      case 'tab':
        return void this.#complete(listTab);
    }
  }

  async #complete(list: boolean): Promise<void> {
    const word = wordAt(this.#editor.text, this.#editor.cursorIndex);
    if (!word) return;
    this.#completing = true;
    const found = await candidates(this.#host, word, {
      cwd: this.#cwdNow,
      env: { ...this.#envNow },
      signal: new AbortController().signal,
    });
    this.#completing = false;
    if (this.#exited) return;
    const only = found.length === 1 ? found[0] : undefined;
    const common = commonPrefix(found.map((c) => c.word));
    const completed = only
      ? escapeWord(only.word) + (only.directory ? '' : ' ')
      : common.length > word.prefix.length
        ? escapeWord(common)
        : word.typed;
    if (completed.startsWith(word.typed) && completed !== word.typed) {
      this.#emit(this.#editor.insert(completed.slice(word.typed.length)));
    } else if (completed !== word.typed) {
      this.#emit(this.#editor.replaceBefore(Array.from(word.typed).length, completed));
    } else if (list && found.length > 1) {
      this.#emit(`\r\n${formatListing(found, this.#cols)}\r\n`);
      this.#emit((this.#pending === null ? this.#promptText() : CONTINUATION_PROMPT) + this.#editor.render());
    } else {
      this.#tabListsNext = found.length > 1;
    }
    this.#drain();
  }

  #enter(): void {
    const line = this.#editor.take();
    this.#emit('\r\n');
    this.#editor.remember(line);
    const script = this.#pending === null ? line : `${this.#pending}\n${line}`;
    if (this.#needsMore(script)) {
      this.#pending = script;
      return this.#emit(CONTINUATION_PROMPT);
    }
    this.#pending = null;
    const command = script.trim();
    if (command === '') return this.#prompt();
    if (command === 'clear') {
      this.#emit(CLEAR_SCREEN);
      return this.#prompt();
    }
    const exit = /^exit(?:\s+(\d+))?$/.exec(command);
    if (exit) {
      this.#emit('exit\r\n');
      return this.#finish(exit[1] === undefined ? this.#lastExit : Number(exit[1]) & 0xff);
    }
    void this.#run(script);
  }

  #needsMore(script: string): boolean {
    const trailing = /\\+$/.exec(script)?.[0].length ?? 0;
    if (trailing % 2 === 1) return true;
    try {
      return this.#host.isIncomplete?.(script) ?? false;
    } catch {
      return false;
    }
  }

  async #run(script: string): Promise<void> {
    const token = { controller: new AbortController() };
    this.#running = token;
    let result: ShellCommandResult;
    try {
      result = await this.#host.execute(script, {
        cwd: this.#cwdNow,
        env: { ...this.#envNow, COLUMNS: String(this.#cols), LINES: String(this.#rows) },
        signal: token.controller.signal,
      });
    } catch (err) {
      result = { stdout: '', stderr: `${err instanceof Error ? err.message : String(err)}\n`, exitCode: 1 };
    }
    if (this.#running !== token) return; // interrupted or killed meanwhile
    this.#running = null;
    this.#lastExit = result.exitCode;
    if (result.env) this.#adopt(result.env);
    const output = result.stdout + result.stderr;
    if (output) this.#emit(toTerminal(output.endsWith('\n') ? output : `${output}\n`));
    this.#prompt();
    this.#drain();
  }

  #adopt(env: Record<string, string>): void {
    this.#envNow = { ...env };
    const pwd = env.PWD;
    if (typeof pwd === 'string' && pwd.startsWith('/')) this.#cwdNow = pwd;
  }

  #interrupt(): void {
    this.#running?.controller.abort();
    this.#running = null;
    this.#lastExit = INTERRUPTED_EXIT_CODE;
    this.#emit('^C\r\n');
    this.#prompt();
  }

  #finish(code: number): void {
    if (this.#exited) return;
    this.#exited = true;
    this.#running?.controller.abort();
    this.#running = null;
    this.#queue.length = 0;
    this.#resolveExit(code);
  }

  #promptText(): string {
    return `\x1b[1;32m${this.#user}@${this.#hostname}\x1b[0m:\x1b[1;34m${this.#cwdNow}\x1b[0m$ `;
  }

  #prompt(): void {
    this.#emit(this.#promptText());
  }

  #emit(data: string): void {
    if (data === '') return;
    if (this.#backlog) this.#backlog.push(data);
    else for (const listener of [...this.#listeners]) listener(data);
  }
}

/** LF → CRLF (xterm needs the carriage return); existing CRLFs are kept as they are. */
function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
