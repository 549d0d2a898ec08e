import { describe, expect, it } from 'vitest';
import { createModelClient, type ModelClientOptions } from '../../../src/model/client';
import { classifyStreamFailure, type ModelError } from '../../../src/model/errors';
import { errorHandler, sendJSON, sseFrame, sseHandler, rawServerForEachTest, startSSE, type RawServer } from '../../support/raw-server';
import { collect, created, failure, normalEvents, request, signal, usage } from '../../support/model-fixtures';

let server: RawServer;
rawServerForEachTest((started) => (server = started));

function client(options: Partial<ModelClientOptions> = {}) {
  return createModelClient({ baseURL: server.baseURL, apiKey: 'sk-test', ...options });
}

describe('stream: success', () => {
  it('yields every event in order and sends the request body unchanged', async () => {
    server.enqueue(sseHandler(normalEvents));
    const events = await collect(client().stream(request(), { signal: signal() }));
    expect(events).toEqual(normalEvents);
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/responses');
    expect(JSON.parse(sent.body)).toEqual(request());
  });

  it('tolerates a [DONE] sentinel after the terminal event', async () => {
    server.enqueue(sseHandler([...normalEvents, 'data: [DONE]\n\n']));
    const events = await collect(client().stream(request(), { signal: signal() }));
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('stops after the terminal event even if the server keeps the connection open', async () => {
    server.enqueue((_req, res) => {
      startSSE(res);
      res.write(normalEvents.map(sseFrame).join(''));
    });
    const events = await collect(client().stream(request(), { signal: signal() }));
    expect(events).toHaveLength(normalEvents.length);
    await server.requests[0]!.closed; // the client hung up
  });

  it('yields response.failed and response.incomplete as events instead of throwing', async () => {
    const failed = {
      type: 'response.failed',
      sequence_number: 1,
      response: { id: 'r', status: 'failed', error: { code: 'context_length_exceeded', message: 'too long' } },
    };
    server.enqueue(sseHandler([created, failed]));
    const events = await collect(client().stream(request(), { signal: signal() }));
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.failed']);
    expect(classifyStreamFailure(events[1]!)?.kind).toBe('context_overflow');

    const incomplete = {
      type: 'response.incomplete',
      sequence_number: 1,
      response: { id: 'r', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    };
    server.enqueue(sseHandler([created, incomplete]));
    const more = await collect(client().stream(request(), { signal: signal() }));
    expect(more.at(-1)?.type).toBe('response.incomplete');
  });
});

describe('stream: headers and query', () => {
  it('sends the Bearer key, Accept, extra headers and extra query params', async () => {
    server.enqueue(sseHandler(normalEvents));
    const c = client({ headers: { 'X-Extra': 'yes' }, query: { 'api-version': 'preview', tenant: 't1' } });
    await collect(c.stream(request(), { signal: signal() }));
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.headers.accept).toBe('text/event-stream');
    expect(sent.headers['x-extra']).toBe('yes');
    expect(sent.query.get('api-version')).toBe('preview');
    expect(sent.query.get('tenant')).toBe('t1');
    expect(sent.headers['x-stainless-lang']).toBe('js');
  });

  it('sends the key in `api-key` (and no Authorization) for Azure-style auth', async () => {
    server.enqueue(sseHandler(normalEvents));
    await collect(client({ preset: 'azure', apiKey: 'az-key' }).stream(request(), { signal: signal() }));
    const sent = server.requests[0]!;
    expect(sent.headers['api-key']).toBe('az-key');
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('works without a key for local servers and can leave out the SDK headers', async () => {
    server.enqueue(sseHandler(normalEvents));
    const c = createModelClient({ baseURL: server.baseURL, preset: 'ollama', omitSdkHeaders: true });
    await collect(c.stream(request({ model: 'gpt-oss:20b' }), { signal: signal() }));
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer not-needed');
    expect(Object.keys(sent.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
  });
});

describe('stream: abort', () => {
  it('stops promptly with an aborted error when the signal aborts mid-stream', async () => {
    server.enqueue((_req, res) => {
      startSSE(res);
      res.write(sseFrame(created));
    });
    const controller = new AbortController();
    const seen: string[] = [];
    const started = Date.now();
    let caught: unknown;
    try {
      for await (const event of client().stream(request(), { signal: controller.signal })) {
        seen.push(event.type);
        setTimeout(() => controller.abort(), 30);
      }
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual(['response.created']);
    expect((caught as ModelError).kind).toBe('aborted');
    expect((caught as ModelError).retryable).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    await server.requests[0]!.closed;
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { error } = await failure(client().stream(request(), { signal: controller.signal }));
    expect(error.kind).toBe('aborted');
    expect(server.requests).toHaveLength(0);
  });

  it('an abort before the response starts is aborted, not a network error', async () => {
    server.enqueue(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { error } = await failure(client().stream(request(), { signal: controller.signal }));
    expect(error.kind).toBe('aborted');
  });
});

describe('compact and listModels', () => {
  it('round-trips POST /responses/compact with normalised usage', async () => {
    const output = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'compaction', encrypted_content: 'enc-123' },
    ];
    server.enqueue((_req, res) => sendJSON(res, 200, { id: 'cmp_1', object: 'response.compaction', created_at: 1, output, usage }));
    const c = client({ preset: 'openai' });
    expect(c.compact).toBeTypeOf('function');
    const body = { model: 'gpt-5.1-codex', input: request().input, instructions: 'be brief' };
    const result = await c.compact!(body, { signal: signal() });
    expect(result.output).toEqual(output);
    expect(result.usage).toEqual({ input_tokens: 12, cached_tokens: 4, output_tokens: 3, reasoning_tokens: 1, total_tokens: 15 });
    const sent = server.requests[0]!;
    expect(sent.path).toBe('/v1/responses/compact');
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(JSON.parse(sent.body)).toEqual(body);
  });

  it('classifies compact errors and is absent for providers without the endpoint', async () => {
    server.enqueue(errorHandler(404, { message: 'Not found' }));
    const c = client({ preset: 'openai' });
    await expect(c.compact!({ model: 'm', input: [] }, { signal: signal() })).rejects.toMatchObject({ kind: 'not_found' });
    expect(client({ preset: 'ollama' }).compact).toBeUndefined();
    expect(client({ preset: 'ollama', compact: true }).compact).toBeTypeOf('function');
  });

  it('lists model ids from GET /models', async () => {
    server.enqueue((_req, res) => sendJSON(res, 200, { object: 'list', data: [{ id: 'b' }, { id: 'a' }, { id: 'b' }] }));
    expect(await client().listModels()).toEqual(['a', 'b']);
    expect(server.requests[0]!.path).toBe('/v1/models');
    server.enqueue(errorHandler(401, { message: 'bad key' }));
    await expect(client().listModels()).rejects.toMatchObject({ kind: 'auth' });
  });
});
