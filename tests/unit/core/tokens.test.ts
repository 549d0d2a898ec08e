/** Token estimates, context limits, the token meter and prompt-cache prefix statistics. */
import { describe, expect, it } from 'vitest';
import { cacheText, commonPrefixLength, PrefixTracker, prefixStats } from '../../../src/core/cache-stats';
import { defaultConfig } from '../../../src/core/config';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import type { Usage } from '../../../src/core/ports';
import {
  contextLimits,
  DEFAULT_CONTEXT_WINDOW,
  estimateItemsTokens,
  estimateTextTokens,
  estimateTokens,
  itemBytes,
  itemsBytes,
  TokenMeter,
  utf8Length,
} from '../../../src/core/tokens';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function usage(input: number, output: number): Usage {
  return { input_tokens: input, cached_tokens: 0, output_tokens: output, reasoning_tokens: 0, total_tokens: input + output };
}

function output(id: string, text: string): ResponseItem {
  return { type: 'function_call_output', call_id: id, output: text };
}

describe('the estimate (UTF-8 bytes / 4, rounded up)', () => {
  it('counts UTF-8 bytes exactly, without encoding', () => {
    for (const text of ['', 'plain ascii', 'café', '数据', 'emoji 🎉 and 𝔘', 'lone \ud800 surrogate', 'x'.repeat(10_000)]) {
      expect(utf8Length(text)).toBe(bytes(text));
    }
  });

  it('rounds up to whole tokens', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('abc')).toBe(1);
    expect(estimateTextTokens('abcd')).toBe(1);
    expect(estimateTextTokens('abcde')).toBe(2);
    expect(estimateTextTokens('数据')).toBe(2); // 6 bytes
    expect(estimateTokens({ a: 'b' })).toBe(Math.ceil(bytes('{"a":"b"}') / 4));
  });

  it('sizes items as their JSON, and a list as the JSON array', () => {
    const items: ResponseItem[] = [userMessage('héllo'), output('c1', 'x'.repeat(401)), { type: 'compaction', encrypted_content: 'Zm9v' }];
    expect(itemBytes(items[0]!)).toBe(bytes(JSON.stringify(items[0])));
    expect(itemsBytes(items)).toBe(bytes(JSON.stringify(items)));
    expect(itemsBytes([])).toBe(2);
    expect(estimateItemsTokens(items)).toBe(Math.ceil(bytes(JSON.stringify(items)) / 4));
  });
});

describe('contextLimits', () => {
  const caps = defaultConfig().capabilities;
  it('uses the default window and 90 % of it', () => {
    expect(contextLimits({ capabilities: caps })).toEqual({ window: DEFAULT_CONTEXT_WINDOW, autoCompactAt: 115_200 });
  });
  it("takes the model's window, then the config's override, then the configured limit", () => {
    expect(contextLimits({ capabilities: { ...caps, contextWindow: 272_000 } })).toEqual({ window: 272_000, autoCompactAt: 244_800 });
    expect(contextLimits({ capabilities: { ...caps, contextWindow: 272_000 }, contextWindow: 8_000 })).toEqual({
      window: 8_000,
      autoCompactAt: 7_200,
    });
    expect(contextLimits({ capabilities: caps, contextWindow: 8_000, autoCompactLimit: 5_000 })).toEqual({ window: 8_000, autoCompactAt: 5_000 });
  });
  it('caps the limit at the window and ignores nonsense', () => {
    expect(contextLimits({ capabilities: caps, contextWindow: 8_000, autoCompactLimit: 9_000 }).autoCompactAt).toBe(8_000);
    expect(contextLimits({ capabilities: { ...caps, contextWindow: 0 }, contextWindow: Number.NaN, autoCompactLimit: -1 })).toEqual({
      window: DEFAULT_CONTEXT_WINDOW,
      autoCompactAt: 115_200,
    });
  });
});

