import { describe, expect, it, vi } from 'vitest';
import { createModelClient, type ModelClientOptions } from '../../../src/model/client';
import { closedPort, delay, errorHandler, sseFrame, sseHandler, rawServerForEachTest, startSSE, type RawServer } from '../../support/raw-server';
import { collect, created, failure, normalEvents, request, signal } from '../../support/model-fixtures';

let server: RawServer;
rawServerForEachTest((started) => (server = started));

function client(options: Partial<ModelClientOptions> = {}) {
  return createModelClient({ baseURL: server.baseURL, apiKey: 'sk-test', ...options });
}

describe('stream: HTTP errors', () => {
  const cases: Array<{
    name: string;
    status: number;
    error: { message: string; type?: string; code?: string | null };
    headers?: Record<string, string>;
    kind: string;
    retryable: boolean;
    retryAfterMs?: number;
    text?: RegExp;
  }> = [
    {
      name: '401',
      status: 401,
      error: { message: 'Incorrect API key provided', code: 'invalid_api_key' },
      kind: 'auth',
      retryable: false,
      text: /rejected the API key.*Settings/,
    },
    { name: '403', status: 403, error: { message: 'Forbidden' }, kind: 'auth', retryable: false, text: /Settings/ },
    {
      name: '404',
      status: 404,
      error: { message: 'The model does not exist', code: 'model_not_found' },
      kind: 'not_found',
      retryable: false,
      text: /base URL.*gpt-5\.1-codex/,
    },
    {
      name: '429 Retry-After seconds',
      status: 429,
      error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' },
      headers: { 'retry-after': '3' },
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 3000,
    },
    {
      name: '429 retry-after-ms',
      status: 429,
      error: { message: 'Slow down' },
      headers: { 'retry-after-ms': '250' },
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 250,
    },
    {
      name: '429 "try again in 1.2s"',
      status: 429,
      error: { message: 'Rate limit reached for gpt-5 on tokens per min. Please try again in 1.2s. Visit the docs.', code: 'rate_limit_exceeded' },
      kind: 'rate_limit',
      retryable: true,
      retryAfterMs: 1200,
    },
    {
      name: '429 insufficient_quota',
      status: 429,
      error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' },
      headers: { 'retry-after': '1' },
      kind: 'quota',
      retryable: false,
      text: /billing/,
    },
    {
      name: '400 context_length_exceeded',
      status: 400,
      error: { message: 'Your input exceeds the context window of this model.', code: 'context_length_exceeded' },
      kind: 'context_overflow',
      retryable: false,
      text: /compact/i,
    },
    {
      name: '400 context length in message only',
      status: 400,
      error: { message: "This model's maximum context length is 128000 tokens." },
      kind: 'context_overflow',
      retryable: false,
    },
    {
      name: '400 other',
      status: 400,
      error: { message: "Unsupported parameter: 'reasoning.effort'", code: 'unsupported_parameter' },
      kind: 'bad_request',
      retryable: false,
      text: /reasoning\.effort/,
    },
    { name: '500', status: 500, error: { message: 'The server had an error', type: 'server_error' }, kind: 'server', retryable: true },
    { name: '503', status: 503, error: { message: 'Overloaded' }, kind: 'server', retryable: true },
  ];

  for (const c of cases) {
    it(`classifies ${c.name}`, async () => {
      server.enqueue(errorHandler(c.status, c.error, c.headers));
      const { seen, error } = await failure(client().stream(request(), { signal: signal() }));
      expect(seen).toEqual([]);
      expect(error.kind).toBe(c.kind);
      expect(error.status).toBe(c.status);
      expect(error.retryable).toBe(c.retryable);
      expect(error.retryAfterMs).toBe(c.retryAfterMs);
      if (c.text) expect(error.message).toMatch(c.text);
      expect(server.requests).toHaveLength(1);
    });
  }

  it('never retries inside the SDK, even when the server says x-should-retry', async () => {
    server.enqueue(errorHandler(500, { message: 'boom' }, { 'x-should-retry': 'true', 'retry-after-ms': '1' }));
    server.enqueue(sseHandler(normalEvents));
    const { error } = await failure(client().stream(request(), { signal: signal() }));
    expect(error.kind).toBe('server');
    await delay(100);
    expect(server.requests).toHaveLength(1);
  });
});

