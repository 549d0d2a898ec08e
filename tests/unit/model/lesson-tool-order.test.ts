/**
 * Lesson 6 through the engine: the app reverses the tools of the turn's second request; the
 * scripted server's prompt cache misses from the tool list on for that request and the next,
 * and the conversation's tool list itself never changes.
 */
import { afterEach, expect, it } from 'vitest';
import { messageText, type MessageItem } from '../../../src/core/items';
import { lessons, TOOL_ORDER_PROMPT } from '../../../src/model/scripted/lessons/index';
import { TOOL_ORDER_REVERSED_REQUEST } from '../../../src/model/scripted/lessons/tool-order-prompt';
import { eventsOf, startHarness, type Harness } from '../../support/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('lesson 6: one request lists the tools in reverse; the Inspector figures show the cache missing from there', async () => {
  h = await startHarness({ script: lessons['tool-order']!, config: { approvalPolicy: 'never' } });
  h.agent.tools.reverseAt(TOOL_ORDER_REVERSED_REQUEST);
  const result = await h.agent.runTurn(TOOL_ORDER_PROMPT);
  expect(result.reason).toBe('completed');
  const names = h.bodies().map((b) => (b.tools as { name?: string; type: string }[]).map((t) => t.name ?? t.type));
  expect(names).toHaveLength(3);
  expect(names[1]).toEqual([...names[0]!].reverse());
  expect(names[2]).toEqual(names[0]);
  const stats = eventsOf(h.events, 'request_stats');
  // Requests 2 and 3 share with their predecessor only what comes before the tools.
  expect(stats[1]!.prefix_bytes).toBeLessThan(200);
  expect(stats[2]!.prefix_bytes).toBeLessThan(200);
  expect(stats[1]!.cached_tokens).toBeLessThan(50);
  const outputs = h.agent.history.items.filter((i) => i.type === 'function_call_output').map((i) => (i as { output: string }).output);
  expect(outputs[1]).toContain('request 2: the same tools, listed in reverse');
  expect(messageText(h.agent.history.items.at(-1) as MessageItem)).toMatch(/same tools in reverse order/);

  // The next turn is back to the usual order, and reuses the whole previous request.
  await h.agent.runTurn('thanks');
  const last = eventsOf(h.events, 'request_stats').at(-1)!;
  expect(last.prefix_bytes).toBeGreaterThan(stats[2]!.request_bytes - 10);
});
