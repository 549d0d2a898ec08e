/**
 * The engine's `ModelClient` on top of the official `openai` SDK, for browsers and Node.
 * The SDK never retries (the engine owns retries); this file adds the idle timeout, terminal
 * event checks and error classification.
 */
import OpenAI from 'openai';
import type { ResponseItem } from '../core/items';
import type { CompactResult, ModelClient, ResponsesRequest, StreamEvent, ToolSpec } from '../core/ports';
import { markAnswered, refineNetworkError, type ReachabilityProbe } from './connectivity';
import { isSecretName, scrubErrorText } from '../core/redact';
import { normalizingFetch } from './error-body';
import { classifyError, classifyStreamFailure, ModelError, scrubModelError, type ErrorContext } from './errors';
import { getPreset, isPresetId, presetForBaseURL, type AuthStyle, type PresetId } from './providers';
import { pacedFetch } from './paced-fetch';
import { normalizeUsage } from './usage';

const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** Events after which the server has nothing more to say about the response. */
const TERMINAL_EVENTS: ReadonlySet<string> = new Set(['response.completed', 'response.failed', 'response.incomplete']);

/** The SDK's own telemetry headers; strict CORS servers may reject them in preflight. */
const SDK_HEADERS = [
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
];

export interface ModelClientOptions {
  baseURL: string;
  apiKey?: string;
  /** Defaults to the preset the base URL looks like (see `presetForBaseURL`). */
  preset?: PresetId;
  /** Overrides the preset's way of sending the key. */
  authStyle?: AuthStyle;
  /** Extra headers on every request; they may override the auth header. */
  headers?: Record<string, string>;
  /** Extra query parameters on every request. */
  query?: Record<string, string>;
  fetch?: typeof fetch;
  /**
   * Longest silence, counted in bytes received (SSE keep-alive comments included), while
   * waiting for the response to start or for its next event.
   */
  idleTimeoutMs?: number;
  /** Replaces the `no-cors` reachability probe used to tell CORS blocks from outages. */
  probe?: ReachabilityProbe;
  /** Offer `compact` (POST /responses/compact); defaults to the preset's capability. */
  compact?: boolean;
  /** Leave out the SDK's `x-stainless-*` headers (for servers with a strict CORS header list). */
  omitSdkHeaders?: boolean;
}

export type CompactRequest = { model: string; input: ResponseItem[]; instructions?: string; tools?: ToolSpec[] };

export interface ModelInfo {
  id: string;
  /** The context length the server says it runs the model with, where it says so. */
  contextWindow?: number;
}

