/**
 * An explicit in-memory stand-in for the slice of `WebContainer` the backend uses
 * (src/sandbox/webcontainer/types.ts), injected through the factory's `boot` seam.
 *
 * Its fs is FakeFs (webcontainer-fake-fs.ts); processes are driven by the test through
 * `onSpawn`.
 *
 * Processes behave as the runtime's do on their pseudo-terminal: Ctrl-C (`\x03`) written to
 * `input` is echoed as `^C` and interrupts the program (SIGINT: it exits with 130) unless it
 * traps the signal (`trapsInterrupt`); input written after the exit goes nowhere (the library
 * only warns); `kill()` of an exited process does nothing.
 */
import type { FileSystemTree } from '@webcontainer/api';
import { isPreviewMessage, PreviewMessageType } from '@webcontainer/api/utils';
import type {
  WcBoot,
  WcBootOptions,
  WcErrorListener,
  WcInstance,
  WcPortListener,
  WcPreviewMessageListener,
  WcProcess,
  WcServerReadyListener,
  WcSpawnOptions,
} from '../../src/sandbox/webcontainer/types';
import { FakeFs } from './webcontainer-fake-fs';

export { FakeFs };

/** A process the test drives: print output, exit, inspect input. */
export class FakeWcProcess implements WcProcess {
  readonly exit: Promise<number>;
  readonly input: WritableStream<string>;
  readonly output: ReadableStream<string>;
  readonly written: string[] = [];
  readonly sizes: { cols: number; rows: number }[] = [];
  killed = false;
  /** Got Ctrl-C on its terminal while running. */
  interrupted = false;
  /** Keeps running through Ctrl-C, as a program that handles SIGINT itself may. */
  trapsInterrupt = false;
  /** The exit code, once it exited. */
  exitCode: number | undefined;
  #controller!: ReadableStreamDefaultController<string>;
  #closed = false;
  #resolveExit: (code: number) => void = () => {};

