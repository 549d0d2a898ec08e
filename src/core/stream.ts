/**
 * Folds one response's SSE events into finished items, live events and the outcome.
 * Items are taken from `output_item.done` (never `.added`); `response.completed` ends it.
 */
import type { AgentEvent } from './events';
import type { ResponseItem } from './items';
import { delayFromMessage, failureKind } from './failures';
import type { ModelErrorKind, ModelErrorShape, StreamEvent, Usage } from './ports';
import { isRetryable } from './retry';

export type RoundOutcome =
  { status: 'streaming' } | { status: 'completed'; responseId: string; usage: Usage } | { status: 'failed'; error: ModelErrorShape };

export class RoundFolder {
  readonly round: number;
  responseId = '';
  /** Finished items by output index. */
  readonly done = new Map<number, ResponseItem>();
  outcome: RoundOutcome = { status: 'streaming' };
  /** Whether any event arrived (a retry after this point re-streams visible output). */
  started = false;

  constructor(round: number) {
    this.round = round;
  }

  /** Folds one event; returns the AgentEvents it produces (possibly none). */
  push(event: StreamEvent): AgentEvent[] {
    this.started = true;
    const round = this.round;
    const e = event as Record<string, unknown>;
    switch (event.type) {
      case 'response.created': {
        this.responseId = String((e.response as { id?: unknown } | undefined)?.id ?? '');
        return [{ type: 'response_created', round, response_id: this.responseId }];
      }
      case 'response.output_item.added':
        if (!isObject(e.item)) return [];
        return [{ type: 'output_item_added', round, output_index: num(e.output_index), item: e.item as ResponseItem }];
      case 'response.output_text.delta':
        return [{ type: 'text_delta', round, output_index: num(e.output_index), delta: str(e.delta) }];
      case 'response.reasoning_summary_text.delta':
        return [
          { type: 'reasoning_summary_delta', round, output_index: num(e.output_index), summary_index: num(e.summary_index), delta: str(e.delta) },
        ];
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta':
        return [{ type: 'tool_input_delta', round, output_index: num(e.output_index), delta: str(e.delta) }];
      case 'response.output_item.done': {
        // Any object is kept, understood or not (see `toHistoryItem`); anything else is noise.
        if (!isObject(e.item)) return [];
        const item = e.item as ResponseItem;
        const index = num(e.output_index, this.done.size);
        this.done.set(index, item);
        return [{ type: 'output_item_done', round, output_index: index, item }];
      }
      case 'response.completed': {
        const response = (e.response ?? {}) as { id?: string; output?: ResponseItem[]; usage?: unknown };
        if (response.id) this.responseId = response.id;
        // Servers that skip output_item.done still list the output here; it is reported as
        // finished like any other, so listeners show it.
        const finished: AgentEvent[] = [];
        if (this.done.size === 0 && Array.isArray(response.output)) {
          response.output.forEach((item, i) => {
            if (!isObject(item)) return;
            this.done.set(i, item);
            finished.push({ type: 'output_item_done', round, output_index: i, item });
          });
        }
        const usage = readUsage(response.usage);
        this.outcome = { status: 'completed', responseId: this.responseId, usage };
        return [...finished, { type: 'response_completed', round, response_id: this.responseId, usage }];
      }
      case 'response.failed': {
        const error = ((e.response as { error?: unknown } | undefined)?.error ?? {}) as { code?: string; message?: string };
        this.outcome = { status: 'failed', error: failureError(error.code, error.message) };
        return [];
      }
      case 'response.incomplete': {
        const reason = (e.response as { incomplete_details?: { reason?: string } } | undefined)?.incomplete_details?.reason;
        this.outcome = {
          status: 'failed',
          error: modelError(
            'incomplete',
            `The response stopped early (${reason ?? 'no reason given'}).`,
            isRetryable({ kind: 'incomplete' }),
            reason,
          ),
        };
        return [];
      }
      case 'error': {
        this.outcome = { status: 'failed', error: failureError(e.code as string | undefined, e.message as string | undefined) };
        return [];
      }
      default:
        return [];
    }
  }

  /** The finished items in output order. */
  items(): ResponseItem[] {
    return [...this.done.entries()].sort((a, b) => a[0] - b[0]).map(([, item]) => item);
  }
}

function readUsage(raw: unknown): Usage {
  const u = (raw ?? {}) as {
    input_tokens?: number;
    output_tokens?: number;
    total_tokens?: number;
    input_tokens_details?: { cached_tokens?: number };
    output_tokens_details?: { reasoning_tokens?: number };
  };
  const input = u.input_tokens ?? 0;
  const output = u.output_tokens ?? 0;
  return {
    input_tokens: input,
    cached_tokens: u.input_tokens_details?.cached_tokens ?? 0,
    output_tokens: output,
    reasoning_tokens: u.output_tokens_details?.reasoning_tokens ?? 0,
    total_tokens: u.total_tokens ?? input + output,
  };
}

/** A ModelError for a `response.failed` / `error` event's code. */
export function failureError(code: string | undefined, message: string | undefined): ModelErrorShape {
  const kind = failureKind(code, message);
  const error = modelError(kind, message || `The model reported a failure${code ? ` (${code})` : ''}.`, isRetryable({ kind, code }), code);
  const delay = delayFromMessage(message);
  if (delay !== undefined) error.retryAfterMs = delay;
  return error;
}

/** A ModelError-shaped failure. `retryable` is to be the retry rule's answer for it (`isRetryable`). */
export function modelError(kind: ModelErrorKind, message: string, retryable: boolean, code?: string): ModelErrorShape {
  return { name: 'ModelError', kind, message, retryable, ...(code ? { code } : {}) };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