export interface ResponsesModelClient extends ModelClient {
  /** GET /models: the model ids the server offers, sorted. */
  listModels(options?: { signal?: AbortSignal }): Promise<string[]>;
  /** GET /models with what each entry says about its context length (see `modelInfo`). */
  listModelInfo(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
}

export function createModelClient(options: ModelClientOptions): ResponsesModelClient {
  const baseURL = options.baseURL.trim().replace(/\/+$/, '');
  const presetId: PresetId = isPresetId(options.preset) ? options.preset : presetForBaseURL(baseURL);
  const preset = getPreset(presetId);
  const authStyle = options.authStyle ?? preset.authStyle;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const context: ErrorContext = { baseURL, preset: presetId };

  const defaultHeaders: Record<string, string | null> = {};
  if (options.omitSdkHeaders) for (const name of SDK_HEADERS) defaultHeaders[name] = null;
  if (authStyle === 'api-key') {
    // Azure reads the key from `api-key`; a stray Bearer header would be taken as an Entra token.
    defaultHeaders.Authorization = null;
    if (options.apiKey) defaultHeaders['api-key'] = options.apiKey;
  }
  Object.assign(defaultHeaders, options.headers);

  const innerFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  /**
   * Any response at all proves the endpoint lets this page through (see `connectivity`); a
   * failed one gets a normalised error body whatever shape the server wrote (error-body.ts).
   */
  const answeringFetch: typeof fetch = normalizingFetch(async (input, init) => {
    const response = await innerFetch(input, init);
    markAnswered(baseURL);
    return response;
  });

  const client = new OpenAI({
    // The SDK insists on a key; keyless local servers ignore the placeholder.
    apiKey: options.apiKey || 'not-needed',
    baseURL,
    organization: null,
    project: null,
    defaultHeaders,
    defaultQuery: options.query,
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    logLevel: 'off',
    // Bodies in small pieces with pauses, so a fast stream never holds the page for long.
    fetch: pacedFetch(answeringFetch),
  });

  // The key and credential-named headers and query parameters: a server may echo them back in
  // an error body, and no error this client throws may carry them on to the UI or storage.
  const secrets = [
    options.apiKey ?? '',
    ...[...Object.entries(options.headers ?? {}), ...Object.entries(options.query ?? {})]
      .filter(([name]) => isSecretName(name))
      .map(([, value]) => value.replace(/^Bearer\s+/i, '')),
  ];
  const scrub = (error: ModelError): ModelError => scrubModelError(error, secrets);

  /** Classifies a failure before the response started, probing for CORS when it was transport. */
  const connectFailure = async (err: unknown, model?: string): Promise<ModelError> => {
    const error = classifyError(err, { ...context, ...(model ? { model } : {}), phase: 'connect' });
    return scrub(await refineNetworkError(error, { baseURL, preset: presetId, ...(options.probe ? { probe: options.probe } : {}) }));
  };

  async function* stream(request: ResponsesRequest, { signal }: { signal: AbortSignal }): AsyncGenerator<StreamEvent> {
    if (signal.aborted) throw abortedError();
    // Our own controller, so the idle timer can cancel the HTTP request as the caller would.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort();
    signal.addEventListener('abort', forwardAbort, { once: true });
    let idleFired = false;
    let iterator: AsyncIterator<unknown> | undefined;
    let drained = false;
    // Armed only while we wait for the server (not while the caller handles an event).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idleFired = true;
        controller.abort();
      }, idleTimeoutMs);
    };
    /** Bytes are liveness: keep-alive comments the parser drops still show the server is there. */
    const onBytes = () => {
      if (timer !== undefined) arm();
    };
    const requestClient = client.withOptions({ fetch: pacedFetch(answeringFetch, { onBytes }) });

    /** Waits for one step of the request, giving up after `idleTimeoutMs` of silence or on abort. */
    const step = async <T>(promise: Promise<T>): Promise<T> => {
      arm();
      try {
        return await raceAbort(promise, controller.signal);
      } finally {
        clearTimeout(timer);
        timer = undefined;
      }
    };
    /** Why the request stopped when we stopped it ourselves, if we did. */
    const ownStop = (): ModelError | undefined => (signal.aborted ? abortedError() : idleFired ? idleTimeoutError(idleTimeoutMs) : undefined);

    try {
      let sdkStream: AsyncIterable<unknown>;
      try {
        const body = { ...request, stream: true } as unknown as OpenAI.Responses.ResponseCreateParamsStreaming;
        sdkStream = await step(requestClient.responses.create(body, { signal: controller.signal, headers: { Accept: 'text/event-stream' } }));
      } catch (err) {
        throw ownStop() ?? (await connectFailure(err, request.model));
      }
      iterator = sdkStream[Symbol.asyncIterator]();
      for (;;) {
        let result: IteratorResult<unknown>;
        try {
          result = await step(iterator.next());
        } catch (err) {
          throw ownStop() ?? scrub(classifyError(err, { ...context, model: request.model, phase: 'stream' }));
        }
        if (result.done) {
          drained = true;
          break;
        }
        const event = result.value;
        if (!isStreamEvent(event)) {
          throw new ModelError({ kind: 'stream', message: 'The server sent a stream event without a type.' });
        }
        // `error` events carry the failure themselves; nothing useful follows them.
        if (event.type === 'error') throw scrub(classifyStreamFailure(event) as ModelError);
        yield event.type === 'response.failed' ? scrubFailedEvent(event, secrets) : event;
        if (TERMINAL_EVENTS.has(event.type)) return;
      }
      // The SDK ends the iteration quietly when its request is aborted.
      throw ownStop() ?? new ModelError({ kind: 'stream', message: 'The stream ended before the response completed.' });
    } finally {
      signal.removeEventListener('abort', forwardAbort);
      if (!drained) {
        controller.abort();
        iterator?.return?.().catch(() => undefined);
      }
    }
  }

  async function compact(request: CompactRequest, { signal }: { signal: AbortSignal }): Promise<CompactResult> {
    let response: { output?: unknown; usage?: unknown };
    try {
      const body = request as unknown as OpenAI.Responses.ResponseCompactParams;
      response = await client.responses.compact(body, { signal });
    } catch (err) {
      throw await connectFailure(err, request.model);
    }
    if (!Array.isArray(response.output)) {
      throw new ModelError({ kind: 'server', message: 'The compact endpoint answered without an output list.' });
    }
    return {
      output: response.output as ResponseItem[],
      ...(response.usage ? { usage: normalizeUsage(response.usage) } : {}),
    };
  }

  async function listModelInfo({ signal }: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
    let body: unknown;
    try {
      body = await client.get('/models', signal ? { signal } : {});
    } catch (err) {
      throw await connectFailure(err);
    }
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) return [];
    const byId = new Map<string, ModelInfo>();
    for (const entry of data) {
      const info = modelInfo(entry);
      if (info && !byId.has(info.id)) byId.set(info.id, info);
    }
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async function listModels(options: { signal?: AbortSignal } = {}): Promise<string[]> {
    return (await listModelInfo(options)).map((info) => info.id);
  }

  const result: ResponsesModelClient = { stream, listModels, listModelInfo };
  if (options.compact ?? preset.capabilities.compact) result.compact = compact;
  return result;
}

