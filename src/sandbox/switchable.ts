/**
 * One sandbox for the app that can move from one backend to another: the page starts on the
 * embedded sandbox at once, and moves to WebContainer once that has booted beside it.
 *
 * Everything the app holds (the session's tools, the file tree and editor, the preview, the
 * terminal) holds this object, so a move changes nothing they hold:
 * - Calls go to the current backend; subscriptions (file changes, previews, preview errors,
 *   status) are kept here and moved to the new backend with it.
 * - `switchTo` carries the workspace over (the old backend's snapshot restored into the new
 *   one; both use the same root, so every path stays valid), then makes the new one current.
 *   Calls made while it runs wait for it. What the move writes into the new backend is not
 *   reported as changes: the files are the ones the app already shows.
 * - `onSwitch` tells those that keep something open on a backend (the terminal's shell) to
 *   reopen it. Commands still running on the old backend are stopped.
 * - The old backend is kept (not disposed), so the session can move back.
 */
import type { SandboxDescription, SandboxProcess, SpawnOptions } from '../core/ports';
import type {
  BootStatus,
  FsChange,
  PreviewError,
  PreviewPort,
  RunOptions,
  RunResult,
  Sandbox,
  SandboxCapabilities,
  SandboxExecution,
  SandboxFilesystem,
  SandboxKind,
  ShellSession,
} from './sandbox';
import type { Snapshot } from './snapshot';

type Watcher = { listener: (change: FsChange) => void; onProblem?: (problem: string) => void; off: () => void };

export class SwitchableSandbox implements Sandbox {
  readonly fs: SandboxFilesystem;
  readonly exec: SandboxExecution;
  #current: Sandbox;
  readonly #backends = new Set<Sandbox>();
  #moving: Promise<void> | undefined;
  readonly #watchers = new Set<Watcher>();
  readonly #previewListeners = new Set<(port: PreviewPort) => void>();
  readonly #errorListeners = new Set<(error: PreviewError) => void>();
  readonly #statusListeners = new Set<(status: BootStatus) => void>();
  readonly #switchListeners = new Set<(from: Sandbox, to: Sandbox) => void>();
  readonly #processes = new Set<SandboxProcess>();
  #detach: (() => void)[] = [];
  #nextTurn: (() => Promise<void>) | null = null;
  readonly #siteListeners = new Set<(dir: string) => void>();
  readonly #notes: string[] = [];

