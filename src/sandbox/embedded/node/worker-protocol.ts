/** Messages between the page and a `node` worker (worker-runner.ts, worker-serve.ts). */
import type { EngineRequest, EngineResult } from './engine';
import type { FsOp } from './fs-mirror';

export type ToWorker = { type: 'run'; request: EngineRequest };

export type FromWorker = { type: 'out'; fd: 1 | 2; text: string } | { type: 'fs'; op: FsOp } | { type: 'done'; result: EngineResult };
