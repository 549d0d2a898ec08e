/**
 * Compaction with an oversized item (a 3 MB tool argument, patch, tool output or user message):
 * the item is cut for the compaction's own request, head and tail kept around a marker saying
 * how much went, instead of being dropped with everything else of its turn. Over real HTTP
 * against the scripted server, whose window refuses anything longer than the budget; then the
 * cutting functions on their own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cutItem, cutText, jsonTextBytes } from '../../../src/core/compact/cut';
import { rebuildWithSummary } from '../../../src/core/compact/local';
import { fitTo } from '../../../src/core/compact/trim';
import type { SessionConfig } from '../../../src/core/config';
import { isPrefixContext } from '../../../src/core/context/index';
import { SUMMARY_OPEN } from '../../../src/core/context/summary';
import { pairingProblems } from '../../../src/core/history';
import { developerMessage, messageText, userMessage, type MessageItem, type ResponseItem } from '../../../src/core/items';
import { estimateItemsTokens, itemBytes, tokensForBytes, utf8Length } from '../../../src/core/tokens';
import { defaultTools } from '../../../src/core/tools/registry';
import type { Tool } from '../../../src/core/tools/types';
import { reply } from '../../../src/model/scripted/index';
import type { Script, ScriptResult, ScriptContext } from '../../../src/model/scripted/types';
import { eventsOf, startHarness, type Harness } from '../../support/harness';
import { compactedRequestProblems, isHandoffBody, type LoggedBody } from '../../support/invariants';
import { isCompactedTail } from '../../support/tasks';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The window of both the agent and the server: the server refuses any longer request. */
const WINDOW = 16_000;
const LOCAL: SessionConfig['capabilities'] = { customTools: true, reasoning: true, compact: false };
const ASK = 'look at the big thing and tell me what it says';
const CONTINUED = 'picked up from the note';

/** About `bytes` of distinct words, no newlines, with recognisable ends. */
function big(label: string, bytes = 3_000_000): string {
  const words: string[] = [`BEGIN-${label}`];
  let size = words[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const word = `${label.toLowerCase()}${i}`;
    words.push(word);
    size += word.length + 1;
  }
  words.push(`END-${label}`);
  return words.join(' ');
}

/** A 3 MB patch adding one file: lines of distinct words, with the patch's own ends. */
function bigPatch(): string {
  const lines = big('PATCH')
    .match(/.{1,120}(?: |$)/g)!
    .map((line) => `+${line.trim()}`);
  return ['*** Begin Patch', '*** Add File: big.txt', ...lines, '*** End Patch'].join('\n');
}

/** Token count of a logged body as the scripted server counts it. */
function tokensOf(body: unknown): number {
  return Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4);
}

/**
 * `cut` is `original` with its middle replaced by `…N tokens truncated…`: a real head and tail
 * of it, and N the tokens (bytes / 4) that are in neither.
 */
function expectCutFrom(cut: string, original: string): void {
  const match = /^([\s\S]*?)\n?…(\d+) tokens truncated…\n?([\s\S]*)$/.exec(cut);
  expect(match, cut.slice(0, 200)).not.toBeNull();
  const [, head, count, tail] = match as unknown as [string, string, string, string];
  expect(original.startsWith(head)).toBe(true);
  expect(original.endsWith(tail)).toBe(true);
  expect(head.length).toBeGreaterThan(2_000);
  expect(tail.length).toBeGreaterThan(2_000);
  // A newline next to the marker may belong to the text: a byte either way.
  const missing = utf8Length(original) - utf8Length(head) - utf8Length(tail);
  expect(Math.abs(Number(count) * 4 - missing)).toBeLessThanOrEqual(5);
}

/** Answers once the history was compacted; before that, `first` opens the turn. */
function scriptWith(first: (ctx: ScriptContext) => ScriptResult): Script {
  return (ctx) => {
    if (ctx.input.some(isCompactedTail)) return reply.text(CONTINUED);
    return ctx.round === 0 ? first(ctx) : reply.text('the big item was seen without a compaction');
  };
}