  constructor(initial: Sandbox) {
    this.#current = initial;
    this.#backends.add(initial);
    this.#attach(initial);
    const fs = (): Promise<SandboxFilesystem> => this.#settled().then(() => this.#current.fs);
    this.fs = {
      readFile: async (path) => (await fs()).readFile(path),
      readFileBytes: async (path) => (await fs()).readFileBytes(path),
      writeFile: async (path, content) => (await fs()).writeFile(path, content),
      list: async (path) => (await fs()).list(path),
      rename: async (from, to) => (await fs()).rename(from, to),
      stat: async (path) => (await fs()).stat(path),
      mkdir: async (path) => (await fs()).mkdir(path),
      rm: async (path) => (await fs()).rm(path),
      readdir: async (path) => (await fs()).readdir(path),
      watch: (listener, onProblem) => {
        const watcher: Watcher = { listener, ...(onProblem ? { onProblem } : {}), off: () => {} };
        watcher.off = this.#watchOne(this.#current, watcher);
        this.#watchers.add(watcher);
        return () => {
          this.#watchers.delete(watcher);
          watcher.off();
        };
      },
    };
    this.exec = {
      spawn: (command: string, options: SpawnOptions & { stdin?: string }) =>
        this.#moving
          ? new LaterProcess(this.#settled().then(() => this.#track(this.#current.exec.spawn(command, options))))
          : this.#track(this.#current.exec.spawn(command, options)),
      run: async (command: string, options?: Partial<RunOptions>): Promise<RunResult> => {
        await this.#settled();
        return this.#current.exec.run(command, options);
      },
    };
  }

  /** The backend in use. */
  get current(): Sandbox {
    return this.#current;
  }

  get kind(): SandboxKind {
    return this.#current.kind;
  }

  get capabilities(): SandboxCapabilities {
    return this.#current.capabilities;
  }

  get status(): BootStatus {
    return this.#current.status;
  }

  /** Whether a move is under way. */
  get moving(): boolean {
    return this.#moving !== undefined;
  }

  describe(): SandboxDescription {
    return this.#current.describe();
  }

  /** What the backend has for the model, and what the app added (`note`), once each. */
  takeNotes(): string | undefined {
    const notes = [this.#current.takeNotes?.(), ...this.#notes.splice(0)].filter((n): n is string => Boolean(n));
    return notes.length ? notes.join('\n\n') : undefined;
  }

  /** Tells the model something with its next command's output (e.g. the workspace preview's errors). */
  note(text: string): void {
    this.#notes.push(text);
  }

  onSiteRequest(listener: (dir: string) => void): () => void {
    this.#siteListeners.add(listener);
    return () => this.#siteListeners.delete(listener);
  }

  boot(): Promise<void> {
    return this.#current.boot();
  }

  onStatus(listener: (status: BootStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  openShell(size: { cols: number; rows: number }): ShellSession {
    return this.#current.openShell(size);
  }

  onPreview(listener: (port: PreviewPort) => void): () => void {
    this.#previewListeners.add(listener);
    return () => this.#previewListeners.delete(listener);
  }

  previews(): PreviewPort[] {
    return this.#current.previews();
  }

  onPreviewError(listener: (error: PreviewError) => void): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  async snapshot(): Promise<Snapshot> {
    await this.#settled();
    return this.#current.snapshot();
  }

  async restore(snapshot: Snapshot): Promise<void> {
    await this.#settled();
    return this.#current.restore(snapshot);
  }

  /**
   * Sets work (a move) to do at the next turn boundary: run by `beforeTurn`, unless it was
   * cleared (null) or done otherwise first.
   */
  atNextTurn(task: (() => Promise<void>) | null): void {
    this.#nextTurn = task;
  }

  async beforeTurn(): Promise<void> {
    const task = this.#nextTurn;
    this.#nextTurn = null;
    if (task) await task();
    await this.#settled();
  }

  /** Hears every move, after it: reopen what was open on the old backend. */
  onSwitch(listener: (from: Sandbox, to: Sandbox) => void): () => void {
    this.#switchListeners.add(listener);
    return () => this.#switchListeners.delete(listener);
  }

  /**
   * Moves to `next` (booted and ready): its workspace becomes a copy of the current one, then
   * it is the backend. Rejects, staying on the current backend, when the copy fails.
   */
  switchTo(next: Sandbox): Promise<void> {
    if (next === this.#current) return Promise.resolve();
    const move = (this.#moving ?? Promise.resolve()).then(() => this.#move(next));
    const tracked = move.finally(() => {
      if (this.#moving === tracked) this.#moving = undefined;
    });
    this.#moving = tracked;
    return tracked;
  }

  async dispose(): Promise<void> {
    for (const off of this.#detach.splice(0)) off();
    await Promise.all([...this.#backends].map((backend) => backend.dispose().catch(() => undefined)));
  }

  async #move(next: Sandbox): Promise<void> {
    const from = this.#current;
    await next.boot();
    const snapshot = await from.snapshot();
    await next.restore(snapshot);
    for (const proc of this.#processes) proc.kill();
    this.#processes.clear();
    for (const off of this.#detach.splice(0)) off();
    for (const watcher of this.#watchers) watcher.off();
    this.#current = next;
    this.#backends.add(next);
    this.#attach(next);
    for (const watcher of this.#watchers) watcher.off = this.#watchOne(next, watcher);
    for (const listener of [...this.#statusListeners]) listener(next.status);
    for (const port of from.previews()) if (port.open) this.#emitPreview({ ...port, open: false });
    for (const port of next.previews()) this.#emitPreview(port);
    for (const listener of [...this.#switchListeners]) {
      try {
        listener(from, next);
      } catch {
        // A failing listener must not starve the others.
      }
    }
  }

  #attach(backend: Sandbox): void {
    this.#detach.push(
      backend.onStatus((status) => {
        for (const listener of [...this.#statusListeners]) listener(status);
      }),
      backend.onPreview((port) => this.#emitPreview(port)),
      backend.onPreviewError?.((error) => {
        for (const listener of [...this.#errorListeners]) listener(error);
      }) ?? (() => {}),
      backend.onSiteRequest?.((dir) => {
        for (const listener of [...this.#siteListeners]) listener(dir);
      }) ?? (() => {}),
    );
  }

  #emitPreview(port: PreviewPort): void {
    for (const listener of [...this.#previewListeners]) listener(port);
  }

  #watchOne(backend: Sandbox, watcher: Watcher): () => void {
    return backend.fs.watch((change) => watcher.listener(change), watcher.onProblem ? (problem) => watcher.onProblem?.(problem) : undefined);
  }

  #track(proc: SandboxProcess): SandboxProcess {
    this.#processes.add(proc);
    void proc.exit.then(() => this.#processes.delete(proc));
    return proc;
  }

  async #settled(): Promise<void> {
    while (this.#moving) await this.#moving.catch(() => undefined);
  }
}

/**
 * A process started once a move is over (a command given during one runs on the new backend):
 * output listeners, input and kill wait for it, and output is replayed to late listeners as
 * the backends' processes do.
 */
class LaterProcess implements SandboxProcess {
  readonly exit: Promise<number>;
  #killed = false;

  readonly #started: Promise<SandboxProcess>;

  constructor(started: Promise<SandboxProcess>) {
    this.#started = started;
    this.exit = started.then(
      (proc) => {
        if (this.#killed) proc.kill();
        return proc.exit;
      },
      () => 127,
    );
  }

  onOutput(listener: (chunk: string) => void): () => void {
    let off: (() => void) | undefined;
    let cancelled = false;
    void this.#started.then((proc) => {
      if (!cancelled) off = proc.onOutput(listener);
    });
    return () => {
      cancelled = true;
      off?.();
    };
  }

  async write(chars: string): Promise<void> {
    return (await this.#started).write(chars);
  }

  kill(): void {
    this.#killed = true;
    void this.#started.then((proc) => proc.kill());
  }
}
