/**
 * The session's running commands, for exec_command / write_stdin.
 *
 * Every exec_command registers its process here as soon as it is spawned; if the command
 * finishes within its yield window the tool removes it again, otherwise the model keeps
 * polling it by session id. Sessions survive across turns (a dev server keeps running while
 * the user types); `killAll` is for disposing of the whole session.
 *
 * Output buffering: each session buffers the output the model has not read yet. The buffer
 * holds at most `maxBufferBytes` (1 MiB) of UTF-8: the first half of the unread output and
 * the most recent half, counting what falls in between as dropped. Keeping both ends (rather
 * than only the newest bytes) means the final middle-truncation still shows how the output
 * started and how it ended, and the dropped bytes are still reported in the token count.
 */
import { abortError, type Clock, type SandboxProcess } from '../ports';
import { headByBytes, tailByBytes, utf8Length } from './truncate';

export const MAX_BUFFER_BYTES = 1024 * 1024;
const MAX_SESSIONS = 16;
const FIRST_SESSION_ID = 1000;

export interface ProcessMeta {
  command: string;
  cwd: string;
}

export interface ManagedProcess {
  id: number;
  meta: ProcessMeta;
  process: SandboxProcess;
  exited: boolean;
  exitCode?: number;
}

export interface CollectOptions {
  /** How long to wait for the process to exit before returning what arrived so far. */
  yieldMs: number;
  clock: Clock;
  /** Aborting rejects `collect` with an AbortError; the process is left alone. */
  signal?: AbortSignal;
  /**
   * Receives the unread output (once, first) and then live chunks while `collect` waits,
   * so the chunks seen by one call add up to that call's output.
   */
  onChunk?: (chunk: string) => void;
}

export interface CollectResult {
  /** Output since the previous collect: head and tail of it when it exceeded the buffer. */
  output: string;
  /** Bytes dropped from the middle of `output` (0 when nothing was dropped). */
  droppedBytes: number;
  /** Line breaks among the dropped bytes, so the output's line count stays exact. */
  droppedNewlines: number;
  exited: boolean;
  exitCode?: number;
}

export interface ProcessManagerOptions {
  maxSessions?: number;
  maxBufferBytes?: number;
  firstId?: number;
  /** Makes the `Chunk ID` of each exec_command / write_stdin output (default: 6 random hex digits). */
  chunkIds?: () => string;
}

