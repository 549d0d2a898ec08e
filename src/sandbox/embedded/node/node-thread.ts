/** Node's `node` worker (a worker_threads Worker, for the CLI and the tests): see worker-serve.ts. */
import { parentPort } from 'node:worker_threads';
import { serveRuns } from './worker-serve';
import type { ToWorker } from './worker-protocol';

if (!parentPort) throw new Error('node-thread.ts runs as a worker thread');
const port = parentPort;
const handle = serveRuns((message) => port.postMessage(message));
port.on('message', (message: ToWorker) => handle(message));
