import { describe, expect, it, vi } from 'vitest';
import { diagnoseReachability, markAnswered, refineNetworkError, transportCode } from '../../../src/model/connectivity';
import { ModelError } from '../../../src/model/errors';
import { createModelClient } from '../../../src/model/client';
import { failure, normalEvents, request, signal } from '../../support/model-fixtures';
import { rawAgent } from '../../support/raw-agent';
import { sseHandler, rawServerForEachTest, type RawServer } from '../../support/raw-server';

let server: RawServer;
rawServerForEachTest((started) => (server = started));

/** The server is up: what a browser's `no-cors` probe finds when a request failed anyway. */
const upProbe = async () => true;

/** Fetch as a browser fails it: a bare `TypeError: Failed to fetch` for the chosen calls. */
function browserFetch(failCalls: number[]): typeof fetch {
  let calls = 0;
  return async (input, init) => {
    calls++;
    if (failCalls.includes(calls)) throw new TypeError('Failed to fetch');
    return fetch(input, init);
  };
}

const resetConnection = () => (_req: unknown, res: { socket: { destroy(): void } | null }) => res.socket?.destroy();

describe('connection failures before the server answers', () => {
  it('a reset on the first request is retried and the turn succeeds (real server)', async () => {
    server.enqueue(resetConnection(), sseHandler(normalEvents));
    const { agent, events, clock } = rawAgent(server, { probe: upProbe });
    const result = await agent.runTurn('hi');
    expect(result.reason).toBe('completed');
    expect(result.lastMessage).toBe('Hello');
    expect(server.requests).toHaveLength(2);
    const retries = events.filter((e) => e.type === 'round_retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ error: { kind: 'network' } });
    expect(clock.sleeps).toHaveLength(1);
  });

  it('a bare "Failed to fetch" after the endpoint answered this page is a retried network problem, not CORS', async () => {
    server.enqueue(sseHandler(normalEvents), sseHandler(normalEvents));
    const probe = vi.fn(upProbe);
    const { agent, events } = rawAgent(server, { probe, fetch: browserFetch([2]) });
    expect((await agent.runTurn('one')).reason).toBe('completed');
    const second = await agent.runTurn('two');
    expect(second.reason).toBe('completed');
    const retry = events.find((e) => e.type === 'round_retry');
    expect(retry).toBeDefined();
    if (retry?.type !== 'round_retry') return;
    expect(retry.error.kind).toBe('network');
    expect(retry.error.message).toMatch(/worked earlier.*network or proxy/);
    expect(retry.error.message).not.toMatch(/CORS/);
    expect(probe).not.toHaveBeenCalled();
  });

  it('the final error after retries run out says what was observed', async () => {
    server.enqueue(sseHandler(normalEvents));
    const { agent } = rawAgent(server, { probe: upProbe, fetch: browserFetch([2, 3, 4, 5, 6]) });
    await agent.runTurn('one');
    const result = await agent.runTurn('two');
    expect(result.reason).toBe('failed');
    expect(result.error?.kind).toBe('network');
    expect(result.error?.message).toMatch(/failed before the server answered; it worked earlier/);
  });

  it('says CORS only when the endpoint never answered this page', async () => {
    const c = createModelClient({ baseURL: server.baseURL, preset: 'ollama', probe: upProbe, fetch: browserFetch([1]) });
    const { error } = await failure(c.stream(request(), { signal: signal() }));
    expect(error.kind).toBe('cors');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/OLLAMA_ORIGINS=/);
  });
});

describe('classifying a transport failure', () => {
  const baseURL = 'http://proxy.test/v1';
  const network = (cause?: unknown) => new ModelError({ kind: 'network', message: 'Could not reach it.', cause });

  it('an endpoint that answered before means a transient failure, without probing', async () => {
    const probe = vi.fn(upProbe);
    expect(await diagnoseReachability({ baseURL, probe, answeredBefore: true })).toBe('transient');
    expect(probe).not.toHaveBeenCalled();
    const refined = await refineNetworkError(network(new TypeError('Failed to fetch')), { baseURL, probe, answeredBefore: true });
    expect(refined.kind).toBe('network');
    expect(refined.retryable).toBe(true);
    expect(refined.message).toMatch(/network or proxy problem/);
  });

  it('remembers endpoints that answered this page', async () => {
    const url = 'http://remembered.test/v1';
    expect(await diagnoseReachability({ baseURL: url, probe: upProbe })).toBe('cors');
    markAnswered(`${url}/`);
    expect(await diagnoseReachability({ baseURL: url, probe: upProbe })).toBe('transient');
  });

  it('a transport code in the causes rules CORS out', async () => {
    const probe = vi.fn(upProbe);
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    expect(transportCode(reset)).toBe('ECONNRESET');
    expect(transportCode(new TypeError('Failed to fetch'))).toBeUndefined();
    expect(await diagnoseReachability({ baseURL, probe, cause: reset })).toBe('unreachable');
    expect(probe).not.toHaveBeenCalled();
    const refined = await refineNetworkError(network(reset), { baseURL, probe });
    expect(refined.kind).toBe('network');
    expect(refined.retryable).toBe(true);
  });

  it('offline still wins; a bare failure of a never-seen endpoint that answers a probe is CORS', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    expect(await diagnoseReachability({ baseURL, probe: upProbe, answeredBefore: true })).toBe('offline');
    vi.unstubAllGlobals();
    const refined = await refineNetworkError(network(new TypeError('Failed to fetch')), { baseURL, probe: upProbe });
    expect(refined.kind).toBe('cors');
    expect(refined.retryable).toBe(false);
  });
});
