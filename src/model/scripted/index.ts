/**
 * The scripted model: a fake Responses API that streams real SSE bytes. Browser-safe; the
 * Node HTTP server lives in `./server` and is deliberately not re-exported here.
 */
export type * from './types';
export { reply, addFilePatch, sequence, when, whenLastOutput, runStep } from './build';
export { createScriptContext } from './context';
export { chunkText, sseFrame } from './encode';
export { ScriptedModel, DEFAULT_SCRIPTED_MODEL_ID } from './engine';
export type { ScriptedResponse } from './engine';
export { ScriptedHttpError, errorBody } from './errors';
export { FaultQueue } from './faults';
export { createScriptedFetch } from './fetch';
export { canonicalRequest } from './usage';
export * from './lessons/index';