/** A tool whose output is 3 MB: tools normally cut their own output, this one does not. */
const dumpTool: Tool = {
  name: 'dump_log',
  parallelSafe: true,
  spec: () => ({
    type: 'function',
    name: 'dump_log',
    description: 'Prints the whole log.',
    strict: false,
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  }),
  run: async () => ({ output: big('LOG'), success: true }),
};

interface Case {
  what: string;
  first: (ctx: ScriptContext) => ScriptResult;
  /** The types of the turn's items after the user's message. */
  types: string[];
  /** The oversized text of an item of `items`, and that item's type. */
  find(items: readonly ResponseItem[]): { type: string; text: string } | undefined;
}

const cases: Case[] = [
  {
    what: 'a function_call whose arguments are 3 MB',
    first: () => reply.call('update_plan', { explanation: big('ARGS'), plan: [{ step: 'read it', status: 'in_progress' }] }),
    types: ['function_call', 'function_call_output'],
    find: (items) => {
      const call = items.find((i) => i.type === 'function_call');
      return call?.type === 'function_call' ? { type: call.type, text: call.arguments } : undefined;
    },
  },
  {
    what: 'an apply_patch custom_tool_call whose input is 3 MB',
    first: (ctx) => reply.patch(ctx, bigPatch()),
    types: ['custom_tool_call', 'custom_tool_call_output'],
    find: (items) => {
      const call = items.find((i) => i.type === 'custom_tool_call');
      return call?.type === 'custom_tool_call' ? { type: call.type, text: call.input } : undefined;
    },
  },
  {
    what: 'a tool output of 3 MB',
    first: () => reply.call('dump_log', {}),
    types: ['function_call', 'function_call_output'],
    find: (items) => {
      const out = items.find((i) => i.type === 'function_call_output');
      return out?.type === 'function_call_output' ? { type: out.type, text: out.output } : undefined;
    },
  },
];

describe('auto-compaction with an oversized item in the turn (hand-off note)', () => {
  it.each(cases)(
    'asks for the note with $what cut, not dropped, and within the window',
    async ({ first, find, types }) => {
      h = await startHarness({
        script: scriptWith(first),
        config: { contextWindow: WINDOW, capabilities: LOCAL, parallelToolCalls: false },
        server: { contextWindow: WINDOW },
        agent: { tools: [...defaultTools(), dumpTool] },
      });
      const result = await h.agent.runTurn(ASK);
      expect(result).toMatchObject({ reason: 'completed', lastMessage: CONTINUED });

      const started = eventsOf(h.events, 'compaction_started');
      expect(started).toEqual([expect.objectContaining({ reason: 'auto', mode: 'local' })]);
      const finished = eventsOf(h.events, 'compaction_finished')[0]!;
      // Until the compaction replaced it, the history held the item verbatim.
      const original = find(finished.history_before)!;
      expect(utf8Length(original.text)).toBeGreaterThan(3_000_000);

      const handoffs = h.bodies().filter(isHandoffBody);
      expect(handoffs).toHaveLength(1);
      const body = handoffs[0]!;
      expect(tokensOf(body)).toBeLessThanOrEqual(WINDOW);
      const input = body.input!;
      // Every item of the turn is there, in order: the user's message, the call, its output.
      const turn = input.filter((i) => !isPrefixContext(i)).slice(0, -1);
      expect(turn.map((i) => i.type)).toEqual(['message', ...types]);
      expect(messageText(turn[0]!)).toBe(ASK);
      expect(pairingProblems(input)).toEqual([]);
      expectCutFrom(find(input)!.text, original.text);
      // The scripted note counts what it was shown: the call and its output were there.
      expect(messageText(finished.history[finished.history.length - 1]!)).toMatch(/1 user messages, 1 tool calls\. .* Tool outputs seen: 1\./);

      // The conversation goes on from the note, within the window.
      const next = await h.agent.runTurn('and now?');
      expect(next).toMatchObject({ reason: 'completed', lastMessage: CONTINUED });
      for (const logged of h.bodies()) expect(tokensOf(logged)).toBeLessThanOrEqual(WINDOW);
      expect(compactedRequestProblems(h.bodies()).problems).toEqual([]);
    },
    60_000,
  );
});

