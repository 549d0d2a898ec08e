/** Folds one response's events into a collapsed event log and its timing figures. */
import type { AgentEvent } from '../../core/events';
import type { ResponseItem } from '../../core/items';
import type { Usage } from '../../core/ports';
import { itemLabel } from './labels';
import type { ResponseEventEntry, ResponseEventType, RoundResponse } from './types';

export type ResponseEvent = Extract<AgentEvent, { type: ResponseEventType }>;

const RESPONSE_TYPES = new Set<string>([
  'response_created',
  'output_item_added',
  'text_delta',
  'reasoning_summary_delta',
  'tool_input_delta',
  'output_item_done',
  'response_completed',
]);

export function isResponseEvent(event: AgentEvent): event is ResponseEvent {
  return RESPONSE_TYPES.has(event.type);
}

export function emptyResponse(): RoundResponse {
  return {
    status: 'streaming',
    responseId: null,
    events: [],
    output: [],
    ttftMs: null,
    durationMs: null,
    outputTokens: null,
    tokensPerSecond: null,
    usage: null,
  };
}

/**
 * Adds `event`, `t` ms after the request started. A delta continues the last entry when that
 * is a delta of the same type for the same output item (and summary part); `copy` makes the
 * stored output item.
 */
export function recordResponseEvent(response: RoundResponse, event: ResponseEvent, t: number, copy: (item: ResponseItem) => ResponseItem): void {
  const events = response.events;
  switch (event.type) {
    case 'text_delta':
    case 'reasoning_summary_delta':
    case 'tool_input_delta': {
      if (response.ttftMs === null) response.ttftMs = t;
      const last = events[events.length - 1];
      const key = event.type === 'reasoning_summary_delta' ? `${event.output_index}:${event.summary_index}` : `${event.output_index}`;
      if (last && last.type === event.type && runKeys.get(last) === key) {
        last.count++;
        last.chars += event.delta.length;
        last.tEnd = t;
        return;
      }
      const entry: ResponseEventEntry = { type: event.type, t, tEnd: t, count: 1, chars: event.delta.length, outputIndex: event.output_index };
      runKeys.set(entry, key);
      events.push(entry);
      return;
    }
    case 'response_created':
      response.responseId = event.response_id;
      events.push({ type: event.type, t, tEnd: t, count: 1, chars: 0, detail: event.response_id });
      return;
    case 'output_item_added':
      events.push({ type: event.type, t, tEnd: t, count: 1, chars: 0, outputIndex: event.output_index, detail: itemLabel(event.item).label });
      return;
    case 'output_item_done':
      events.push({ type: event.type, t, tEnd: t, count: 1, chars: 0, outputIndex: event.output_index, detail: itemLabel(event.item).label });
      response.output?.push(copy(event.item));
      return;
    case 'response_completed':
      events.push({ type: event.type, t, tEnd: t, count: 1, chars: 0 });
      complete(response, event.usage, t);
      return;
  }
}

// Which output item (and summary part) a delta run belongs to, kept off the plain entries.
const runKeys = new WeakMap<ResponseEventEntry, string>();

function complete(response: RoundResponse, usage: Usage, t: number): void {
  response.status = 'completed';
  response.durationMs = t;
  // A server that reports no usage sends none or zeros: that is "not known", not 0 tokens.
  const reported = usage.input_tokens > 0 || usage.output_tokens > 0;
  response.usage = reported ? { ...usage } : null;
  response.outputTokens = reported ? usage.output_tokens : null;
  const generating = response.ttftMs === null ? t : t - response.ttftMs;
  response.tokensPerSecond = reported && generating > 0 ? usage.output_tokens / (generating / 1000) : null;
}
