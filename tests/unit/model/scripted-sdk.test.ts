import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import { canonicalRequest, reply, type Script } from '../../../src/model/scripted/index';
import { FACES, openFace, streamAll, type Face } from '../../support/scripted-faces';
import { checkStream, PREAMBLE, request, types } from '../../support/scripted-helpers';

const richScript: Script = (ctx) => [
  reply.reasoning('**Plan**\n\nLook first, then act.'),
  reply.text(`You said: ${ctx.lastUserText}. Here is a longer answer so that it needs several deltas.`),
  reply.call('exec_command', { cmd: 'ls -la', workdir: '/workspace' }),
  reply.patch(ctx, '*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch'),
];

describe.each(FACES)('the real openai SDK over the %s', (faceName) => {
  let face: Face | undefined;
  const open = async (script: Script, options?: Parameters<typeof openFace>[2]) => {
    face = await openFace(faceName, script, options);
    return face;
  };
  afterEach(async () => {
    await face?.close();
    face = undefined;
  });

  it('streams events the SDK accepts, in order, reassembling to the done items', async () => {
    const f = await open(richScript);
    const events = await streamAll(f, request([...PREAMBLE, userMessage('hi')]));
    const items = checkStream(events);
    expect(items.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'custom_tool_call']);
    expect((items[1]?.content as Array<{ text: string }>)[0]?.text).toContain('You said: hi.');
    expect(types(events).filter((type) => type === 'response.output_text.delta').length).toBeGreaterThan(3);
    expect(types(events).at(-1)).toBe('response.completed');
  });

  it('uses the function form of apply_patch when the request offers it', async () => {
    const f = await open(richScript);
    const events = await streamAll(f, request([userMessage('hi')], { custom: false }));
    const items = checkStream(events);
    expect(items[3]).toMatchObject({ type: 'function_call', name: 'apply_patch' });
    expect(JSON.parse(items[3]?.arguments as string)).toEqual({ input: '*** Begin Patch\n*** Add File: x.txt\n+x\n*** End Patch' });
  });

  it('reports cached tokens for a request that extends the previous one', async () => {
    const f = await open(() => reply.text('ok'));
    const first: ResponseItem[] = [...PREAMBLE, userMessage('one')];
    const usage = async (input: ResponseItem[]) => {
      const events = await streamAll(f, request(input));
      return (events.at(-1)?.response as { usage: { input_tokens: number; input_tokens_details: { cached_tokens: number } } }).usage;
    };
    const a = await usage(first);
    const b = await usage([...first, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }, userMessage('two')]);
    expect(a.input_tokens_details.cached_tokens).toBe(0);
    // The new request shares all of the previous canonical form but its closing `]}`.
    const previous = new TextEncoder().encode(canonicalRequest(request(first))).length;
    expect(b.input_tokens_details.cached_tokens).toBe(Math.floor((previous - 2) / 4));
    expect(b.input_tokens_details.cached_tokens).toBeGreaterThan(a.input_tokens * 0.75);
    const c = await usage([userMessage('zero'), ...first.slice(1)]);
    expect(c.input_tokens_details.cached_tokens).toBeLessThan(c.input_tokens * 0.5);
  });

  it('numbers requests per instance', async () => {
    const seen: number[] = [];
    const f = await open((ctx) => {
      seen.push(ctx.requestNumber);
      return reply.text('n');
    });
    await streamAll(f, request([userMessage('a')]));
    await streamAll(f, request([userMessage('b')]));
    expect(seen).toEqual([0, 1]);
    expect(f.model.requestCount).toBe(2);
  });

  it('answers a non-streamed create with the final response object', async () => {
    const f = await open(() => reply.text('plain'));
    const response = await f.client.responses.create({ ...request([userMessage('a')]), stream: false } as never);
    expect(response).toMatchObject({ object: 'response', status: 'completed' });
    expect((response as { output_text?: string }).output_text).toBe('plain');
  });

  it('compacts through responses.compact', async () => {
    const f = await open(() => reply.text('unused'));
    const input = [...PREAMBLE, userMessage('keep me'), { type: 'function_call', call_id: 'c', name: 'exec_command', arguments: '{}' }];
    const result = await f.client.responses.compact({ model: 'gpt-test', input } as never);
    expect(result.object).toBe('response.compaction');
    expect(result.id).toMatch(/^cmp_/);
    expect(result.output).toHaveLength(2);
    expect(result.output[0]).toMatchObject({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'keep me' }] });
    expect(result.output[1]).toMatchObject({ type: 'compaction' });
  });

  it('lists models', async () => {
    const f = await open(() => reply.text('unused'));
    const page = await f.client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['unroll-scripted']);
  });

  it('requires the configured API key', async () => {
    const f = await open(() => reply.text('secret'), { requireKey: 'sk-right', apiKey: 'sk-wrong-key' });
    const error = await streamAll(f, request([userMessage('a')])).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key');

    const good = new OpenAI({
      apiKey: 'sk-right',
      baseURL: f.client.baseURL,
      maxRetries: 0,
      fetch: (f.client as unknown as { fetch: typeof fetch }).fetch,
    });
    const events = await streamAll({ ...f, client: good }, request([userMessage('a')]));
    expect(types(events).at(-1)).toBe('response.completed');
  });

  it('answers invalid bodies with OpenAI-shaped 400s', async () => {
    const f = await open(() => reply.text('unused'));
    const res = await f.rawFetch('/responses', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: null, param: null } });
    const missing = await f.rawFetch('/responses', { method: 'POST', body: JSON.stringify({ input: [] }) });
    expect(missing.status).toBe(400);
    const unknown = await f.rawFetch('/nowhere', { method: 'GET' });
    expect(unknown.status).toBe(404);
  });
});

describe('the HTTP server specifically', () => {
  let face: Face | undefined;
  afterEach(async () => {
    await face?.close();
    face = undefined;
  });

  it('logs every request with its parsed body and headers', async () => {
    face = await openFace('http server', () => reply.text('ok'));
    const body = request([userMessage('logged')]);
    await streamAll(face, body);
    await face.client.models.list();
    const log = face.server?.requests ?? [];
    expect(log.map((entry) => `${entry.method} ${entry.path}`)).toEqual(['POST /v1/responses', 'GET /v1/models']);
    expect(log[0]?.body).toEqual(body);
    expect(log[0]?.headers.authorization).toBe('Bearer test');
    expect(log[0]?.headers['content-type']).toContain('application/json');
    expect(log[1]?.body).toBeUndefined();
  });

  it('answers CORS preflight and marks responses readable cross-origin', async () => {
    face = await openFace('http server', () => reply.text('ok'));
    const preflight = await face.rawFetch('/responses', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-os',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const res = await face.rawFetch('/responses', { method: 'POST', body: JSON.stringify(request([userMessage('x')])) });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
    const text = await res.text();
    expect(text.startsWith('event: response.created\ndata: {')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
  });
});
