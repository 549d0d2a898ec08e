/**
 * Settings in, a model client out: the offline demo when there is nothing to connect to,
 * otherwise the real endpoint (both made in model/factory.ts, which the headless runner uses too).
 */
import { createDemoModel, createEndpointModel, type BuiltModel } from '../model/factory';
import { baseURLError, effectiveBaseURL, rowsToRecord, usesDemo, type ModelSettings } from './settings-rules';

export { DEMO_BASE_URL } from '../model/factory';

export interface CreatedModel extends BuiltModel {
  demo: boolean;
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
  if (usesDemo(settings)) return { ...createDemoModel({ eventDelayMs: options.demoEventDelayMs ?? 12 }), demo: true };
  const problem = baseURLError(settings);
  if (problem) throw new Error(problem);
  const endpoint = createEndpointModel({
    preset: settings.preset,
    baseURL: effectiveBaseURL(settings),
    apiKey: settings.apiKey,
    model: settings.model,
    headers: rowsToRecord(settings.headers),
    query: rowsToRecord(settings.query),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { ...endpoint, demo: false };
}
