/**
 * Engine benchmarks: client overhead per sampling round (build the request, serialise it
 * through the openai SDK, parse and fold the SSE response; no network, no tools) at several
 * history sizes, and SSE parse throughput.
 */
import { defaultConfig } from '../src/core/config';
import type { StreamEvent } from '../src/core/ports';
import { buildRequest } from '../src/core/prompt';
import { RoundFolder } from '../src/core/stream';
import { defaultTools, toolSpecs } from '../src/core/tools/registry';
import { createModelClient } from '../src/model/client';
import { longReply, replayFetch, sseBytes, syntheticHistory, typicalReply } from './fixtures';
import { measure, median } from './stats';

const SIZES = [10, 100, 1_000, 5_000];

export interface OverheadRow {
  items: number;
  requestBytes: number;
  medianMs: number;
  perItemUs: number;
  runs: number;
}

async function oneRound(client: ReturnType<typeof createModelClient>, request: ReturnType<typeof buildRequest>): Promise<number> {
  const folder = new RoundFolder(1);
  let events = 0;
  for await (const event of client.stream(request, { signal: new AbortController().signal })) {
    folder.push(event as StreamEvent);
    events++;
  }
  if (folder.outcome.status !== 'completed') throw new Error('benchmark stream did not complete');
  return events;
}

export async function clientOverhead(): Promise<OverheadRow[]> {
  const config = defaultConfig({ timezone: 'UTC' });
  const tools = toolSpecs(defaultTools(), config.capabilities);
  const { bytes } = sseBytes(typicalReply());
  const fetch = replayFetch(bytes);
  const client = createModelClient({ baseURL: 'http://bench.invalid/v1', apiKey: 'k', fetch });
  const rows: OverheadRow[] = [];
  for (const items of SIZES) {
    const history = syntheticHistory(items);
    const runs = items >= 5_000 ? 25 : items >= 1_000 ? 50 : 200;
    const times = await measure(async () => {
      const request = buildRequest({ config, tools, history, sessionId: 'bench' });
      await oneRound(client, request);
    }, runs);
    const requestBytes = JSON.stringify(buildRequest({ config, tools, history, sessionId: 'bench' })).length;
    if (fetch.lastBodyBytes !== requestBytes) throw new Error(`the SDK sent ${fetch.lastBodyBytes} bytes, expected ${requestBytes}`);
    const medianMs = median(times);
    rows.push({ items, requestBytes, medianMs, perItemUs: (medianMs * 1000) / items, runs });
  }
  return rows;
}

export interface ThroughputRow {
  events: number;
  bytes: number;
  medianMs: number;
  eventsPerSecond: number;
  mbPerSecond: number;
}

/** SSE events parsed by the SDK and folded by the engine, per second. */
export async function sseThroughput(): Promise<ThroughputRow> {
  const { bytes, events } = sseBytes(longReply(40_000));
  const client = createModelClient({ baseURL: 'http://bench.invalid/v1', apiKey: 'k', fetch: replayFetch(bytes) });
  const config = defaultConfig({ timezone: 'UTC' });
  const request = buildRequest({ config, tools: [], history: syntheticHistory(3), sessionId: 'bench' });
  let seen = 0;
  const times = await measure(
    async () => {
      seen = await oneRound(client, request);
    },
    15,
    3,
  );
  if (seen !== events) throw new Error(`parsed ${seen} of ${events} events`);
  const medianMs = median(times);
  return {
    events,
    bytes: bytes.length,
    medianMs,
    eventsPerSecond: Math.round(events / (medianMs / 1000)),
    mbPerSecond: bytes.length / 1e6 / (medianMs / 1000),
  };
}
