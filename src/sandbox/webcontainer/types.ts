/**
 * The slice of `@webcontainer/api` the WebContainer backend uses. The real `WebContainer`
 * class satisfies it (checked where the default boot is defined); tests pass an explicit
 * in-memory object instead. Only the non-overloaded forms we call are listed, so a fake
 * needs no overload gymnastics.
 *
 * Facts relied on (from the package's own .d.ts and dist/index.js, v1.6.4):
 * - fs paths are resolved against the workdir; we always pass workdir-relative paths ('.'
 *   for the root), which are unambiguous whatever the runtime does with absolute ones.
 * - `spawn` resolves once the process started; `output` merges stdout and stderr of the
 *   process and its descendants as they reach the pseudo-terminal and closes when it ends.
 * - `input` writes to that pseudo-terminal; closing it does not send EOF.
 */
import type { FileSystemTree, PreviewMessage } from '@webcontainer/api';

export type { FileSystemTree, PreviewMessage };

export interface WcDirEnt {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
}

export type WcWatchListener = (event: 'rename' | 'change', filename: string | Uint8Array) => void;

export interface WcFs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  readdir(path: string, options: { withFileTypes: true }): Promise<WcDirEnt[]>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  watch(path: string, options: { recursive: boolean }, listener: WcWatchListener): { close(): void };
}

export interface WcSpawnOptions {
  /** Relative to the workdir. */
  cwd?: string;
  /** Replaces the default environment (so we always pass PATH along). */
  env?: Record<string, string>;
  output?: boolean;
  terminal?: { cols: number; rows: number };
}

export interface WcProcess {
  exit: Promise<number>;
  input: WritableStream<string>;
  output: ReadableStream<string>;
  kill(): void;
  resize(size: { cols: number; rows: number }): void;
}

export type WcPortListener = (port: number, type: 'open' | 'close', url: string) => void;
export type WcServerReadyListener = (port: number, url: string) => void;
export type WcErrorListener = (error: { message: string }) => void;
/** Only messages the library recognises as preview messages reach it (`isPreviewMessage`). */
export type WcPreviewMessageListener = (message: PreviewMessage) => void;

export interface WcInstance {
  readonly fs: WcFs;
  readonly workdir: string;
  /** The default PATH of spawned processes. */
  readonly path: string;
  spawn(command: string, args: string[], options?: WcSpawnOptions): Promise<WcProcess>;
  export(path: string, options: { format: 'json'; excludes?: string[] }): Promise<FileSystemTree>;
  mount(tree: FileSystemTree): Promise<void>;
  on(event: 'port', listener: WcPortListener): () => void;
  on(event: 'server-ready', listener: WcServerReadyListener): () => void;
  on(event: 'error', listener: WcErrorListener): () => void;
  /** Needs the boot option `forwardPreviewErrors`. */
  on(event: 'preview-message', listener: WcPreviewMessageListener): () => void;
  teardown(): void;
}

export interface WcBootOptions {
  /** The policy of the runtime's frames and previews; fixed by the page's first boot. */
  coep: 'require-corp' | 'credentialless';
  workdirName: string;
  /** Previews report uncaught errors (and, with `true`, console.error calls) as `preview-message`. */
  forwardPreviewErrors?: boolean | 'exceptions-only';
}

/**
 * What the StackBlitz frame that runs the WebContainer says while it boots, as the library
 * receives it (window `message` events from the frame's origin): `alive` for its first
 * message of any kind (`init` or `warning`: the frame loaded and answers), `warning` for each
 * warning it sends (shown to the person as the reason for a slow or failed start).
 */
export type WcBootSignal = { type: 'alive' } | { type: 'warning'; message: string };

/** Boots the runtime, reporting progress text along the way, and the frame's signals where it can see them. */
export type WcBoot = (options: WcBootOptions, progress: (text: string) => void, signal?: (signal: WcBootSignal) => void) => Promise<WcInstance>;