/** Six random hex digits, like Codex's chunk ids. */
function randomChunkId(): string {
  return Array.from({ length: 6 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

/** Unread output: a head filled first, then a tail that keeps only the newest bytes. */
class OutputBuffer {
  #head = '';
  #headBytes = 0;
  #headFull = false;
  #tail: string[] = [];
  #tailBytes = 0;
  #dropped = 0;
  #droppedNewlines = 0;

  readonly #half: number;

  constructor(half: number) {
    this.#half = half;
  }

  push(chunk: string): void {
    if (chunk === '') return;
    let rest = chunk;
    if (!this.#headFull) {
      const size = utf8Length(rest);
      if (this.#headBytes + size <= this.#half) {
        this.#head += rest;
        this.#headBytes += size;
        return;
      }
      const part = headByBytes(rest, this.#half - this.#headBytes);
      this.#head += part;
      this.#headBytes += utf8Length(part);
      this.#headFull = true;
      rest = rest.slice(part.length);
    }
    this.#tail.push(rest);
    this.#tailBytes += utf8Length(rest);
    while (this.#tailBytes > this.#half) {
      const front = this.#tail[0] as string;
      const frontBytes = utf8Length(front);
      const excess = this.#tailBytes - this.#half;
      if (frontBytes <= excess) {
        this.#tail.shift();
        this.#tailBytes -= frontBytes;
        this.#dropped += frontBytes;
        this.#droppedNewlines += newlines(front);
      } else {
        const kept = tailByBytes(front, frontBytes - excess);
        const removed = frontBytes - utf8Length(kept);
        this.#tail[0] = kept;
        this.#tailBytes -= removed;
        this.#dropped += removed;
        this.#droppedNewlines += newlines(front.slice(0, front.length - kept.length));
      }
    }
  }

  peek(): string {
    return this.#head + this.#tail.join('');
  }

  drain(): { output: string; droppedBytes: number; droppedNewlines: number } {
    const result = { output: this.peek(), droppedBytes: this.#dropped, droppedNewlines: this.#droppedNewlines };
    this.#head = '';
    this.#headBytes = 0;
    this.#headFull = false;
    this.#tail = [];
    this.#tailBytes = 0;
    this.#dropped = 0;
    this.#droppedNewlines = 0;
    return result;
  }
}

interface Entry {
  id: number;
  meta: ProcessMeta;
  process: SandboxProcess;
  buffer: OutputBuffer;
  listeners: Set<(chunk: string) => void>;
  exited: boolean;
  exitCode?: number;
  /** Settles (never rejects) once `exited` is set. */
  settled: Promise<void>;
  unsubscribe: () => void;
  lastUsed: number;
}

export class ProcessManager {
  /** Commands the user approved "for this session": they run without asking again. */
  readonly approvedForSession = new Set<string>();

  readonly #entries = new Map<number, Entry>();
  readonly #maxSessions: number;
  readonly #maxBufferBytes: number;
  #nextId: number;
  #useCounter = 0;
  readonly #chunkIds: () => string;

  constructor(options: ProcessManagerOptions = {}) {
    this.#maxSessions = Math.max(1, options.maxSessions ?? MAX_SESSIONS);
    this.#maxBufferBytes = Math.max(2, options.maxBufferBytes ?? MAX_BUFFER_BYTES);
    this.#nextId = options.firstId ?? FIRST_SESSION_ID;
    this.#chunkIds = options.chunkIds ?? randomChunkId;
  }

  /** A fresh `Chunk ID` for one exec_command / write_stdin output. */
  chunkId(): string {
    return this.#chunkIds();
  }

  /**
   * Registers a freshly spawned process and starts buffering its output; returns its
   * session id. At the session limit the oldest exited session is dropped; if every
   * session is still running, the least recently used one is killed to make room.
   */
  start(process: SandboxProcess, meta: ProcessMeta): number {
    while (this.#entries.size >= this.#maxSessions) this.#evictOne();
    const id = this.#nextId++;
    const entry: Entry = {
      id,
      meta,
      process,
      buffer: new OutputBuffer(Math.floor(this.#maxBufferBytes / 2)),
      listeners: new Set(),
      exited: false,
      settled: Promise.resolve(),
      unsubscribe: () => {},
      lastUsed: ++this.#useCounter,
    };
    entry.unsubscribe = process.onOutput((chunk) => {
      entry.buffer.push(chunk);
      for (const listener of entry.listeners) listener(chunk);
    });
    entry.settled = process.exit.then(
      (code) => {
        entry.exited = true;
        entry.exitCode = code;
      },
      (err: unknown) => {
        entry.buffer.push(`${err instanceof Error ? err.message : String(err)}\n`);
        entry.exited = true;
        entry.exitCode = 1;
      },
    );
    this.#entries.set(id, entry);
    return id;
  }

  get(id: number): ManagedProcess | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    return {
      id,
      meta: entry.meta,
      process: entry.process,
      exited: entry.exited,
      ...(entry.exitCode !== undefined ? { exitCode: entry.exitCode } : {}),
    };
  }

  /** Registered session ids, ascending. */
  ids(): number[] {
    return [...this.#entries.keys()].sort((a, b) => a - b);
  }

  /**
   * Waits until the process exits or `yieldMs` passes, whichever comes first, then returns
   * the output that arrived since the previous collect. Rejects with an AbortError when
   * `signal` aborts first, and with an Error for an unknown id.
   */
  async collect(id: number, options: CollectOptions): Promise<CollectResult> {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`no session with ID ${id}`);
    entry.lastUsed = ++this.#useCounter;
    const { onChunk, signal } = options;
    if (signal?.aborted) throw abortError();
    if (onChunk) {
      const pending = entry.buffer.peek();
      if (pending !== '') onChunk(pending);
      entry.listeners.add(onChunk);
    }
    try {
      if (!entry.exited) await waitForExit(entry.settled, options);
    } finally {
      if (onChunk) entry.listeners.delete(onChunk);
    }
    return {
      ...entry.buffer.drain(),
      exited: entry.exited,
      ...(entry.exitCode !== undefined ? { exitCode: entry.exitCode } : {}),
    };
  }

  /** Forgets a session without killing it (used once its exit has been reported). */
  remove(id: number): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    entry.unsubscribe();
    entry.listeners.clear();
    this.#entries.delete(id);
    return true;
  }

  /** Kills the process (if still running) and forgets the session. */
  kill(id: number): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    if (!entry.exited) entry.process.kill();
    return this.remove(id);
  }

  /** Kills every running process and forgets all sessions (session disposal). */
  killAll(): void {
    for (const id of this.ids()) this.kill(id);
  }

  #evictOne(): void {
    let victim: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.exited && (!victim || entry.id < victim.id)) victim = entry;
    }
    if (!victim) {
      for (const entry of this.#entries.values()) {
        if (!victim || entry.lastUsed < victim.lastUsed) victim = entry;
      }
    }
    if (victim) this.kill(victim.id);
  }
}

/** Resolves on exit or after the yield window; rejects with AbortError if `signal` aborts first. */
async function waitForExit(settled: Promise<void>, { yieldMs, clock, signal }: CollectOptions): Promise<void> {
  const timer = new AbortController();
  const onAbort = () => timer.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let aborted = false;
  try {
    await Promise.race([
      settled,
      clock.sleep(Math.max(0, yieldMs), timer.signal).catch(() => {
        // The sleep is cancelled both when the process exits first and when the caller aborts.
        if (signal?.aborted) aborted = true;
      }),
    ]);
  } finally {
    timer.abort();
    signal?.removeEventListener('abort', onAbort);
  }
  if (aborted) throw abortError();
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
