/**
 * Turns everything that can go wrong talking to a Responses server into a `ModelError` with a
 * kind, the retry rule's decision (core/retry.ts) and a short message that says what to do.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import type { ModelErrorKind, ModelErrorShape, StreamEvent, UnsupportedFeature } from '../core/ports';
import { mentionsContextLength } from '../core/failures';
import { scrubErrorText } from '../core/redact';
import { isRetryable } from '../core/retry';
import { getPreset, presetForBaseURL, type PresetId } from './providers';
import { parseRetryAfter, retryAfterFromMessage } from './retry-after';

export { parseRetryAfter, retryAfterFromMessage } from './retry-after';

export interface ModelErrorInit {
  kind: ModelErrorKind;
  message: string;
  status?: number;
  code?: string;
  /** Defaults to the retry rule's answer (`isRetryable`); given only to carry one over. */
  retryable?: boolean;
  retryAfterMs?: number;
  body?: string;
  unsupported?: UnsupportedFeature;
  cause?: unknown;
}

export class ModelError extends Error implements ModelErrorShape {
  override readonly name = 'ModelError' as const;
  readonly kind: ModelErrorKind;
  // Optional fields are `declare`d so they are absent (not `undefined`) when not set.
  declare readonly status?: number;
  declare readonly code?: string;
  readonly retryable: boolean;
  declare readonly retryAfterMs?: number;
  declare readonly body?: string;
  declare readonly unsupported?: UnsupportedFeature;

  constructor(init: ModelErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.retryable = init.retryable ?? isRetryable(init);
    const optional: { status?: number; code?: string; retryAfterMs?: number; body?: string; unsupported?: UnsupportedFeature } = {};
    if (init.status !== undefined) optional.status = init.status;
    if (init.code !== undefined) optional.code = init.code;
    if (init.retryAfterMs !== undefined) optional.retryAfterMs = init.retryAfterMs;
    if (init.body !== undefined) optional.body = init.body;
    if (init.unsupported !== undefined) optional.unsupported = init.unsupported;
    Object.assign(this, optional);
  }
}

/**
 * `error` with credentials taken out of its message (`secrets`, and anything shaped like a key:
 * see `scrubErrorText`), since servers echo the key they rejected in their error bodies; the
 * same object when there was nothing to take out.
 */