  constructor(
    readonly command: string,
    readonly args: string[],
    readonly options: WcSpawnOptions | undefined,
  ) {
    this.exit = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
    this.output = new ReadableStream<string>({ start: (c) => void (this.#controller = c) });
    this.input = new WritableStream<string>({ write: (chunk) => this.#type(chunk) });
  }

  #type(chunk: string): void {
    if (this.exitCode !== undefined) return;
    this.written.push(chunk);
    if (!chunk.includes('\x03')) return;
    this.interrupted = true;
    this.print('^C');
    if (!this.trapsInterrupt) this.end(130);
  }

  print(text: string): void {
    if (!this.#closed) this.#controller.enqueue(text);
  }

  /** Closes the output, then reports the exit code (the order the runtime uses). */
  end(code: number): void {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#controller.close();
      } catch {
        // the reader cancelled the stream
      }
    }
    this.exitCode ??= code;
    this.#resolveExit(code);
  }

  kill(): void {
    if (this.exitCode !== undefined) return;
    this.killed = true;
    this.end(143);
  }

  resize(size: { cols: number; rows: number }): void {
    this.sizes.push(size);
  }
}

export class FakeWebContainer implements WcInstance {
  readonly fs = new FakeFs();
  readonly workdir: string;
  readonly path = '/usr/local/bin:/bin';
  readonly spawned: FakeWcProcess[] = [];
  readonly exports: { path: string; excludes?: string[] }[] = [];
  tornDown = false;
  /** The boot option `forwardPreviewErrors` (fakeBoot sets it): without it, pages report nothing. */
  forwardPreviewErrors: boolean | 'exceptions-only' = false;
  /** Drives each spawned process; default: exits 0 at once. */
  onSpawn: (proc: FakeWcProcess) => void = (proc) => proc.end(0);
  readonly #handlers = {
    port: new Set<WcPortListener>(),
    ready: new Set<WcServerReadyListener>(),
    error: new Set<WcErrorListener>(),
    previewMessage: new Set<WcPreviewMessageListener>(),
  };

  constructor(workdir = '/home/workspace') {
    this.workdir = workdir;
  }

  async spawn(command: string, args: string[], options?: WcSpawnOptions): Promise<FakeWcProcess> {
    const proc = new FakeWcProcess(command, args, options);
    this.spawned.push(proc);
    queueMicrotask(() => this.onSpawn(proc));
    return proc;
  }

  async export(path: string, options: { format: 'json'; excludes?: string[] }): Promise<FileSystemTree> {
    this.exports.push({ path, excludes: options.excludes });
    return this.fs.toTree(this.fs.key(path));
  }

  async mount(tree: FileSystemTree): Promise<void> {
    this.fs.mountTree(tree);
  }

  on(event: 'port', listener: WcPortListener): () => void;
  on(event: 'server-ready', listener: WcServerReadyListener): () => void;
  on(event: 'error', listener: WcErrorListener): () => void;
  on(event: 'preview-message', listener: WcPreviewMessageListener): () => void;
  on(
    event: 'port' | 'server-ready' | 'error' | 'preview-message',
    listener: WcPortListener | WcServerReadyListener | WcErrorListener | WcPreviewMessageListener,
  ): () => void {
    const sets = {
      port: this.#handlers.port,
      'server-ready': this.#handlers.ready,
      error: this.#handlers.error,
      'preview-message': this.#handlers.previewMessage,
    };
    const set = sets[event] as Set<unknown>;
    set.add(listener);
    return () => set.delete(listener);
  }

  emitPort(port: number, type: 'open' | 'close', url: string): void {
    for (const l of this.#handlers.port) l(port, type, url);
  }

  emitServerReady(port: number, url: string): void {
    for (const l of this.#handlers.ready) l(port, url);
  }

  /**
   * A previewed page posts `data` (the runtime forwards errors only when booted with
   * `forwardPreviewErrors`); as the library does, only what `isPreviewMessage` accepts reaches
   * the listeners.
   */
  emitPreviewMessage(data: unknown): void {
    if (!this.forwardPreviewErrors || !isPreviewMessage(data)) return;
    if (this.forwardPreviewErrors === 'exceptions-only' && data.type === PreviewMessageType.ConsoleError) return;
    for (const l of this.#handlers.previewMessage) l(data);
  }

  listenerCount(): number {
    return this.#handlers.port.size + this.#handlers.ready.size + this.#handlers.error.size + this.#handlers.previewMessage.size;
  }

  teardown(): void {
    this.tornDown = true;
  }
}

/**
 * A boot seam that hands out `wc`, counts its calls and keeps the options of each (the real
 * `WebContainer.boot` takes `coep` and `forwardPreviewErrors`, fixed by the first boot).
 */
export function fakeBoot(wc: WcInstance): WcBoot & { calls: number; options: WcBootOptions[] } {
  const boot = Object.assign(
    async (options: WcBootOptions, progress: Parameters<WcBoot>[1]) => {
      boot.calls++;
      boot.options.push(options);
      if (wc instanceof FakeWebContainer) wc.forwardPreviewErrors = options.forwardPreviewErrors ?? false;
      progress('Booting the fake…');
      return wc;
    },
    { calls: 0, options: [] as WcBootOptions[] },
  );
  return boot;
}

export const ISOLATED = { isSecureContext: true, crossOriginIsolated: true, sharedArrayBuffer: true };

/** Waits until `predicate` holds, yielding to the event loop between checks. */
export async function until(predicate: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A boot that behaves as the real one does over time: the StackBlitz frame's first message
 * (`alive`) and its warnings arrive at the given times, and the instance is ready at
 * `readyAfterMs` (never, when absent), as where the frame loads but never finishes.
 */
export function frameBoot(
  wc: WcInstance,
  script: { aliveAfterMs?: number; warnings?: { afterMs: number; message: string }[]; readyAfterMs?: number },
): WcBoot & { calls: number } {
  const boot = Object.assign(
    (_options: WcBootOptions, progress: Parameters<WcBoot>[1], signal?: Parameters<WcBoot>[2]) => {
      boot.calls++;
      progress('Booting the fake…');
      if (script.aliveAfterMs !== undefined) setTimeout(() => signal?.({ type: 'alive' }), script.aliveAfterMs);
      for (const warning of script.warnings ?? []) setTimeout(() => signal?.({ type: 'warning', message: warning.message }), warning.afterMs);
      return new Promise<WcInstance>((resolve) => {
        if (script.readyAfterMs !== undefined) setTimeout(() => resolve(wc), script.readyAfterMs);
      });
    },
    { calls: 0 },
  );
  return boot;
}

/** A page whose visibility the test sets. */
export class FakeVisibility {
  #isHidden: boolean;
  readonly #listeners = new Set<() => void>();
  constructor(hidden = false) {
    this.#isHidden = hidden;
  }
  hidden(): boolean {
    return this.#isHidden;
  }
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  set(hidden: boolean): void {
    this.#isHidden = hidden;
    for (const listener of [...this.#listeners]) listener();
  }
}
