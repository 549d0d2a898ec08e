/**
 * Runs `node` in a Worker, so a script that computes never blocks the page, and an abort (Ctrl-C,
 * *Stop*, a command's timeout) terminates it at once.
 *
 * One idle worker is kept with its engine loaded, so the next run starts warm; a worker that was
 * terminated is replaced on the next run. Runs at once each get their own worker.
 * If a worker cannot start (a browser without module workers, a policy that blocks them) before
 * it answered anything, the run falls back to `fallback` — QuickJS on this thread — so node
 * still works, only without being interruptible: that run gets a computing limit.
 */
import type { EngineRequest, EngineResult } from './engine';
import type { NodeRunner, RunnerIo } from './runner';
import type { FromWorker, ToWorker } from './worker-protocol';

/** The part of a Worker this uses: the DOM's Worker, or an adapter over worker_threads. */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message?: string; preventDefault?: () => void }) => void) | null;
}

/** The computing limit of a run that fell back to this thread. */
export const FALLBACK_CPU_LIMIT_MS = 10_000;

export function workerRunner(spawn: () => WorkerLike, inline?: NodeRunner): NodeRunner {
  let idle: WorkerLike | undefined;
  const fallback = inline && {
    run: (request: EngineRequest, io: RunnerIo, signal?: AbortSignal) =>
      inline.run({ ...request, cpuLimitMs: request.cpuLimitMs ?? FALLBACK_CPU_LIMIT_MS }, io, signal),
  };

  const run = (request: EngineRequest, io: RunnerIo, signal?: AbortSignal): Promise<EngineResult> => {
    if (signal?.aborted) return Promise.resolve({ stop: 'abort' });
    let worker: WorkerLike;
    try {
      worker = idle ?? spawn();
    } catch (err) {
      return fallback ? fallback.run(request, io, signal) : Promise.resolve(cannotStart(err));
    }
    idle = undefined;
    let answered = false;
    return new Promise<EngineResult>((resolve) => {
      const settle = (result: EngineResult, keep: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        worker.onmessage = null;
        worker.onerror = null;
        if (keep && !idle) idle = worker;
        else worker.terminate();
        resolve(result);
      };
      const onAbort = () => settle({ stop: 'abort' }, false);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.onmessage = ({ data }) => {
        answered = true;
        if (data.type === 'out') io.write(data.fd, data.text);
        else if (data.type === 'fs') io.fsOp(data.op);
        else if (data.type === 'done') settle(data.result, true);
      };
      worker.onerror = (event) => {
        event.preventDefault?.();
        if (!answered && fallback) {
          signal?.removeEventListener('abort', onAbort);
          worker.onmessage = null;
          worker.onerror = null;
          worker.terminate();
          resolve(fallback.run(request, io, signal));
          return;
        }
        settle({ exitCode: 1, internal: `the worker failed: ${event.message ?? 'unknown error'}` }, false);
      };
      worker.postMessage({ type: 'run', request });
    });
  };
  return { interruptible: true, run };
}

function cannotStart(err: unknown): EngineResult {
  return { exitCode: 1, internal: `could not start a worker: ${err instanceof Error ? err.message : String(err)}` };
}
