import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { userMessage } from '../../../src/core/items';
import type { StreamEvent } from '../../../src/core/ports';
import { reply, type Script } from '../../../src/model/scripted/index';
import { FACES, openFace, streamAll, streamSettled, type Face } from '../../support/scripted-faces';
import { PREAMBLE, request, types } from '../../support/scripted-helpers';

const script: Script = () => [reply.reasoning('Thinking it over.'), reply.text('A reply long enough to need quite a few delta events to stream.')];
const body = () => request([...PREAMBLE, userMessage('go')]);
const post = (path: string, payload: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer test' },
  body: JSON.stringify(payload),
});

describe.each(FACES)('fault injection over the %s', (faceName) => {
  let face: Face | undefined;
  const open = async (options?: Parameters<typeof openFace>[2]) => {
    face = await openFace(faceName, script, options);
    return face;
  };
  afterEach(async () => {
    await face?.close();
    face = undefined;
  });

  it('answers a status fault with an OpenAI-shaped error and Retry-After', async () => {
    const f = await open();
    f.faults.push({ status: 429, retryAfter: '2' });
    const res = await f.rawFetch('/responses', post('/responses', body()));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toEqual({
      error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    // Used up: the next request goes through.
    const ok = await f.rawFetch('/responses', post('/responses', body()));
    expect(ok.status).toBe(200);
    await ok.text();
  });

  it('shows a status fault to the SDK as its typed error, with headers', async () => {
    const f = await open();
    f.faults.push({
      status: 429,
      retryAfter: '1.5',
      body: { error: { message: 'slow down', type: 'tokens', code: 'rate_limit_exceeded', param: null } },
    });
    const error = await streamAll(f, body()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1.5');
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('slow down');

    f.faults.push({ status: 500 });
    expect(await streamAll(f, body()).catch((err: unknown) => err)).toBeInstanceOf(OpenAI.InternalServerError);
    expect(f.model.requestCount).toBe(0);
  });

  it('repeats a fault `times` times, first in first out', async () => {
    const f = await open();
    f.faults.push({ status: 503, times: 2 }, { status: 400 });
    expect(f.faults.pending).toBe(3);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await f.rawFetch('/responses', post('/responses', body()));
      statuses.push(res.status);
      await res.text();
    }
    expect(statuses).toEqual([503, 503, 400, 200]);
    expect(f.faults.pending).toBe(0);
  });

  it('cuts a stream after n events by dropping the connection', async () => {
    const f = await open();
    f.faults.push({ cutAfterEvents: 5 });
    const { events, error } = await streamSettled(f, body());
    expect(events).toHaveLength(5);
    expect(types(events)).not.toContain('response.completed');
    expect(error).toBeDefined();
  });

  it('cuts a stream after n events by ending the body early', async () => {
    const f = await open();
    f.faults.push({ cutAfterEvents: 4, mode: 'end' });
    const { events, error } = await streamSettled(f, body());
    expect(error).toBeUndefined();
    expect(events).toHaveLength(4);
    expect(types(events)).not.toContain('response.completed');
  });

  it('sends invalid JSON as event n', async () => {
    const f = await open();
    f.faults.push({ malformedAt: 3 });
    const { events, error } = await streamSettled(f, body());
    expect(events).toHaveLength(3);
    expect(error).toBeInstanceOf(SyntaxError);

    f.faults.push({ malformedAt: 2 });
    const res = await f.rawFetch('/responses', post('/responses', body()));
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(() => JSON.parse(frames[2]!.split('data: ')[1]!)).toThrow();
    expect(frames.at(-1)).toContain('response.completed');
  });

  it('stalls between events, then carries on', async () => {
    const f = await open();
    f.faults.push({ stallAfterEvents: 3, stallMs: 250 });
    const stream = await f.client.responses.create(body() as unknown as OpenAI.Responses.ResponseCreateParamsStreaming);
    const arrivals: Array<{ event: StreamEvent; at: number }> = [];
    for await (const event of stream) arrivals.push({ event: event as unknown as StreamEvent, at: performance.now() });
    const gap = arrivals[3]!.at - arrivals[2]!.at;
    expect(gap).toBeGreaterThanOrEqual(200);
    expect(arrivals.at(-1)?.at ?? 0).toBeGreaterThan(0);
    expect(arrivals.at(-1)?.event.type).toBe('response.completed');
  });

  it('fails the response with response.failed without consulting the script', async () => {
    const f = await open();
    f.faults.push({ failWith: { code: 'server_error', message: 'The model crashed.' } });
    const events = await streamAll(f, body());
    expect(types(events)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    expect(events[2]?.response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'The model crashed.' } });
    expect(f.model.requestCount).toBe(0);
  });

  it('targets the compact endpoint only when asked', async () => {
    const f = await open();
    f.faults.push({ status: 500, route: 'compact' });
    const events = await streamAll(f, body());
    expect(types(events).at(-1)).toBe('response.completed');
    const error = await f.client.responses.compact({ model: 'gpt-test', input: [userMessage('x')] } as never).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);

    f.faults.push({ failWith: { code: 'context_length_exceeded', message: 'too long' }, route: 'compact' });
    const failed = await f.rawFetch('/responses/compact', post('', { model: 'm', input: [] }));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { code: 'context_length_exceeded' } });

    f.faults.push({ malformedAt: 0, route: 'compact' });
    const malformed = await f.rawFetch('/responses/compact', post('', { model: 'm', input: [] }));
    await expect(malformed.json()).rejects.toThrow();

    f.faults.push({ cutAfterEvents: 0, route: 'compact' });
    await expect(f.rawFetch('/responses/compact', post('', { model: 'm', input: [] }))).rejects.toThrow();
  });

  it('stops streaming when the caller aborts', async () => {
    const f = await open({ eventDelayMs: 25 });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    const started = performance.now();
    const stream = await f.client.responses.create(body() as unknown as OpenAI.Responses.ResponseCreateParamsStreaming, {
      signal: controller.signal,
    });
    try {
      for await (const event of stream) {
        events.push(event as unknown as StreamEvent);
        if (events.length === 3) controller.abort();
      }
    } catch (err) {
      expect((err as Error).name).toMatch(/Abort/);
    }
    expect(events.length).toBeLessThan(6);
    expect(performance.now() - started).toBeLessThan(1000);

    const aborted = new AbortController();
    aborted.abort();
    await expect(f.rawFetch('/responses', { ...post('', body()), signal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