/**
 * One `/models` entry: its id and the context length where the server gives one — vLLM's
 * `max_model_len`, OpenRouter's `context_length`, LM Studio's `max_context_length`,
 * llama.cpp's `meta.n_ctx` (or `n_ctx_train`), or a plain `context_window`.
 */
export function modelInfo(entry: unknown): ModelInfo | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  if (typeof e.id !== 'string' || !e.id) return undefined;
  const meta = typeof e.meta === 'object' && e.meta !== null ? (e.meta as Record<string, unknown>) : {};
  const tokens = [e.max_model_len, e.context_length, e.max_context_length, e.context_window, meta.n_ctx, meta.n_ctx_train].find(
    (n): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 256,
  );
  return tokens === undefined ? { id: e.id } : { id: e.id, contextWindow: tokens };
}

function isStreamEvent(value: unknown): value is StreamEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function abortedError(): ModelError {
  return new ModelError({ kind: 'aborted', message: 'The request was cancelled.' });
}

function idleTimeoutError(ms: number): ModelError {
  const span = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
  return new ModelError({
    kind: 'timeout',
    message: `The model sent nothing for ${span}; the request was cancelled and will be retried.`,
  });
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (the promise is then ignored). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A `response.failed` event whose error message is scrubbed of credentials (see
 * `scrubErrorText`): the engine turns that message into the error the person sees and the log
 * keeps. Everything else in the event is kept as sent; the event itself when nothing changed.
 */
function scrubFailedEvent(event: StreamEvent, secrets: readonly string[]): StreamEvent {
  const response = event.response as { error?: { message?: unknown } } | undefined;
  const message = response?.error?.message;
  if (typeof message !== 'string') return event;
  const scrubbed = scrubErrorText(message, secrets);
  if (scrubbed === message) return event;
  return { ...event, response: { ...response, error: { ...response!.error, message: scrubbed } } };
}