describe('TokenMeter', () => {
  const items: ResponseItem[] = [userMessage('do it'), output('c1', 'y'.repeat(800))];
  it('estimates the whole request when no usage is known', () => {
    const meter = new TokenMeter();
    expect(meter.used(items, 1_000)).toBe(Math.ceil((1_000 + itemsBytes(items)) / 4));
    expect(meter.lastUsage).toBeUndefined();
  });

  it('counts from the last usage plus an estimate of the items appended since', () => {
    const meter = new TokenMeter();
    meter.observe(usage(900, 50), 1);
    expect(meter.used(items, 1_000)).toBe(950 + Math.ceil((itemBytes(items[1]!) + 1) / 4));
    expect(meter.used(items.slice(0, 1), 1_000)).toBe(950);
    expect(meter.lastUsage).toEqual(usage(900, 50));
  });

  it('forgets the usage on reset, when the history is shorter than it was, or when the server sent none', () => {
    const meter = new TokenMeter();
    const full = Math.ceil((1_000 + itemsBytes(items)) / 4);
    meter.observe(usage(900, 50), 5);
    expect(meter.used(items, 1_000)).toBe(full);
    meter.observe(usage(900, 50), 1);
    meter.reset();
    expect(meter.used(items, 1_000)).toBe(full);
    meter.observe(usage(0, 0), 1);
    expect(meter.used(items, 1_000)).toBe(full);
  });
});

describe('prompt-cache prefix statistics', () => {
  it('finds common prefixes, also across long equal blocks', () => {
    expect(commonPrefixLength('', 'abc')).toBe(0);
    expect(commonPrefixLength('abc', 'abd')).toBe(2);
    expect(commonPrefixLength('abc', 'abc')).toBe(3);
    const long = 'z'.repeat(20_000);
    expect(commonPrefixLength(long, `${long}tail`)).toBe(20_000);
    expect(commonPrefixLength(`${long.slice(0, 9_000)}X${long}`, `${long.slice(0, 9_000)}Y`)).toBe(9_000);
  });

  it('puts the static parts first, as a cache reads a request', () => {
    expect(cacheText({ input: [1], model: 'm', tools: [] })).toBe('{"model":"m","tools":[],"input":[1]}');
  });

  it('reports the bytes each request shares with the previous one', () => {
    const tracker = new PrefixTracker();
    expect(tracker.next('héllo')).toEqual({ bytes: 6, prefixBytes: 0 });
    expect(tracker.next('héllo wörld')).toEqual({ bytes: 13, prefixBytes: 6 });
    expect(tracker.next('héllo wörld')).toEqual({ bytes: 13, prefixBytes: 13 });
    expect(tracker.next('hé!')).toEqual({ bytes: 4, prefixBytes: 3 });
  });

  it('sums a session: prefix share, new bytes, the quadratic worst case and the breaks', () => {
    const chunk = (n: number) => userMessage(`message ${n} `.padEnd(200, '.'));
    const bodies = [];
    let input: ResponseItem[] = [];
    for (let n = 0; n < 10; n++) {
      input = [...input, chunk(n)];
      bodies.push({ model: 'm', tools: [], input });
    }
    // A compaction: the next request starts over from a short list.
    bodies.push({ model: 'm', tools: [], input: [chunk(99)] });
    const stats = prefixStats(bodies);
    const sizes = bodies.map((b) => bytes(cacheText(b)));
    expect(stats.requests).toBe(11);
    expect(stats.totalBytes).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(stats.breaks).toBe(1);
    // Each extension repeats all of the previous request except its closing brackets.
    const extending = sizes.slice(1, 10).reduce((a, b) => a + b, 0);
    const shared = sizes.slice(0, 9).reduce((a, b) => a + b - 2, 0);
    expect(stats.prefixShareBetweenBreaks).toBeCloseTo(shared / extending, 10);
    expect(stats.newBytes).toBe(stats.totalBytes - stats.prefixBytes);
    expect(stats.prefixShare).toBeCloseTo(stats.prefixBytes / stats.totalBytes, 10);
    // Without the compaction the last request would have been the 10th plus its new bytes.
    const last = stats.totalBytes - sizes[10]!;
    expect(stats.quadraticBytes).toBeGreaterThan(last + sizes[9]!);
    expect(prefixStats([])).toMatchObject({ requests: 0, totalBytes: 0, prefixShare: 0, quadraticBytes: 0 });
    // Strings are taken as already in cache order.
    expect(prefixStats(['abc', 'abcd']).prefixBytes).toBe(3);
  });
});
