/** What the headless runner's tests share: cleanups after each test, temp directories, captured output, arguments. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { RunnerArgs } from '../../cli/args';
import type { RunnerIO } from '../../cli/runner';
import { DEFAULT_SCRIPTED_MODEL_ID } from '../../src/model/scripted/index';

type Cleanup = () => Promise<void> | void;

/**
 * Registers an afterEach in the calling file that runs what `defer` collected during the test,
 * newest first. `tempDir` makes a directory under the system temp dir that is removed the same way.
 */
export function cleanupsForEachTest(prefix = 'unroll-cli-'): { defer: (cleanup: Cleanup) => void; tempDir: () => Promise<string> } {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: Cleanup) => void cleanups.push(cleanup);
  return {
    defer,
    async tempDir() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      defer(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}

export interface CapturedIO extends RunnerIO {
  out: () => string;
  err: () => string;
}

/** Runner IO that keeps what is written to stdout and stderr; `extra` adds `ask`, `signal` and the like. */
export function capture(extra: Partial<RunnerIO> = {}): CapturedIO {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t) => void (out += t) },
    stderr: { write: (t) => void (err += t) },
    out: () => out,
    err: () => err,
    ...extra,
  };
}

/** The arguments of a plain run in `cwd` against the scripted model at `baseURL`, with `overrides` laid over them. */
export function runnerArgs(baseURL: string, cwd: string, overrides: Partial<RunnerArgs> = {}): RunnerArgs {
  return {
    prompt: 'make greet.sh and run it',
    baseURL,
    apiKey: 'k',
    model: DEFAULT_SCRIPTED_MODEL_ID,
    cwd,
    approval: 'never',
    sandbox: 'workspace-write',
    headers: {},
    query: {},
    json: false,
    quiet: false,
    demo: false,
    ...overrides,
  };
}
