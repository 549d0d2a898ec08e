import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { errorAdvice, offersRetry } from '../../../src/app/error-advice';
import { errorInfo } from '../../../src/core/sampling';
import { failureError } from '../../../src/core/stream';
import { createModelClient } from '../../../src/model/client';
import { classifyError, classifyStreamFailure, readableDetail } from '../../../src/model/errors';
import { created, failure, request, signal } from '../../support/model-fixtures';
import { errorHandler, sseHandler, rawServerForEachTest, type RawServer } from '../../support/raw-server';

let server: RawServer;
rawServerForEachTest((started) => (server = started));

const NGINX_502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center>
</body>
</html>
`;

/** The card's text: message and action as ErrorCard shows them. */
function card(error: Parameters<typeof errorInfo>[0]): string {
  const info = errorInfo(error);
  const advice = errorAdvice(info);
  return [advice.title, info.message, advice.action].filter(Boolean).join('\n');
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))?.length ?? 0;
}

describe('error cards say their advice once', () => {
  it('401: one "Settings" advice', async () => {
    server.enqueue(errorHandler(401, { message: 'Incorrect API key provided', code: 'invalid_api_key' }));
    const { error } = await failure(createModelClient({ baseURL: server.baseURL, apiKey: 'k' }).stream(request(), { signal: signal() }));
    const text = card(error);
    expect(count(text, /Settings/)).toBe(1);
  });

  it('quota: one billing advice', async () => {
    server.enqueue(errorHandler(429, { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' }));
    const { error } = await failure(createModelClient({ baseURL: server.baseURL, apiKey: 'k' }).stream(request(), { signal: signal() }));
    const text = card(error);
    expect(count(text, /billing/)).toBe(1);
    expect(count(text, /add credit/i)).toBe(1);
  });

  it('a bare auth message still gets the advice', () => {
    expect(errorAdvice({ kind: 'auth', message: 'Unauthorized (401).' }).action).toMatch(/Settings/);
  });
});

describe('HTML error bodies', () => {
  it("a proxy's 502 page shows as its title, not markup", async () => {
    server.enqueue((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(NGINX_502);
    });
    const { error } = await failure(createModelClient({ baseURL: server.baseURL, apiKey: 'k' }).stream(request(), { signal: signal() }));
    expect(error.kind).toBe('server');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('The server failed (502): 502 Bad Gateway.');
  });

  it('without a title: the first text, bounded; entities decoded; plain text untouched', () => {
    const long = `<html><body><p>Upstream &amp; proxy said: ${'x'.repeat(500)}</p></body></html>`;
    const text = readableDetail(long) ?? '';
    expect(text.startsWith('Upstream & proxy said: xxx')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(120);
    expect(text).not.toMatch(/[<>]/);
    expect(readableDetail('Rate limit for a < b')).toBe('Rate limit for a < b');
    const err = APIError.generate(
      503,
      undefined,
      '<!DOCTYPE html><html><head><style>p{}</style></head><body><h1>Service Unavailable</h1></body></html>',
      new Headers(),
    );
    expect(classifyError(err).message).toBe('The server failed (503): Service Unavailable.');
  });
});

describe('invalid_prompt', () => {
  const policy = 'Invalid prompt: your prompt was flagged as potentially violating our usage policy.';

  it('as an HTTP 400: says the provider refused the prompt and what to do, not to check settings', async () => {
    server.enqueue(errorHandler(400, { message: policy, code: 'invalid_prompt' }));
    const { error } = await failure(createModelClient({ baseURL: server.baseURL, apiKey: 'k' }).stream(request(), { signal: signal() }));
    expect(error.kind).toBe('bad_request');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/refused the prompt under its usage policy/);
    expect(error.message).toMatch(/Rephrase/);
    const text = card(error);
    expect(text).not.toMatch(/Check the settings/);
    expect(count(text, /rephrase/i)).toBe(1);
  });

  it('as a response.failed event (folded by the engine): the card explains the refusal', () => {
    const error = failureError('invalid_prompt', policy);
    const advice = errorAdvice(errorInfo(error));
    expect(advice.title).toMatch(/policy refused the prompt/);
    expect(advice.action).toMatch(/Rephrase/);
    expect(advice.action).not.toMatch(/settings/i);
  });

  it('as an `error` event through the client', async () => {
    server.enqueue(sseHandler([created, { type: 'error', sequence_number: 1, code: 'invalid_prompt', message: policy, param: null }]));
    const { error } = await failure(createModelClient({ baseURL: server.baseURL, apiKey: 'k' }).stream(request(), { signal: signal() }));
    expect(error.kind).toBe('bad_request');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/usage policy/);
    const failed = classifyStreamFailure({ type: 'response.failed', response: { error: { code: 'invalid_prompt', message: policy } } });
    expect(failed?.kind).toBe('bad_request');
  });
});

describe('Retry on an error card', () => {
  it('is offered where sending the turn again can help, and the advice then points at it', () => {
    const network = { kind: 'network', message: 'Could not reach http://localhost:11434/v1.' } as const;
    expect(offersRetry(network)).toBe(true);
    expect(errorAdvice(network, { retry: true }).action).toMatch(/Then choose Retry\.$/);
    expect(errorAdvice(network).action).toMatch(/Then send again\.$/);
    expect(errorAdvice({ kind: 'timeout', message: 'No data.' }, { retry: true }).action).toMatch(/^No data arrived for a while\. Choose Retry;/);
    for (const kind of ['server', 'stream', 'rate_limit', 'auth', 'not_found', 'bad_request'] as const) {
      expect(offersRetry({ kind, message: 'x' })).toBe(true);
      expect(errorAdvice({ kind, message: 'x' }, { retry: true }).action).not.toMatch(/send again/i);
    }
  });

  it('is not offered when the same request would fail the same way', () => {
    expect(offersRetry({ kind: 'context_overflow', message: 'Too long.' })).toBe(false);
    expect(offersRetry({ kind: 'incomplete', message: 'Stopped early.' })).toBe(false);
    expect(offersRetry({ kind: 'bad_request', code: 'invalid_prompt', message: 'Refused.' })).toBe(false);
  });
});
