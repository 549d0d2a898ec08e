/** The two transports of the scripted model, set up the same way for the SDK tests. */
import OpenAI from 'openai';
import type { ResponsesRequest, StreamEvent } from '../../src/core/ports';
import { createScriptedFetch, FaultQueue, ScriptedModel, type Script } from '../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../src/model/scripted/server';

export interface Face {
  client: OpenAI;
  model: ScriptedModel;
  faults: FaultQueue;
  /** A raw `fetch` reaching the same face (the global one for the server). */
  rawFetch: (path: string, init?: RequestInit) => Promise<Response>;
  server?: ScriptedServer;
  close(): Promise<void>;
}

export interface FaceOptions {
  requireKey?: string;
  eventDelayMs?: number;
  apiKey?: string;
}

export type FaceName = 'http server' | 'scripted fetch';
export const FACES: FaceName[] = ['http server', 'scripted fetch'];

export async function openFace(name: FaceName, script: Script, options: FaceOptions = {}): Promise<Face> {
  const model = new ScriptedModel(script);
  const apiKey = options.apiKey ?? 'test';
  const key = options.requireKey === undefined ? {} : { requireKey: options.requireKey };
  if (name === 'http server') {
    const server = await startScriptedServer({ model, eventDelayMs: options.eventDelayMs ?? 0, ...key });
    return {
      client: new OpenAI({ apiKey, baseURL: server.url, maxRetries: 0, logLevel: 'off' }),
      model,
      faults: server.faults,
      rawFetch: (path, init) => fetch(`${server.url}${path}`, init),
      server,
      close: () => server.close(),
    };
  }
  const faults = new FaultQueue();
  const scripted = createScriptedFetch(model, { faults, eventDelayMs: options.eventDelayMs ?? 0, ...key });
  const baseURL = 'https://scripted.invalid/v1';
  return {
    client: new OpenAI({ apiKey, baseURL, maxRetries: 0, logLevel: 'off', fetch: scripted }),
    model,
    faults,
    rawFetch: (path, init) => scripted(`${baseURL}${path}`, init),
    close: async () => undefined,
  };
}

/** Streams one request through the SDK and collects its events. */
export async function streamAll(face: Face, body: ResponsesRequest, signal?: AbortSignal): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  const stream = await face.client.responses.create(body as unknown as OpenAI.Responses.ResponseCreateParamsStreaming, signal ? { signal } : {});
  for await (const event of stream) events.push(event as unknown as StreamEvent);
  return events;
}

/** Like `streamAll`, but reports how the iteration ended instead of throwing. */
export async function streamSettled(face: Face, body: ResponsesRequest): Promise<{ events: StreamEvent[]; error: unknown }> {
  const events: StreamEvent[] = [];
  try {
    const stream = await face.client.responses.create(body as unknown as OpenAI.Responses.ResponseCreateParamsStreaming);
    for await (const event of stream) events.push(event as unknown as StreamEvent);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}