export function scrubModelError(error: ModelError, secrets: readonly string[]): ModelError {
  const message = scrubErrorText(error.message, secrets);
  const body = error.body === undefined ? undefined : scrubErrorText(error.body, secrets);
  if (message === error.message && body === error.body) return error;
  return new ModelError({
    kind: error.kind,
    message,
    retryable: error.retryable,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(error.unsupported !== undefined ? { unsupported: error.unsupported } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  });
}

/** What the classifier knows about the request, for specific messages. */
export interface ErrorContext {
  baseURL?: string;
  model?: string;
  preset?: PresetId;
  /**
   * `connect`: before the response started (transport failures mean the server is unreachable
   * or blocked). `stream`: while reading the body (transport failures mean the stream broke).
   */
  phase?: 'connect' | 'stream';
}

/** Maps a thrown value to a `ModelError`. Transport failures become `network` (see `diagnose`). */
export function classifyError(err: unknown, context: ErrorContext = {}): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof APIUserAbortError || isAbortError(err)) {
    return new ModelError({ kind: 'aborted', message: 'The request was cancelled.', cause: err });
  }
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError({
      kind: 'timeout',
      message: `${where(context)} did not answer in time. It may be overloaded; retrying.`,
      cause: err,
    });
  }
  const streaming = context.phase === 'stream';
  if (err instanceof APIConnectionError || err instanceof TypeError) {
    if (streaming) {
      return new ModelError({
        kind: 'stream',
        message: 'The connection dropped while the response was streaming.',
        cause: err,
      });
    }
    const reason = transportReason(err);
    return new ModelError({
      kind: 'network',
      message: `Could not reach ${where(context)}${reason ? ` (${reason})` : ''}. Check the base URL and that the server is running.`,
      cause: err,
    });
  }
  if (err instanceof SyntaxError) {
    return new ModelError({
      kind: 'stream',
      message: 'The server sent malformed stream data (not valid JSON).',
      cause: err,
    });
  }
  if (err instanceof APIError) {
    if (typeof err.status === 'number') return fromStatus(err, context);
    // An SSE event carrying an `error` object: the SDK throws it without a status.
    const body = asRecord(err.error);
    return fromFailureCode(stringOr(err.code ?? body.code), stringOr(body.message) ?? err.message, err);
  }
  if (err instanceof OpenAIError) {
    return new ModelError({ kind: 'bad_request', message: `Client configuration error: ${err.message}`, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError({ kind: 'stream', message: `Unexpected model client failure: ${message}`, cause: err });
}

function fromStatus(err: APIError, context: ErrorContext): ModelError {
  const status = err.status as number;
  const body = asRecord(err.error);
  // Bodies come normalised (error-body.ts) with the server's own text as `raw_body`.
  const raw = typeof body.raw_body === 'string' ? body.raw_body : undefined;
  const code = stringOr(err.code ?? body.code) ?? stringOr(err.type ?? body.type);
  const detail = readableDetail(raw !== undefined ? stringOr(body.message) : (stringOr(body.message) ?? stripStatus(err.message)));
  const base = { status, cause: err, ...(code ? { code } : {}), ...(raw ? { body: raw } : {}) };
  const unsupported = status === 400 || status === 422 ? refusedFeature(detail) : undefined;
  if (unsupported) {
    return new ModelError({
      ...base,
      kind: 'bad_request',
      unsupported,
      message: `The server rejected the request (${status})${suffix(detail)}.`,
    });
  }
  if (code === 'invalid_prompt') return new ModelError({ ...base, kind: 'bad_request', message: refusedPromptMessage(detail) });
  if (status === 401 || status === 403) {
    return new ModelError({
      ...base,
      kind: 'auth',
      message: `${providerLabel(context)} rejected the API key (${status})${suffix(detail)}. Check the key in Settings.`,
    });
  }
  if (status === 429) {
    if (code === 'insufficient_quota' || err.type === 'insufficient_quota') {
      return new ModelError({ ...base, kind: 'quota', message: quotaMessage(context) });
    }
    const retryAfterMs = parseRetryAfter(err.headers) ?? retryAfterFromMessage(detail);
    return new ModelError({
      ...base,
      kind: 'rate_limit',
      message: `Rate limit reached (429)${retryAfterMs !== undefined ? `; the server asks to wait ${seconds(retryAfterMs)}` : ''}.`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (code === 'context_length_exceeded' || (status === 400 && mentionsContextLength(detail))) {
    return new ModelError({ ...base, kind: 'context_overflow', message: contextMessage() });
  }
  if (status === 404 && context.phase === 'connect' && context.model !== undefined && !/model/i.test(detail ?? '')) {
    return new ModelError({ ...base, kind: 'not_found', message: missingEndpointMessage(context, detail) });
  }
  if (status === 404) {
    const model = context.model ? `the model "${context.model}"` : 'the model';
    return new ModelError({
      ...base,
      kind: 'not_found',
      message: `Not found (404) at ${where(context)}: check the base URL and that ${model} exists there.${suffixSentence(detail)}`,
    });
  }
  if (status === 408) {
    return new ModelError({ ...base, kind: 'timeout', message: 'The server timed out handling the request (408).' });
  }
  if (status >= 500 || status === 409) {
    const retryAfterMs = parseRetryAfter(err.headers);
    return new ModelError({
      ...base,
      kind: 'server',
      message: `The server failed (${status})${suffix(detail)}.`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return new ModelError({ ...base, kind: 'bad_request', message: `The server rejected the request (${status})${suffix(detail)}.` });
}

/**
 * Which request feature a 400 refuses, from the server's words: llama.cpp's "'type' of tool must
 * be 'function'" and its kin for custom tools; an unknown `include` / `reasoning` parameter or a
 * reasoning input item for reasoning.
 */
export function refusedFeature(detail: string | undefined): UnsupportedFeature | undefined {
  if (!detail) return undefined;
  if (
    /type'? of tool must be '?function|only function tools|custom tools? (is |are )?not supported|unsupported tool type|tool type '?custom'? (is )?(not supported|invalid)|invalid tool type/i.test(
      detail,
    )
  ) {
    return 'custom_tools';
  }
  if (/\bweb_search\b/i.test(detail) && /(unsupported|not supported|unknown|unrecognized|invalid|not allowed|not available)/i.test(detail))
    return 'web_search';
  if (
    /(unsupported|unknown|unrecognized|invalid|not supported)\b[^.]{0,40}\b(include|reasoning)\b|\b(include|reasoning)\b[^.]{0,40}\b(is |are )?(not supported|unsupported|not allowed|unknown)/i.test(
      detail,
    )
  ) {
    return 'reasoning';
  }
  return undefined;
}

/** Maps an error `code` from a stream event (or a status-less error) to a `ModelError`. */
export function fromFailureCode(code: string | undefined, message: string | undefined, cause?: unknown): ModelError {
  const detail = message?.trim() || undefined;
  const base = { cause, ...(code ? { code } : {}) };
  if (code === 'rate_limit_exceeded') {
    const retryAfterMs = retryAfterFromMessage(detail);
    return new ModelError({
      ...base,
      kind: 'rate_limit',
      message: `Rate limit reached${retryAfterMs !== undefined ? `; the server asks to wait ${seconds(retryAfterMs)}` : ''}.`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (code === 'insufficient_quota') return new ModelError({ ...base, kind: 'quota', message: quotaMessage({}) });
  if (code === 'invalid_prompt') return new ModelError({ ...base, kind: 'bad_request', message: refusedPromptMessage(detail) });
  if (code === 'context_length_exceeded' || mentionsContextLength(detail)) {
    return new ModelError({ ...base, kind: 'context_overflow', message: contextMessage() });
  }
  const transient = isRetryable({ kind: 'server', code });
  return new ModelError({
    ...base,
    kind: 'server',
    message: `The model failed${code ? ` (${code})` : ''}${suffix(detail)}.${transient ? '' : ' Retrying will not help.'}`,
  });
}

/**
 * The failure a terminal stream event stands for: `response.failed`, `response.incomplete`
 * or `error`. Returns undefined for any other event (including `response.completed`).
 */
export function classifyStreamFailure(event: StreamEvent): ModelError | undefined {
  if (event.type === 'response.failed') {
    const error = asRecord(asRecord(event.response).error);
    return fromFailureCode(stringOr(error.code), stringOr(error.message));
  }
  if (event.type === 'response.incomplete') {
    const reason = stringOr(asRecord(asRecord(event.response).incomplete_details).reason);
    return new ModelError({ kind: 'incomplete', message: incompleteMessage(reason), ...(reason ? { code: reason } : {}) });
  }
  if (event.type === 'error') {
    const nested = asRecord(event.error);
    return fromFailureCode(stringOr(event.code ?? nested.code), stringOr(event.message ?? nested.message));
  }
  return undefined;
}

function incompleteMessage(reason: string | undefined): string {
  if (reason === 'max_output_tokens') return 'The response hit the output token limit and stopped early.';
  if (reason === 'content_filter') return 'The response was stopped by the content filter.';
  return `The response stopped early${reason ? ` (${reason})` : ''}.`;
}

function refusedPromptMessage(detail: string | undefined): string {
  return `The provider refused the prompt under its usage policy (invalid_prompt)${suffix(detail)}. Rephrase your last message or leave out the content that triggered it (a pasted file or a tool output can too), then send again; retrying as is will not help.`;
}

/** A 404 that is not about the model: the server has no Responses endpoint (or the base URL is wrong). */
function missingEndpointMessage(context: ErrorContext, detail: string | undefined): string {
  const said = suffixSentence(detail);
  const preset = context.preset ?? (context.baseURL ? presetForBaseURL(context.baseURL) : 'custom');
  switch (preset) {
    case 'ollama':
      return `This Ollama has no /v1/responses (404): Ollama serves it from version 0.13.3; update Ollama.${said}`;
    case 'lmstudio':
      return `This LM Studio has no /v1/responses (404): it is served from version 0.3.29; update LM Studio.${said}`;
    case 'llamacpp':
      return `This llama-server has no /v1/responses (404): only recent llama.cpp builds serve it; update llama.cpp.${said}`;
    default:
      return `${where(context)} has no /responses endpoint (404). Check that the base URL ends where the API starts (usually …/v1) and that the server speaks the Responses API, not only Chat Completions.${said}`;
  }
}

function quotaMessage(context: ErrorContext): string {
  return `${providerLabel(context)} reports no remaining quota (insufficient_quota). Add credit or check your plan and billing, then try again.`;
}

function contextMessage(): string {
  return "The conversation no longer fits the model's context window. Compact it (/compact) or start a new chat.";
}

function providerLabel(context: ErrorContext): string {
  const id = context.preset ?? (context.baseURL ? presetForBaseURL(context.baseURL) : 'custom');
  return id === 'custom' ? 'The server' : getPreset(id).label;
}

function where(context: ErrorContext): string {
  return context.baseURL || 'the model server';
}

/** The innermost transport error code (Node: ECONNREFUSED, ENOTFOUND, …) in words. */
function transportReason(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = asRecord(current).code;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    if (code === 'ECONNRESET') return 'connection reset';
    if (typeof code === 'string' && code.startsWith('E')) return code;
    current = asRecord(current).cause;
  }
  return undefined;
}

function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/**
 * Error bodies in words: an HTML page (a proxy's 502) becomes its `<title>`, else its first
 * text, so no card shows markup. Other text passes through.
 */
export function readableDetail(detail: string | undefined): string | undefined {
  if (!detail || !/<\/?[a-z][^>]*>/i.test(detail)) return detail;
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(detail)?.[1];
  const text = (title && collapse(title)) || collapse(detail.replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' '));
  return text ? truncate(decodeEntities(text), 120) : undefined;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return named[name.toLowerCase()] ?? whole;
  });
}

function stripStatus(message: string): string | undefined {
  const text = message.replace(/^\d{3}\s*/, '').trim();
  return text && !/status code \(no body\)/.test(text) ? text : undefined;
}

function suffix(detail: string | undefined): string {
  return detail ? `: ${truncate(detail.replace(/\.$/, ''))}` : '';
}

function suffixSentence(detail: string | undefined): string {
  return detail ? ` Server said: ${truncate(detail)}` : '';
}

function truncate(text: string, max = 240): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
