/**
 * The browser's `node` runner: a module Worker (node-worker.ts, bundled by Vite as its own
 * chunk), shared by every embedded sandbox of the page. Undefined where there is no Worker
 * (Node), so the caller runs node on its own thread.
 */
import { inlineRunner, type NodeRunner } from './runner';
import { workerRunner, type WorkerLike } from './worker-runner';

let shared: NodeRunner | undefined;

export function browserNodeRunner(): NodeRunner | undefined {
  if (typeof Worker !== 'function') return undefined;
  shared ??= workerRunner(
    () => new Worker(new URL('./node-worker.ts', import.meta.url), { type: 'module', name: 'node' }) as unknown as WorkerLike,
    inlineRunner(),
  );
  return shared;
}
