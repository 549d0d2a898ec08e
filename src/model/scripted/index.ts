/**
 * The scripted model: a fake Responses API that streams real SSE bytes. Browser-safe; the
 * Node HTTP server lives in `./server` and is deliberately not re-exported here.
 */
export type * from './types';
export { reply, addFilePatch, sequence, when, whenLastOutput, firstOf, constant, runStep, toReply } from './build';
export type { ExecOptions, SequenceOptions } from './build';
export { createScriptContext, isContextMessage, isRealUserMessage } from './context';
export { encodeReply, chunkText, sseFrame, base64Utf8 } from './encode';
export type { EncodeOptions } from './encode';
export { ScriptedModel, DEFAULT_SCRIPTED_MODEL_ID } from './engine';
export type { ScriptedModelOptions, ScriptedResponse, CompactResponse, ModelList } from './engine';
export { ScriptedHttpError, errorBody, defaultErrorBody } from './errors';
export type { OpenAIErrorBody } from './errors';
export { FaultQueue } from './faults';
export type { Fault, FaultKind, FaultRoute, StatusFault, CutFault, MalformedFault, StallFault, FailFault } from './faults';
export { createScriptedFetch } from './fetch';
export type { ScriptedFetch, ScriptedFetchOptions } from './fetch';
export { handleRequest } from './routes';
export type { RouteOptions, IncomingRequest, Outcome } from './routes';
export { canonicalRequest, commonPrefixLength, PrefixCache } from './usage';
export type { WireUsage } from './usage';
export * from './lessons/index';
