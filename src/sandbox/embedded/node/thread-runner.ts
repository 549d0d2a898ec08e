/**
 * Node only: `node` runs in a worker_threads Worker (node-thread.ts) through the same protocol
 * as the browser's Worker, so the CLI's commands are interruptible too and the tests exercise
 * the worker path for real. The thread loads TypeScript through tsx (as the CLI itself runs).
 * An idle thread is unref'd, so it never keeps the process alive.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { inlineRunner, type NodeRunner } from './runner';
import type { FromWorker, ToWorker } from './worker-protocol';
import { workerRunner, type WorkerLike } from './worker-runner';

const ENTRY = new URL('./node-thread.ts', import.meta.url).href;

/**
 * A thread's bootstrap: registers tsx's ESM hooks in the thread (Node 20 does not take
 * `--import` in a Worker's execArgv), then loads the entry.
 */
function bootstrap(): string {
  const tsx = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsx, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY)}); });`;
}

function spawnThread(): WorkerLike {
  const thread = new Worker(bootstrap(), { eval: true });
  const like: WorkerLike = {
    onmessage: null,
    onerror: null,
    postMessage(message: ToWorker) {
      thread.ref();
      thread.postMessage(message);
    },
    terminate() {
      void thread.terminate();
    },
  };
  thread.on('message', (data: FromWorker) => {
    if (data.type === 'done') thread.unref();
    like.onmessage?.({ data });
  });
  thread.on('error', (err) => like.onerror?.({ message: err.message }));
  thread.unref();
  return like;
}

function threadRunner(): NodeRunner {
  return workerRunner(spawnThread, inlineRunner());
}

let shared: NodeRunner | undefined;

/** One runner (so one warm idle thread) for the whole process. */
export function sharedThreadRunner(): NodeRunner {
  return (shared ??= threadRunner());
}