describe('auto-compaction with an oversized item in the turn (/responses/compact)', () => {
  it('sends the item cut within the window; the history keeps it verbatim until it is replaced', async () => {
    h = await startHarness({
      script: scriptWith(() => reply.call('update_plan', { explanation: big('ARGS'), plan: [{ step: 'read it', status: 'in_progress' }] })),
      config: { contextWindow: WINDOW, parallelToolCalls: false },
      server: { contextWindow: WINDOW },
      client: { compact: true },
    });
    const result = await h.agent.runTurn(ASK);
    expect(result).toMatchObject({ reason: 'completed', lastMessage: CONTINUED });

    const finished = eventsOf(h.events, 'compaction_finished');
    expect(finished).toEqual([expect.objectContaining({ reason: 'auto', mode: 'remote' })]);
    const verbatim = finished[0]!.history_before.find((i) => i.type === 'function_call');
    if (verbatim?.type !== 'function_call') throw new Error('no call before the compaction');
    expect(JSON.parse(verbatim.arguments).explanation).toBe(big('ARGS'));

    const compacts = h.server.requests.filter((r) => r.path.endsWith('/responses/compact'));
    expect(compacts).toHaveLength(1);
    const body = compacts[0]!.body as LoggedBody;
    expect(tokensOf(body)).toBeLessThanOrEqual(WINDOW);
    const sent = body.input!.find((i) => i.type === 'function_call');
    if (sent?.type !== 'function_call') throw new Error('the call was not sent');
    expect(sent.call_id).toBe(verbatim.call_id);
    expectCutFrom(sent.arguments, verbatim.arguments);
    expect(body.input!.some((i) => i.type === 'function_call_output' && i.call_id === verbatim.call_id)).toBe(true);
    expect(body.input!.some((i) => i.type === 'message' && i.role === 'user' && messageText(i) === ASK)).toBe(true);
    expect(h.agent.history.items.some((i) => i.type === 'compaction')).toBe(true);
    expect(compactedRequestProblems(h.bodies()).problems).toEqual([]);
  }, 60_000);
});

describe('a 3 MB user message', () => {
  it('is cut for the note and kept in part after it, never lost', async () => {
    const text = big('USER');
    h = await startHarness({
      script: scriptWith(() => reply.text('the message was read without a compaction')),
      config: { contextWindow: WINDOW, capabilities: LOCAL },
      server: { contextWindow: WINDOW },
    });
    // The first request is refused as too long; the compaction follows it.
    const result = await h.agent.runTurn(text);
    expect(result).toMatchObject({ reason: 'completed', lastMessage: CONTINUED });
    expect(eventsOf(h.events, 'compaction_started')).toEqual([expect.objectContaining({ reason: 'overflow', mode: 'local' })]);

    const body = h.bodies().filter(isHandoffBody)[0]!;
    expect(tokensOf(body)).toBeLessThanOrEqual(WINDOW);
    const asked = body.input!.filter((i) => i.type === 'message' && i.role === 'user' && messageText(i).startsWith('BEGIN-USER'));
    expect(asked).toHaveLength(1);
    expectCutFrom(messageText(asked[0]!), text);

    // Codex's rule keeps the user's newest messages within a budget: this one, cut to it.
    const history = h.agent.history.items;
    const kept = history.filter((i) => i.type === 'message' && i.role === 'user' && messageText(i).startsWith('BEGIN-USER'));
    expect(kept).toHaveLength(1);
    expect(messageText(kept[0]!)).toMatch(/\n\[… the rest of this message was cut when the conversation was compacted\]$/);
    expect(messageText(history[history.length - 2]!).startsWith(SUMMARY_OPEN)).toBe(true);
    for (const logged of h.bodies().slice(1)) expect(tokensOf(logged)).toBeLessThanOrEqual(WINDOW);
  }, 60_000);
});

