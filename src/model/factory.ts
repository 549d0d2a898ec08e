/**
 * Model clients for the engine, made the same way in the tab (app/model-factory.ts, from the
 * Settings) and in the headless runner (cli/runner.ts, from its options): the offline demo, the
 * scripted model answering through a fetch that never leaves the process, or a real Responses
 * endpoint.
 */
import type { ModelCapabilities } from '../core/config';
import { DEMO_CAPABILITIES, DEMO_MODEL_ID } from './demo';
import { createModelClient, type ModelClientOptions, type ResponsesModelClient } from './client';
import { capabilitiesFor, getPreset, type PresetId } from './providers';
import { createScriptedFetch, demoScript, ScriptedModel } from './scripted/index';

/** Where the demo "lives"; nothing is ever sent there (its fetch answers in the process). */
export const DEMO_BASE_URL = 'https://demo.unroll.invalid/v1';

export interface BuiltModel {
  client: ResponsesModelClient;
  /** The model id to put in requests; '' when none was given and the preset has no default. */
  model: string;
  capabilities: ModelCapabilities;
  /** Short description for people, e.g. "OpenAI · gpt-5.1-codex" or "Offline demo model". */
  label: string;
}

/** The offline demo; `eventDelayMs` paces its SSE events so it streams visibly (default 12 ms). */
export function createDemoModel(options: { eventDelayMs?: number } = {}): BuiltModel {
  const fetch = createScriptedFetch(new ScriptedModel(demoScript), { eventDelayMs: options.eventDelayMs ?? 12 });
  return {
    client: createModelClient({ baseURL: DEMO_BASE_URL, fetch, compact: true }),
    model: DEMO_MODEL_ID,
    capabilities: { ...DEMO_CAPABILITIES },
    label: 'Offline demo model',
  };
}

export interface EndpointOptions {
  preset: PresetId;
  /** The full base URL requests go to (the preset's own when the person gave none). */
  baseURL: string;
  apiKey?: string;
  /** Blank for the preset's default model. */
  model?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Replaces `fetch` (tests, proxies). */
  fetch?: typeof fetch;
}

/** A real Responses endpoint. The client checks nothing here: a bad URL fails its first request. */
export function createEndpointModel(options: EndpointOptions): BuiltModel {
  const preset = getPreset(options.preset);
  const model = options.model?.trim() || preset.defaultModel;
  const clientOptions: ModelClientOptions = { baseURL: options.baseURL, headers: options.headers ?? {}, query: options.query ?? {} };
  // "Custom" says nothing about the server; let the client recognise it from the URL instead.
  if (preset.id !== 'custom') clientOptions.preset = preset.id;
  const apiKey = options.apiKey?.trim();
  if (apiKey) clientOptions.apiKey = apiKey;
  if (options.fetch) clientOptions.fetch = options.fetch;
  return {
    client: createModelClient(clientOptions),
    model,
    capabilities: capabilitiesFor(preset.id, model),
    label: model ? `${preset.label} · ${model}` : preset.label,
  };
}
