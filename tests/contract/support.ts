/**
 * Helpers for contract cases: waiting with a deadline (never a fixed sleep as the assertion),
 * recording change events, collecting process output. No framework, no Node APIs.
 */
import type { SandboxProcess } from '../../src/core/ports';
import type { FsChange, Sandbox } from '../../src/sandbox/sandbox';
import { CheckError, show } from './check';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function rootOf(sb: Sandbox): string {
  return sb.describe().root;
}

/** The absolute path of `relative` in the workspace. */
export function inRoot(sb: Sandbox, relative: string): string {
  const root = rootOf(sb);
  return relative === '' ? root : `${root === '/' ? '' : root}/${relative}`;
}

/** Polls `probe` every 20 ms until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new CheckError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** The promise's value, or 'pending' if it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ChangeRecorder {
  readonly changes: FsChange[];
  /** Waits for a change of `kind` at the workspace-relative `path` (and type, when given). */
  expect(kind: FsChange['kind'], path: string, isDirectory?: boolean): Promise<FsChange>;
  stop(): void;
}

export function recordChanges(sb: Sandbox): ChangeRecorder {
  const changes: FsChange[] = [];
  const stop = sb.fs.watch((change) => changes.push(change));
  return {
    changes,
    stop,
    expect: (kind, path, isDirectory) => {
      const full = inRoot(sb, path);
      return waitFor(
        () => changes.find((c) => c.kind === kind && c.path === full && (isDirectory === undefined || c.isDirectory === isDirectory)),
        `a "${kind}" event for ${full}${isDirectory === undefined ? '' : isDirectory ? ' (directory)' : ' (file)'}; saw ${show(changes)}`,
      );
    },
  };
}

export interface Collected {
  process: SandboxProcess;
  output(): string;
}

export function collect(process: SandboxProcess): Collected {
  const chunks: string[] = [];
  process.onOutput((chunk) => chunks.push(chunk));
  return { process, output: () => chunks.join('') };
}

/** Removes everything in the workspace (the runner's guarantee of an empty one per case). */
export async function emptyWorkspace(sb: Sandbox): Promise<void> {
  for (const name of await sb.fs.readdir(rootOf(sb))) await sb.fs.rm(inRoot(sb, name));
}
