/**
 * The WebContainer sandbox: real Node.js, npm and servers in the tab, through
 * `@webcontainer/api` (imported lazily, so it stays out of the first bundle).
 *
 * It needs a secure, cross-origin-isolated page and StackBlitz's servers; without the
 * first the status is 'unsupported' from the start, without the second the boot times out
 * into 'failed' (the library itself would wait forever). One instance per page: the boot
 * is shared through globalThis and survives hot reloads (see webcontainer/boot.ts).
 *
 * The workspace is the container's workdir (`/home/<workdirName>`); every path is confined
 * to it. Everything is usable before boot() is called: each operation waits for the boot
 * and fails with its reason.
 */
import { normalizePath } from '../core/paths';
import type { SandboxDescription } from '../core/ports';
import type {
  BootStatus,
  PreviewError,
  PreviewPort,
  RunOptions,
  RunResult,
  Sandbox,
  SandboxCapabilities,
  SandboxExecution,
  SandboxFilesystem,
  ShellSession,
} from './sandbox';
import type { Snapshot } from './snapshot';
import {
  currentEnvironment,
  defaultBoot,
  forgetSharedBoot,
  previewCoep,
  sharedBoot,
  unsupportedReason,
  withBootTimeout,
  type EnvironmentFacts,
} from './webcontainer/boot';
import { PreviewErrorLog, PreviewTracker } from './webcontainer/previews';
import { runToEnd } from './webcontainer/run';
import { openWcShell } from './webcontainer/shell';
import { exportSnapshot, restoreSnapshot } from './webcontainer/snapshots';
import { BootDeadline, type DeadlineOptions, type Visibility } from './webcontainer/deadline';
import type { WcBoot, WcBootSignal, WcInstance } from './webcontainer/types';
import { spawnInWorkspace, type WcProcessHandle, type WcSpawnRequest } from './webcontainer/wc-exec';
import { createWcFilesystem, type WcContext } from './webcontainer/wc-fs';
import { ChangeHub } from './webcontainer/watch';
import { webContainerNotes } from './webcontainer/notes';
import { defaultToolboxSource, installToolbox, type Toolbox, type ToolboxSource } from './webcontainer/toolbox-install';

const DEFAULT_BOOT_TIMEOUT_MS = 20_000;
const DEFAULT_WORKDIR_NAME = 'workspace';

export interface WebContainerSandboxOptions {
  /** How long boot() waits for the runtime before reporting 'failed' (default 20 s). */
  bootTimeoutMs?: number;
  /**
   * Instead of one timeout, two phases: a short wait for the StackBlitz frame's first message,
   * then a long one, counted only while the page is visible (see webcontainer/deadline.ts).
   */
  deadline?: DeadlineOptions;
  /** How long a killed command has to exit after Ctrl-C before it is killed outright (default 1 s). */
  killGraceMs?: number;
  /**
   * The policy of the runtime's frames and previews (default: 'credentialless' where the
   * browser supports it, see `previewCoep`); fixed by the page's first boot.
   */
  coep?: 'require-corp' | 'credentialless';
  /** The workdir's folder name (the workspace is /home/<name>); fixed by the first boot. */
  workdirName?: string;
}

/** Seams for tests: explicit stand-ins, never module mocks. */
export interface WebContainerSandboxDeps {
  /** Boots the runtime (default: the real library, imported on demand). */
  boot?: WcBoot;
  /** What the page offers (default: read from globalThis). */
  environment?: EnvironmentFacts;
  /** Where the page-wide boot is kept (default: globalThis). */
  bootSlot?: object;
  /** Clock for de-duplicating change events (default: Date.now). */
  now?: () => number;
  /** Whether the page is visible, for the boot deadline (default: the document's). */
  visibility?: Visibility;
  /**
   * The toolbox bundle to install after boot (default: the app's, built by Vite); null runs
   * every command in jsh alone.
   */
  toolbox?: ToolboxSource | null;
}

export function createWebContainerSandbox(options: WebContainerSandboxOptions = {}, deps: WebContainerSandboxDeps = {}): Sandbox {
  return new WebContainerSandbox(options, deps);
}

