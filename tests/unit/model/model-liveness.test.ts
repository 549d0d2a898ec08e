import { describe, expect, it } from 'vitest';
import { createModelClient } from '../../../src/model/client';
import { collect, created, failure, normalEvents, request, signal } from '../../support/model-fixtures';
import { rawAgent } from '../../support/raw-agent';
import { delay, sseFrame, rawServerForEachTest, startSSE, type RawHandler, type RawServer } from '../../support/raw-server';

let server: RawServer;
rawServerForEachTest((started) => (server = started));

/** Headers, then only `: keep-alive` comments for `silentMs` (one every 50 ms), then the answer. */
function keepAliveThenAnswer(silentMs: number, before: object[] = []): RawHandler {
  return async (_req, res) => {
    startSSE(res);
    for (const event of before) res.write(sseFrame(event as { type: string }));
    const until = Date.now() + silentMs;
    while (Date.now() < until) {
      res.write(': keep-alive\n\n');
      await delay(50);
    }
    res.end(normalEvents.slice(before.length).map(sseFrame).join(''));
  };
}

describe('liveness counts bytes, not parsed events', () => {
  it('keep-alive comments longer than the idle timeout before the first event: no timeout', async () => {
    server.enqueue(keepAliveThenAnswer(700));
    const events = await collect(createModelClient({ baseURL: server.baseURL, idleTimeoutMs: 200 }).stream(request(), { signal: signal() }));
    expect(events).toHaveLength(normalEvents.length);
    expect(server.requests).toHaveLength(1);
  });

  it('keep-alive comments between events: the turn completes without a retry', async () => {
    server.enqueue(keepAliveThenAnswer(700, [created]));
    const { agent, events } = rawAgent(server, { idleTimeoutMs: 200 });
    const result = await agent.runTurn('think hard');
    expect(result.reason).toBe('completed');
    expect(events.filter((e) => e.type === 'round_retry')).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('true silence still times out', async () => {
    server.enqueue(async (_req, res) => {
      startSSE(res);
      res.write(sseFrame(created));
    });
    const { error } = await failure(createModelClient({ baseURL: server.baseURL, idleTimeoutMs: 200 }).stream(request(), { signal: signal() }));
    expect(error.kind).toBe('timeout');
  });
});
