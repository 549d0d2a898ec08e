/**
 * The sandbox: where the agent's commands run and the workspace's files live. Two backends
 * implement all of it — WebContainer (real Node and npm, needs StackBlitz) and embedded
 * (just-bash, offline, any browser). The editor, file tree, terminal and preview use it
 * directly; the engine sees the `SandboxPort` slice it extends.
 */
import type { FileStat, SandboxExec, SandboxFs, SandboxPort, SandboxProcess, SpawnOptions } from '../core/ports';
import type { Snapshot } from './snapshot';

export type SandboxKind = 'webcontainer' | 'embedded';

export type BootStatus =
  { state: 'unsupported'; reason: string } | { state: 'booting'; progress: string } | { state: 'ready' } | { state: 'failed'; reason: string };

/** A change in the workspace, from whoever made it: the agent, the terminal, the editor. */
export interface FsChange {
  kind: 'create' | 'change' | 'delete';
  /** Absolute path inside the sandbox. */
  path: string;
  isDirectory: boolean;
}

export interface DirEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
}

/**
 * The full filesystem. Paths are absolute or relative to the workspace root; a path that
 * resolves outside the root is refused with an Error ("outside the workspace"). Methods
 * reject with an Error whose message names the path and what failed.
 */
export interface SandboxFilesystem extends SandboxFs {
  readFileBytes(path: string): Promise<Uint8Array>;
  /** Creates missing parent directories. */
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  list(path: string): Promise<DirEntry[]>;
  /** Moves a file or directory; creates the target's parent directories. */
  rename(from: string, to: string): Promise<void>;
  stat(path: string): Promise<FileStat | null>;
  /**
   * Subscribes to changes anywhere in the workspace; returns the unsubscribe function.
   * `onProblem` hears (in words for the person) when changes made outside these methods —
   * in the terminal, by npm — may no longer all be reported, e.g. a watcher could not start.
   */
  watch(listener: (change: FsChange) => void, onProblem?: (problem: string) => void): () => void;
}

export interface RunOptions extends SpawnOptions {
  /** Kills the command after this many ms (exit code 124). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Text fed to the command's stdin before it starts reading. */
  stdin?: string;
}

export interface RunResult {
  /** stdout and stderr merged in arrival order. */
  output: string;
  exitCode: number;
  timedOut: boolean;
}

export interface SandboxExecution extends SandboxExec {
  spawn(command: string, options: SpawnOptions & { stdin?: string }): SandboxProcess;
  /** Runs a command to completion (or timeout/abort) and collects its output. */
  run(command: string, options?: Partial<RunOptions>): Promise<RunResult>;
}

/** An interactive shell for the terminal pane. Output includes ANSI sequences. */
export interface ShellSession {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  onOutput(listener: (data: string) => void): () => void;
  readonly exit: Promise<number>;
  kill(): void;
}

export interface PreviewPort {
  port: number;
  url: string;
  /** false once the server stopped listening. */
  open: boolean;
}

/** An error the previewed page reported: uncaught, an unhandled rejection, or console.error. */
export interface PreviewError {
  kind: 'uncaught_exception' | 'unhandled_rejection' | 'console_error';
  /** The server's port and the page's path (with query and hash) where it happened. */
  port: number;
  path: string;
  /** One message, as the page gave it (console.error's arguments joined by spaces). */
  message: string;
  /** The stack trace, when the page gave one. */
  stack?: string;
}

export interface SandboxCapabilities {
  /** Real Node, npm and npx. */
  node: boolean;
  /** Commands can stream output while running and read stdin interactively. */
  liveProcesses: boolean;
  /** Servers can listen and be previewed. */
  previews: boolean;
}

export interface Sandbox extends SandboxPort {
  readonly kind: SandboxKind;
  readonly capabilities: SandboxCapabilities;
  readonly fs: SandboxFilesystem;
  readonly exec: SandboxExecution;
  readonly status: BootStatus;
  onStatus(listener: (status: BootStatus) => void): () => void;
  /** Resolves once ready; rejects with the failure reason. Idempotent. */
  boot(): Promise<void>;
  /**
   * Resolves once what the boot set going in the background is done (the WebContainer's
   * toolbox), so `describe()` says what the sandbox finally has.
   */
  settled?(): Promise<void>;
  /** For a sandbox that can move between backends (switchable.ts): hears each move, after it. */
  onSwitch?(listener: (from: Sandbox, to: Sandbox) => void): () => void;
  /** Called by a session before each turn: a move that waits for a turn boundary is made now. */
  beforeTurn?(): Promise<void>;
  /** `serve DIR` (and the like) asked to preview the workspace site in `dir` (absolute). */
  onSiteRequest?(listener: (dir: string) => void): () => void;
  openShell(size: { cols: number; rows: number }): ShellSession;
  /** Servers that started (or stopped) listening. */
  onPreview(listener: (port: PreviewPort) => void): () => void;
  previews(): PreviewPort[];
  /** Errors the previewed pages report, as they come; sandboxes without previews have none. */
  onPreviewError?(listener: (error: PreviewError) => void): () => void;
  /** The workspace without rebuildable folders (node_modules, caches, build output). */
  snapshot(): Promise<Snapshot>;
  /** Replaces the workspace's contents with the snapshot's. */
  restore(snapshot: Snapshot): Promise<void>;
  dispose(): Promise<void>;
}
