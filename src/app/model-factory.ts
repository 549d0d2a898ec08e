/**
 * Settings in, a model client out: the offline demo (the scripted model answering through an
 * in-page fetch) when there is nothing to connect to, otherwise the real endpoint.
 */
import type { ModelCapabilities } from '../core/config';
import { createModelClient, type ModelClientOptions, type ResponsesModelClient } from '../model/client';
import { capabilitiesFor, getPreset } from '../model/providers';
import { createScriptedFetch, demoScript, ScriptedModel } from '../model/scripted/index';
import { baseURLError, DEMO_CAPABILITIES, DEMO_MODEL_ID, effectiveBaseURL, rowsToRecord, usesDemo, type ModelSettings } from './settings-rules';

/** Where the demo "lives"; nothing is ever sent there (the fetch answers in the page). */
export const DEMO_BASE_URL = 'https://demo.unroll.invalid/v1';

export interface CreatedModel {
  client: ResponsesModelClient;
  /** The model id to put in requests. */
  model: string;
  capabilities: ModelCapabilities;
  demo: boolean;
  /** Short description for the UI, e.g. "OpenAI · gpt-5.1-codex" or "Offline demo model". */
  label: string;
}

export interface CreateModelOptions {
  /** Pause between the demo's SSE events, so it streams visibly. Default 12 ms. */
  demoEventDelayMs?: number;
  /** Replaces `fetch` for real endpoints (tests, proxies). */
  fetch?: typeof fetch;
}

/**
 * Builds the client for `settings`. Throws an Error with the user-facing reason when the base
 * URL cannot be used; check `Settings.valid` (or catch) before calling.
 */
export function createModel(settings: ModelSettings, options: CreateModelOptions = {}): CreatedModel {
  if (usesDemo(settings)) {
    const fetch = createScriptedFetch(new ScriptedModel(demoScript), { eventDelayMs: options.demoEventDelayMs ?? 12 });
    return {
      client: createModelClient({ baseURL: DEMO_BASE_URL, fetch, compact: true }),
      model: DEMO_MODEL_ID,
      capabilities: { ...DEMO_CAPABILITIES },
      demo: true,
      label: 'Offline demo model',
    };
  }
  const problem = baseURLError(settings);
  if (problem) throw new Error(problem);
  const preset = getPreset(settings.preset);
  const model = settings.model.trim() || preset.defaultModel;
  const clientOptions: ModelClientOptions = {
    baseURL: effectiveBaseURL(settings),
    headers: rowsToRecord(settings.headers),
    query: rowsToRecord(settings.query),
  };
  // "Custom" says nothing about the server; let the client recognise it from the URL instead.
  if (preset.id !== 'custom') clientOptions.preset = preset.id;
  if (settings.apiKey.trim()) clientOptions.apiKey = settings.apiKey.trim();
  if (options.fetch) clientOptions.fetch = options.fetch;
  return {
    client: createModelClient(clientOptions),
    model,
    capabilities: capabilitiesFor(preset.id, model),
    demo: false,
    label: model ? `${preset.label} · ${model}` : preset.label,
  };
}
