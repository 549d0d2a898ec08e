/**
 * Where a `node` run executes. A runner takes a request (plain data), streams the script's
 * output and filesystem changes to `io`, and answers how the run ended.
 *
 * - `inlineRunner`: QuickJS on this thread (Node: the CLI and the tests). A spinning script
 *   blocks the thread until the engine's interrupt check sees the abort or the computing limit,
 *   so the caller gives it one.
 * - `workerRunner` (worker-runner.ts): QuickJS in a Worker; the page never blocks, and an abort
 *   terminates the worker at once.
 * Contract: `run` never rejects.
 */
import type { EngineIo, EngineRequest, EngineResult } from './engine';

export type RunnerIo = Pick<EngineIo, 'write' | 'fsOp'>;

export interface NodeRunner {
  /** True when an abort stops even a script that never yields (so no computing limit is needed). */
  readonly interruptible: boolean;
  run(request: EngineRequest, io: RunnerIo, signal?: AbortSignal): Promise<EngineResult>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function inlineRunner(): NodeRunner {
  return {
    interruptible: false,
    async run(request, io, signal) {
      const { runEngine } = await import('./engine');
      return runEngine(request, { ...io, aborted: () => signal?.aborted === true, sleep });
    },
  };
}