describe('cutting a text', () => {
  it('keeps head and tail around a marker counting what went, within the JSON bytes asked for', () => {
    const text = big('T');
    const cut = cutText(text, 20_000);
    expect(jsonTextBytes(cut)).toBeLessThanOrEqual(20_000);
    expect(jsonTextBytes(cut)).toBeGreaterThan(19_000);
    expectCutFrom(cut, text);
    expect(cutText('short', 100)).toBe('short');
  });

  it('counts escapes, never splits a character, and ends at the bare marker', () => {
    const quoted = '"\\\u0001'.repeat(100_000);
    const cut = cutText(quoted, 4_000);
    expect(jsonTextBytes(cut)).toBeLessThanOrEqual(4_000);
    expect(cut).toMatch(/^("\\\u0001)+"?\\?\n…\d+ tokens truncated…\n/);
    const emoji = '😀é'.repeat(100_000);
    const cutEmoji = cutText(emoji, 3_001);
    expect(jsonTextBytes(cutEmoji)).toBeLessThanOrEqual(3_001);
    expect(cutEmoji).not.toMatch(/\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cutText('x'.repeat(1_000), 5)).toBe('…250 tokens truncated…');
  });
});

describe('cutting an item', () => {
  it('cuts only the text fields; ids, names and opaque content stay', () => {
    const call: ResponseItem = { type: 'function_call', call_id: 'call_1', name: 'update_plan', arguments: big('A', 100_000) };
    const cut = cutItem(call, 8_000);
    expect(itemBytes(cut)).toBeLessThanOrEqual(8_000);
    expect(cut).toMatchObject({ type: 'function_call', call_id: 'call_1', name: 'update_plan' });
    if (cut.type !== 'function_call') throw new Error('type changed');
    expectCutFrom(cut.arguments, call.arguments);
    expect(call.arguments).toBe(big('A', 100_000));

    const reasoning: ResponseItem = {
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: big('R', 50_000) }],
      encrypted_content: 'gAAA' + 'e'.repeat(3_000),
    };
    const cutReasoning = cutItem(reasoning, 8_000);
    expect(cutReasoning).toMatchObject({ encrypted_content: reasoning.encrypted_content });
    expect(itemBytes(cutReasoning)).toBeLessThanOrEqual(8_000);
    const compaction: ResponseItem = { type: 'compaction', encrypted_content: 'c'.repeat(10_000) };
    expect(cutItem(compaction, 100)).toBe(compaction);
  });

  it('never cuts an item of a shape it does not know: which of its fields matter is unknown', () => {
    const audio = {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 't'.repeat(50_000) },
        { type: 'input_audio', data: 'a'.repeat(50_000) },
      ],
    };
    const parts = { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'o'.repeat(50_000) }] };
    const unknown = { type: 'web_search_call', id: 'ws_1', action: { query: 'q'.repeat(50_000) } };
    for (const item of [audio, parts, unknown] as unknown as ResponseItem[]) expect(cutItem(item, 1_000)).toBe(item);
  });

  it('shares the room between the texts of a message and says where an image was left out', () => {
    const message: MessageItem = {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'small part' },
        { type: 'input_image', image_url: `data:image/png;base64,${'A'.repeat(2_000_000)}` },
        { type: 'input_text', text: big('M', 60_000) },
      ],
    };
    const cut = cutItem(message, 10_000) as MessageItem;
    expect(itemBytes(cut)).toBeLessThanOrEqual(10_000);
    expect(cut.content[0]).toEqual({ type: 'input_text', text: 'small part' });
    expect(cut.content[1]).toEqual({ type: 'input_text', text: expect.stringMatching(/^\[an image of about \d+ tokens was left out here\]$/) });
    expectCutFrom((cut.content[2] as { text: string }).text, big('M', 60_000));
  });
});