class WebContainerSandbox implements Sandbox {
  readonly kind = 'webcontainer' as const;
  readonly capabilities: SandboxCapabilities = { node: true, liveProcesses: true, previews: true };
  readonly fs: SandboxFilesystem;
  readonly exec: SandboxExecution;
  #current: BootStatus;
  readonly #statusListeners = new Set<(status: BootStatus) => void>();
  #booting: Promise<void> | undefined;
  /** The page's boot this sandbox waits on (set while booting): torn down if it finishes after a dispose. */
  #pendingBoot: Promise<WcInstance> | undefined;
  #ctx: WcContext | undefined;
  /** The installed toolbox, once known (see toolbox-install.ts). */
  #toolbox: Toolbox | undefined;
  readonly #changes: ChangeHub;
  readonly #previewTracker = new PreviewTracker();
  readonly #previewErrors = new PreviewErrorLog();
  readonly #unsubscribers: (() => void)[] = [];
  readonly #processes = new Set<WcProcessHandle>();
  readonly #shells = new Set<ShellSession>();
  #disposed = false;
  readonly #workdirName: string;
  readonly #environment: EnvironmentFacts;
  /**
   * The booted instance, for every operation: starts the boot if nobody did, but after a
   * failure rejects at once (only an explicit boot() tries again).
   */
  readonly #ready = (): Promise<WcContext> => {
    if (this.#current.state === 'failed' && !this.#booting) return Promise.reject(new Error(this.#current.reason));
    return this.boot().then(() => this.#ctx as WcContext);
  };

  readonly #options: WebContainerSandboxOptions;
  readonly #deps: WebContainerSandboxDeps;

  constructor(options: WebContainerSandboxOptions, deps: WebContainerSandboxDeps) {
    this.#options = options;
    this.#deps = deps;
    this.#workdirName = options.workdirName ?? DEFAULT_WORKDIR_NAME;
    this.#environment = deps.environment ?? currentEnvironment();
    const reason = unsupportedReason(this.#environment);
    this.#current = reason ? { state: 'unsupported', reason } : { state: 'booting', progress: 'Not started yet' };
    this.#changes = new ChangeHub({ ready: this.#ready, now: deps.now });
    this.fs = createWcFilesystem(this.#ready, this.#changes);
    this.exec = {
      spawn: (command: string, spawnOptions: WcSpawnRequest) => this.#spawn(command, spawnOptions),
      run: (command: string, runOptions?: Partial<RunOptions>) => this.#run(command, runOptions),
    };
  }

  get status(): BootStatus {
    return this.#current;
  }

  onStatus(listener: (status: BootStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Idempotent while booting or ready; after a failure, tries again (on the same page boot). */
  boot(): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error('the WebContainer sandbox has been disposed'));
    if (this.#current.state === 'unsupported') return Promise.reject(new Error(this.#current.reason));
    this.#booting ??= this.#start();
    return this.#booting;
  }

  async settled(): Promise<void> {
    await this.boot();
    await this.#ctx?.toolbox;
  }

  describe(): SandboxDescription {
    const root = this.#ctx?.root ?? `/home/${this.#workdirName}`;
    return {
      kind: 'webcontainer',
      root,
      shell: this.#toolbox ? 'bash (toolbox in a WebContainer)' : 'jsh (WebContainer)',
      notes: webContainerNotes(root, this.#toolbox),
    };
  }

  openShell(size: { cols: number; rows: number }): ShellSession {
    const shell = openWcShell(this.#ready, size);
    this.#shells.add(shell);
    void shell.exit.then(() => this.#shells.delete(shell));
    return shell;
  }

  onPreview(listener: (port: PreviewPort) => void): () => void {
    return this.#previewTracker.subscribe(listener);
  }

  previews(): PreviewPort[] {
    return this.#previewTracker.list();
  }

  onPreviewError(listener: (error: PreviewError) => void): () => void {
    return this.#previewErrors.subscribe(listener);
  }

  takeNotes(): string | undefined {
    return this.#previewErrors.takeNote();
  }

  async snapshot(): Promise<Snapshot> {
    return exportSnapshot(await this.#ready());
  }

  async restore(snapshot: Snapshot): Promise<void> {
    await restoreSnapshot(await this.#ready(), snapshot);
  }

  /** Kills what runs and tears the container down; the next sandbox boots a new one. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const proc of this.#processes) proc.kill();
    for (const shell of this.#shells) shell.kill();
    this.#changes.close();
    for (const off of this.#unsubscribers.splice(0)) off();
    if (this.#ctx) {
      try {
        this.#ctx.wc.teardown();
      } catch {
        // already torn down
      }
      forgetSharedBoot(this.#deps.bootSlot);
    } else if (this.#pendingBoot) {
      // A boot that timed out may still finish: it is torn down then, never left running unseen
      // (it would hold the page's one WebContainer and its memory).
      const slot = this.#deps.bootSlot;
      this.#pendingBoot.then(
        (wc) => {
          try {
            wc.teardown();
          } catch {
            // already torn down
          }
          forgetSharedBoot(slot);
        },
        () => undefined,
      );
    }
    this.#statusListeners.clear();
  }

  #spawn(command: string, options: WcSpawnRequest): WcProcessHandle {
    const proc = spawnInWorkspace(this.#ready, command, options, { killGraceMs: this.#options.killGraceMs });
    this.#processes.add(proc);
    void proc.exit.then(() => this.#processes.delete(proc));
    return proc;
  }

  #run(command: string, options: Partial<RunOptions> = {}): Promise<RunResult> {
    const { timeoutMs, signal, ...spawnOptions } = options;
    return runToEnd(() => this.#spawn(command, { ...spawnOptions, cwd: spawnOptions.cwd ?? '' }), { timeoutMs, signal });
  }

  async #start(): Promise<void> {
    this.#setStatus({ state: 'booting', progress: 'Starting the WebContainer…' });
    const progress = (text: string) => {
      if (this.#current.state === 'booting' && !this.#disposed) this.#setStatus({ state: 'booting', progress: text });
    };
    try {
      const deadline = this.#options.deadline ? new BootDeadline(this.#options.deadline, this.#deps.visibility) : undefined;
      const onSignal = (signal: WcBootSignal) => {
        if (signal.type === 'alive') {
          deadline?.alive();
          progress('StackBlitz answered; the WebContainer is starting…');
        } else {
          deadline?.warning(signal.message);
          progress(`StackBlitz: ${signal.message}`);
        }
      };
      const boot = sharedBoot(
        this.#deps.boot ?? defaultBoot,
        {
          coep: this.#options.coep ?? previewCoep(this.#environment),
          workdirName: this.#workdirName,
          // Uncaught errors and console.error calls of the previewed pages come back as
          // `preview-message` events: shown in the preview pane, and told to the agent.
          forwardPreviewErrors: true,
        },
        progress,
        this.#deps.bootSlot,
        onSignal,
      );
      this.#pendingBoot = boot;
      let wc: WcInstance;
      try {
        wc = deadline
          ? await Promise.race([boot, deadline.expired])
          : await withBootTimeout(boot, this.#options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS);
      } finally {
        deadline?.stop();
      }
      if (this.#disposed) throw new Error('the WebContainer sandbox has been disposed');
      const root = normalizePath(wc.workdir);
      const source = this.#deps.toolbox === undefined ? defaultToolboxSource : this.#deps.toolbox;
      const toolbox = source ? installToolbox(wc, root, source) : Promise.resolve(undefined);
      void toolbox.then((installed) => void (this.#toolbox = installed));
      this.#ctx = { wc, root, toolbox };
      this.#unsubscribers.push(this.#previewTracker.attach(wc), this.#previewErrors.attach(wc));
      this.#unsubscribers.push(wc.on('error', (error) => console.warn(`[webcontainer] internal error: ${error.message}`)));
      this.#setStatus({ state: 'ready' });
      this.#changes.resume();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.#booting = undefined;
      if (!this.#disposed) this.#setStatus({ state: 'failed', reason });
      throw new Error(reason);
    }
  }

  #setStatus(status: BootStatus): void {
    this.#current = status;
    for (const listener of [...this.#statusListeners]) listener(status);
  }
}
