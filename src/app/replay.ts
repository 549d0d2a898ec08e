/**
 * Replay: a stored conversation walked round by round without calling any model. A round is
 * one model response (its output items) with the tool outputs that answered it; the request
 * that produced it is everything before. The Inspector follows by being fed the events the
 * live loop would have sent, rebuilt from the items (no timings, no usage: those are not
 * stored with a session; nor are the model, tools and settings, which the rebuilt requests omit).
 */
import type { AgentEvent } from '../core/events';
import { answeredCallId, isOtherItem, isToolCall, isToolOutput, type ResponseItem } from '../core/items';
import type { ResponsesRequest } from '../core/ports';
import { InspectorTimeline } from './inspector/timeline';

export interface ReplayRound {
  /** Items before the model's response: its request's input. */
  inputEnd: number;
  /** Items up to the end of the round (its outputs and the tool outputs that followed). */
  end: number;
}

/** The rounds of `items`: a new round starts at each run of model output after some input. */
export function replayRounds(items: readonly ResponseItem[]): ReplayRound[] {
  const rounds: ReplayRound[] = [];
  let i = 0;
  while (i < items.length) {
    while (i < items.length && !isModelOutput(items[i]!)) i++;
    if (i >= items.length) break;
    const inputEnd = i;
    while (i < items.length && isModelOutput(items[i]!)) i++;
    while (i < items.length && isToolOutput(items[i]!)) i++;
    rounds.push({ inputEnd, end: i });
  }
  return rounds;
}

function isModelOutput(item: ResponseItem): boolean {
  // Items kept verbatim come from the model too (a hosted tool's call), unless they read as
  // a tool output or someone else's message.
  if (isOtherItem(item)) return answeredCallId(item) === undefined && (item.type !== 'message' || item.role === 'assistant');
  return (item.type === 'message' && item.role === 'assistant') || item.type === 'reasoning' || isToolCall(item);
}

/** How a stored tool call ended (see `ToolRecord`), when the log says. */
export interface StoredToolResult {
  status: 'ok' | 'failed';
  exit_code?: number;
  ms?: number;
}

/**
 * Records, for each of `rounds` of `items`, the events the live loop sent for it: the request
 * (its input exactly as stored; the model, tools and settings sent with it were not stored),
 * the output items, and the tool runs with how they ended when `tools` knows.
 */
export function feedRounds(
  record: (event: AgentEvent) => void,
  items: readonly ResponseItem[],
  rounds: readonly ReplayRound[],
  tools: ReadonlyMap<string, StoredToolResult> = new Map(),
): void {
  rounds.forEach((round, k) => {
    const request = { input: items.slice(0, round.inputEnd) } as unknown as ResponsesRequest;
    record({ type: 'request_started', round: k + 1, attempt: 1, request });
    const outputs = items.slice(round.inputEnd, round.end);
    outputs.forEach((item, index) => {
      if (isToolOutput(item)) return;
      record({ type: 'output_item_added', round: k + 1, output_index: index, item });
      record({ type: 'output_item_done', round: k + 1, output_index: index, item });
    });
    record({
      type: 'response_completed',
      round: k + 1,
      response_id: '',
      usage: { input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 },
    });
    for (const item of outputs) {
      if (!isToolCall(item)) continue;
      const output = outputs.find((o) => isToolOutput(o) && o.call_id === item.call_id);
      record({ type: 'tool_started', call: item, name: item.name });
      if (!output || !isToolOutput(output)) continue;
      const stored = tools.get(item.call_id);
      record({
        type: 'tool_finished',
        call_id: item.call_id,
        output: output.output,
        success: stored ? stored.status === 'ok' : true,
        duration_ms: stored?.ms ?? 0,
        ...(stored?.exit_code !== undefined ? { exit_code: stored.exit_code } : {}),
      });
    }
  });
}

/** A timeline of rounds 1…`upTo` (1-based), as the Inspector shows it. */
export function replayTimeline(items: readonly ResponseItem[], upTo: number, secrets: () => readonly string[]): InspectorTimeline {
  const timeline = new InspectorTimeline({ secrets });
  timeline.rebuild('replay', (record) => feedRounds(record, items, replayRounds(items).slice(0, upTo)));
  return timeline;
}