describe('fitting a compaction input', () => {
  const prefix: ResponseItem[] = [developerMessage('base', '<permissions instructions>…</permissions instructions>')];
  const call: ResponseItem = { type: 'function_call', call_id: 'c1', name: 'update_plan', arguments: big('FIT', 400_000) };
  const output: ResponseItem = { type: 'function_call_output', call_id: 'c1', output: big('OUT', 400_000) };
  const items: ResponseItem[] = [...prefix, userMessage('older ask'), userMessage(ASK), call, output];

  it('cuts the oversized items instead of dropping the turn, and leaves the originals alone', () => {
    const fitted = fitTo(items, 5_000, estimateItemsTokens);
    expect(estimateItemsTokens(fitted)).toBeLessThanOrEqual(5_000);
    expect(fitted.map((i) => i.type)).toEqual(items.map((i) => i.type));
    expect(fitted.slice(0, 3)).toEqual(items.slice(0, 3));
    expectCutFrom((fitted[3] as { arguments: string }).arguments, big('FIT', 400_000));
    expectCutFrom((fitted[4] as { output: string }).output, big('OUT', 400_000));
    // The two share the room about evenly.
    expect(Math.abs(itemBytes(fitted[3]!) - itemBytes(fitted[4]!))).toBeLessThan(200);
    expect((call as { arguments: string }).arguments).toBe(big('FIT', 400_000));
    expect(fitTo(items, 1_000_000, estimateItemsTokens)).toBe(items);
  });

  it('drops older items before cutting below a useful size, and cuts the last one as far as needed', () => {
    // No room for the call and its output at a useful size: they go, together.
    const tight = fitTo(items, estimateItemsTokens(prefix) + 300, estimateItemsTokens);
    expect(estimateItemsTokens(tight)).toBeLessThanOrEqual(estimateItemsTokens(prefix) + 300);
    expect(tight).toEqual(items.slice(0, 3));

    // A huge message that is all that is left is cut to whatever room there is.

    const huge = userMessage(big('LAST', 200_000));
    const alone = fitTo([...prefix, huge], estimateItemsTokens(prefix) + 2_000, estimateItemsTokens);
    expect(alone).toHaveLength(2);
    expect(estimateItemsTokens(alone)).toBeLessThanOrEqual(estimateItemsTokens(prefix) + 2_000);
    expectCutFrom(messageText(alone[1]!), messageText(huge));
  });
});

describe('keeping the user messages after a hand-off note', () => {
  it('keeps a message too big for the budget in part, an image in it said to be left out', () => {
    const message: MessageItem = {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: `see this screenshot: ${'detail '.repeat(20_000)}` },
        { type: 'input_image', image_url: `data:image/png;base64,${'A'.repeat(3_000_000)}` },
      ],
    };
    const rebuilt = rebuildWithSummary([userMessage('older'), message], 'note', 1_000);
    expect(rebuilt).toHaveLength(2);
    expect(messageText(rebuilt[0]!)).toMatch(/^see this screenshot: (detail )+/);
    expect(messageText(rebuilt[0]!)).toMatch(/\n\[… the rest of this message was cut when the conversation was compacted\]$/);
    expect(tokensForBytes(itemBytes(rebuilt[0]!))).toBeLessThanOrEqual(1_000);

    const small: MessageItem = {
      ...message,
      content: [
        { type: 'input_text', text: 'look' },
        { type: 'input_image', image_url: 'https://example.com/a.png' },
      ],
    };
    // An image counts as IMAGE_TOKENS (1 500), whatever its URL: within 2 000 the message stays whole.
    expect(rebuildWithSummary([small], 'note', 2_000)[0]).toBe(small);
  });
});
