import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isModelError } from '../../../src/core/ports';
import { corsMessage, diagnoseReachability, noCorsProbe, refineNetworkError } from '../../../src/model/connectivity';
import { classifyError, classifyStreamFailure, fromFailureCode, ModelError, parseRetryAfter, retryAfterFromMessage } from '../../../src/model/errors';

afterEach(() => {
  vi.unstubAllGlobals();
});

function apiError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error }, undefined, new Headers(headers));
}

describe('ModelError', () => {
  it('is an Error with the port shape and kind-based retry defaults', () => {
    const e = new ModelError({ kind: 'server', message: 'x', status: 500 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ModelError');
    expect(isModelError(e)).toBe(true);
    expect(e.retryable).toBe(true);
    expect(new ModelError({ kind: 'auth', message: 'x' }).retryable).toBe(false);
    expect(new ModelError({ kind: 'server', message: 'x', retryable: false }).retryable).toBe(false);
    expect('retryAfterMs' in new ModelError({ kind: 'stream', message: 'x' })).toBe(false);
  });
});

describe('retry-after parsing', () => {
  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '100', 'retry-after': '9' }))).toBe(100);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('reads "try again in …" from messages', () => {
    expect(retryAfterFromMessage('Please try again in 1.2s. Visit https://x')).toBe(1200);
    expect(retryAfterFromMessage('Please try again in 250ms.')).toBe(250);
    expect(retryAfterFromMessage('Please try again in 7m12s.')).toBe(432_000);
    expect(retryAfterFromMessage('try again in 3 seconds')).toBe(3000);
    expect(retryAfterFromMessage('Rate limit reached.')).toBeUndefined();
    expect(retryAfterFromMessage(undefined)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it('maps SDK status errors', () => {
    expect(classifyError(apiError(401, { message: 'bad key' })).kind).toBe('auth');
    expect(classifyError(apiError(403, { message: 'no' })).kind).toBe('auth');
    const quota = classifyError(apiError(429, { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' }, { 'retry-after': '1' }));
    expect(quota).toMatchObject({ kind: 'quota', retryable: false, code: 'insufficient_quota' });
    const rate = classifyError(apiError(429, { message: 'slow down', code: 'rate_limit_exceeded' }, { 'retry-after': '4' }));
    expect(rate).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 4000, status: 429 });
    expect(classifyError(apiError(400, { message: 'x', code: 'context_length_exceeded' })).kind).toBe('context_overflow');
    const notFound = classifyError(apiError(404, { message: 'nope' }), { baseURL: 'http://h/v1', model: 'm1' });
    expect(notFound.kind).toBe('not_found');
    expect(notFound.message).toContain('http://h/v1');
    expect(notFound.message).toContain('"m1"');
    expect(classifyError(apiError(422, { message: 'bad' }))).toMatchObject({ kind: 'bad_request', retryable: false });
    expect(classifyError(apiError(502, { message: 'bad gateway' }))).toMatchObject({ kind: 'server', retryable: true });
    expect(classifyError(apiError(408, { message: 'slow' }))).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('names the provider in auth messages', () => {
    const e = classifyError(apiError(401, { message: 'Incorrect API key' }), { preset: 'openai' });
    expect(e.message).toMatch(/^OpenAI rejected the API key \(401\): Incorrect API key\. Check the key in Settings\.$/);
  });

  it('maps transport and abort failures', () => {
    expect(classifyError(new APIUserAbortError()).kind).toBe('aborted');
    expect(classifyError(new DOMException('stop', 'AbortError')).kind).toBe('aborted');
    expect(classifyError(new APIConnectionTimeoutError())).toMatchObject({ kind: 'timeout', retryable: true });
    const refused = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) });
    const network = classifyError(refused, { phase: 'connect', baseURL: 'http://localhost:1/v1' });
    expect(network).toMatchObject({ kind: 'network', retryable: true });
    expect(network.message).toMatch(/connection refused/);
    expect(classifyError(new TypeError('terminated'), { phase: 'stream' })).toMatchObject({ kind: 'stream', retryable: true });
    expect(classifyError(new TypeError('Failed to fetch'))).toMatchObject({ kind: 'network' });
    expect(classifyError(new SyntaxError('Unexpected end of JSON'))).toMatchObject({ kind: 'stream', retryable: true });
  });

  it('maps status-less SDK errors by code and keeps ModelErrors as they are', () => {
    const streamed = new APIError(undefined, { code: 'server_error', message: 'oops' }, undefined, undefined);
    expect(classifyError(streamed)).toMatchObject({ kind: 'server', retryable: true, code: 'server_error' });
    const own = new ModelError({ kind: 'cors', message: 'x' });
    expect(classifyError(own)).toBe(own);
    expect(classifyError(new OpenAIError('Missing credentials')).kind).toBe('bad_request');
    expect(classifyError('weird')).toMatchObject({ kind: 'stream' });
  });
});

describe('stream failure events', () => {
  const failed = (code: string, message = 'failed') => ({
    type: 'response.failed',
    response: { id: 'r', status: 'failed', error: { code, message } },
  });

  it('maps response.failed codes', () => {
    expect(classifyStreamFailure(failed('rate_limit_exceeded', 'Please try again in 250ms.'))).toMatchObject({
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 250,
    });
    expect(classifyStreamFailure(failed('insufficient_quota'))).toMatchObject({ kind: 'quota', retryable: false });
    expect(classifyStreamFailure(failed('context_length_exceeded'))).toMatchObject({ kind: 'context_overflow', retryable: false });
    expect(classifyStreamFailure(failed('server_error'))).toMatchObject({ kind: 'server', retryable: true });
    expect(classifyStreamFailure(failed('server_is_overloaded'))).toMatchObject({ kind: 'server', retryable: true });
    expect(classifyStreamFailure(failed('invalid_prompt', 'flagged'))).toMatchObject({
      kind: 'bad_request',
      retryable: false,
      code: 'invalid_prompt',
    });
    expect(classifyStreamFailure({ type: 'response.failed', response: {} })).toMatchObject({ kind: 'server', retryable: false });
  });

  it('maps response.incomplete and error events; ignores everything else', () => {
    const incomplete = classifyStreamFailure({
      type: 'response.incomplete',
      response: { incomplete_details: { reason: 'max_output_tokens' } },
    });
    expect(incomplete).toMatchObject({ kind: 'incomplete', retryable: false, code: 'max_output_tokens' });
    expect(incomplete?.message).toMatch(/output token limit/);
    expect(classifyStreamFailure({ type: 'error', code: 'insufficient_quota', message: 'x' })?.kind).toBe('quota');
    expect(classifyStreamFailure({ type: 'error', error: { code: 'rate_limit_exceeded', message: 'x' } })?.kind).toBe('rate_limit');
    expect(classifyStreamFailure({ type: 'response.completed', response: {} })).toBeUndefined();
    expect(classifyStreamFailure({ type: 'response.output_text.delta', delta: 'x' })).toBeUndefined();
  });

  it('treats a context-length message as overflow even without the code', () => {
    expect(fromFailureCode(undefined, 'prompt is too long: 300000 tokens').kind).toBe('context_overflow');
  });
});

describe('CORS vs network', () => {
  const network = () => new ModelError({ kind: 'network', message: 'Could not reach' });

  it('an answering probe means CORS; a failing or throwing probe means unreachable', async () => {
    const baseURL = 'http://localhost:1234/v1';
    expect(await diagnoseReachability({ baseURL, probe: async () => true })).toBe('cors');
    expect(await diagnoseReachability({ baseURL, probe: async () => false })).toBe('unreachable');
    expect(await diagnoseReachability({ baseURL, probe: async () => Promise.reject(new Error('x')) })).toBe('unreachable');
  });

  it('offline wins without probing', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const probe = vi.fn(async () => true);
    expect(await diagnoseReachability({ baseURL: 'http://x/v1', probe })).toBe('offline');
    expect(probe).not.toHaveBeenCalled();
  });

  it('outside a browser there is no default probe', async () => {
    const spy = vi.fn(async () => new Response(null));
    vi.stubGlobal('fetch', spy);
    expect(await diagnoseReachability({ baseURL: 'http://x/v1' })).toBe('unreachable');
    expect(spy).not.toHaveBeenCalled();
  });

  it('in a browser the default probe is a no-cors fetch of the base URL', async () => {
    vi.stubGlobal('document', {});
    const spy = vi.fn(async (_url: string, _init?: RequestInit) => new Response(null));
    vi.stubGlobal('fetch', spy);
    expect(await diagnoseReachability({ baseURL: 'http://localhost:11434/v1' })).toBe('cors');
    expect(spy.mock.calls[0]?.[0]).toBe('http://localhost:11434/v1');
    expect(spy.mock.calls[0]?.[1]?.mode).toBe('no-cors');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    expect(await noCorsProbe('http://localhost:11434/v1')).toBe(false);
  });

  it('refines network errors with a server-specific fix', async () => {
    const origin = 'https://unroll.example';
    const lm = await refineNetworkError(network(), { baseURL: 'http://localhost:1234/v1', probe: async () => true, origin });
    expect(lm).toMatchObject({ kind: 'cors', retryable: false });
    expect(lm.message).toMatch(/lms server start --cors/);
    expect(lm.message).toContain(origin);
    const ollama = corsMessage({ baseURL: 'http://192.168.1.5:9999/v1', preset: 'ollama', origin });
    expect(ollama).toContain(`OLLAMA_ORIGINS=${origin}`);
    expect(corsMessage({ baseURL: 'http://proxy.local/v1', origin })).toMatch(/Access-Control-Allow-Origin/);
    const offline = await refineNetworkError(network(), { baseURL: 'http://x', probe: async () => false });
    expect(offline.kind).toBe('network');
    const other = new ModelError({ kind: 'auth', message: 'x' });
    expect(await refineNetworkError(other, { baseURL: 'http://x', probe: async () => true })).toBe(other);
  });
});