describe('stream: broken streams', () => {
  it('a stream that ends before response.completed is a retryable stream error', async () => {
    server.enqueue(sseHandler(normalEvents.slice(0, 4)));
    const { seen, error } = await failure(client().stream(request(), { signal: signal() }));
    expect(seen).toHaveLength(4);
    expect(error.kind).toBe('stream');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/ended before the response completed/);
  });

  it('a [DONE] sentinel without a terminal event is still a stream error', async () => {
    server.enqueue(sseHandler([created, 'data: [DONE]\n\n']));
    const { error } = await failure(client().stream(request(), { signal: signal() }));
    expect(error.kind).toBe('stream');
  });

  it('a connection cut mid-stream is a retryable stream error', async () => {
    server.enqueue(async (_req, res) => {
      startSSE(res);
      res.write(sseFrame(created));
      await delay(50);
      res.socket?.destroy();
    });
    const { seen, error } = await failure(client().stream(request(), { signal: signal() }));
    expect(seen.map((e) => e.type)).toEqual(['response.created']);
    expect(error.kind).toBe('stream');
    expect(error.retryable).toBe(true);
  });

  it('malformed event data is a retryable stream error', async () => {
    server.enqueue(sseHandler([created, 'event: response.in_progress\ndata: {"type": "response.in_pro\n\n']));
    const { seen, error } = await failure(client().stream(request(), { signal: signal() }));
    expect(seen).toHaveLength(1);
    expect(error.kind).toBe('stream');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/malformed/);
  });

  it('an event without a type is a stream error', async () => {
    server.enqueue(sseHandler(['data: {"foo":1}\n\n']));
    const { error } = await failure(client().stream(request(), { signal: signal() }));
    expect(error.kind).toBe('stream');
  });

  it('an `error` event throws according to its code', async () => {
    const rate = { type: 'error', sequence_number: 1, code: 'rate_limit_exceeded', message: 'Please try again in 2s.', param: null };
    server.enqueue(sseHandler([created, rate]));
    const first = await failure(client().stream(request(), { signal: signal() }));
    expect(first.error.kind).toBe('rate_limit');
    expect(first.error.retryAfterMs).toBe(2000);

    // Nested form: the SDK itself throws on `data.error`.
    server.enqueue(sseHandler([created, 'event: error\ndata: {"type":"error","error":{"code":"server_error","message":"oops"}}\n\n']));
    const second = await failure(client().stream(request(), { signal: signal() }));
    expect(second.error.kind).toBe('server');
    expect(second.error.retryable).toBe(true);
  });

  it('a stall longer than the idle timeout is a retryable timeout that cancels the request', async () => {
    server.enqueue((_req, res) => {
      startSSE(res);
      res.write(sseFrame(created));
    });
    const started = Date.now();
    const { seen, error } = await failure(client({ idleTimeoutMs: 200 }).stream(request(), { signal: signal() }));
    expect(seen).toHaveLength(1);
    expect(error.kind).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
    await server.requests[0]!.closed;
  });

  it('the idle timeout also covers waiting for the response to start', async () => {
    server.enqueue(() => undefined); // never answers
    const { error } = await failure(client({ idleTimeoutMs: 200 }).stream(request(), { signal: signal() }));
    expect(error.kind).toBe('timeout');
  });

  it('slow but steady streams do not time out', async () => {
    server.enqueue(async (_req, res) => {
      startSSE(res);
      for (const event of normalEvents) {
        res.write(sseFrame(event));
        await delay(60);
      }
      res.end();
    });
    const events = await collect(client({ idleTimeoutMs: 200 }).stream(request(), { signal: signal() }));
    expect(events).toHaveLength(normalEvents.length);
  });
});

describe('stream: unreachable servers', () => {
  it('connection refused is a retryable network error', async () => {
    const port = await closedPort();
    const c = createModelClient({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k' });
    const { error } = await failure(c.stream(request(), { signal: signal() }));
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/connection refused/);
  });

  it('uses the injected probe: an answering server means CORS, with the fix for the server', async () => {
    const port = await closedPort();
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const probe = vi.fn(async () => true);
    // As a browser reports a CORS block: a bare TypeError (Node's own carries ECONNREFUSED).
    const browserFetch: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const c = createModelClient({ baseURL, preset: 'ollama', probe, fetch: browserFetch });
    const { error } = await failure(c.stream(request(), { signal: signal() }));
    expect(probe).toHaveBeenCalledWith(baseURL);
    expect(error.kind).toBe('cors');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/OLLAMA_ORIGINS=/);
  });

  it('a probe that fails too means network', async () => {
    const port = await closedPort();
    const c = createModelClient({ baseURL: `http://127.0.0.1:${port}/v1`, probe: async () => false });
    const { error } = await failure(c.stream(request(), { signal: signal() }));
    expect(error.kind).toBe('network');
  });

  it('offline skips the probe', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const port = await closedPort();
    const probe = vi.fn(async () => true);
    const c = createModelClient({ baseURL: `http://127.0.0.1:${port}/v1`, probe });
    const { error } = await failure(c.stream(request(), { signal: signal() }));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/offline/);
    expect(probe).not.toHaveBeenCalled();
  });
});
