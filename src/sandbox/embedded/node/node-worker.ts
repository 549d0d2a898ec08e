/** The browser's `node` worker (a module Worker): see worker-serve.ts. */
import { serveRuns } from './worker-serve';
import type { ToWorker } from './worker-protocol';

const handle = serveRuns((message) => self.postMessage(message));
self.onmessage = (event: MessageEvent<ToWorker>) => handle(event.data);
