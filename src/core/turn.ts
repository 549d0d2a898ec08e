/**
 * The turn driver: records the input (compacting first when it would not fit), then rounds of
 * sample → run tool calls → sample … until a response without tool calls. Between rounds it
 * compacts a history over the limit, drops a feature the server refused, and compacts once
 * after a context overflow.
 */
import { cacheText, type PrefixTracker } from './cache-stats';
import { stillTooLong, type CompactionOutcome } from './compact';
import { hasContext } from './context/index';
import type { TurnContext } from './context/turn-context';
import type { CompactionReason, ErrorInfo, TurnEndReason, TurnUsage } from './events';
import { pendingCalls } from './history';
import { callRef, messageText, outputFor, userMessage, type ContentPart, type MessageItem } from './items';
import type { ResponsesRequest, UnsupportedFeature, Usage } from './ports';
import { requestBytes } from './request-size';
import { errorInfo, sampleRound, type SamplingDeps } from './sampling';
import { estimateItemsTokens, type TokenMeter } from './tokens';
import { runToolCalls, type ToolCallHost } from './tool-calls';
import { ABORTED_BEFORE_START } from './tools/dispatch';
import { sumUsage } from './usage-total';

export interface TurnResult {
  reason: TurnEndReason;
  usage: TurnUsage;
  lastMessage?: string;
  error?: ErrorInfo;
}

export const TURN_ABORTED_TEXT =
  '<turn_aborted>\nThe user interrupted the previous turn. Tool calls that were cut short are marked "aborted". ' +
  'Do not resume that work unless the user asks for it.\n</turn_aborted>';

/** What a turn needs from the agent that owns the conversation. */
export interface TurnHost extends ToolCallHost {
  readonly context: TurnContext;
  readonly prefix: PrefixTracker;
  readonly meter: TokenMeter;
  /** Input typed while the turn runs; the turn takes it before each request. */
  readonly queued: MessageItem[];
  /** The model, the clock retries wait on and the retry limits. */
  readonly sampling: SamplingDeps;
  /** The next request as the history stands, before the round picks its tools. */
  request(): ResponsesRequest;
  /** The next request's estimated tokens. */
  usedTokens(): number;
  /** Where automatic compaction starts. */
  limit(): number;
  /** Runs a compaction; a turn's compactions count in its `usage`. */
  compact(reason: CompactionReason, signal: AbortSignal, usage?: TurnUsage): Promise<CompactionOutcome>;
  /** Leaves a refused feature out; false when it was not being sent. */
  drop(feature: UnsupportedFeature): boolean;
  emitTokenStatus(): void;
}

/**
 * Runs one turn. `input` null adds no message (a failed turn is retried that way). Emits
 * `turn_started` … `turn_ended` and never rejects: a bug ends the turn `failed` with the
 * history repaired, so the next turn can still run.
 */
export async function driveTurn(host: TurnHost, input: string | ContentPart[] | null, turnId: string, signal: AbortSignal): Promise<TurnResult> {
  const { history } = host;
  const usage: TurnUsage = { input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0, requests: 0 };
  const end = (reason: TurnEndReason, extra: Partial<TurnResult> = {}): TurnResult => {
    const result: TurnResult = { reason, usage, ...extra };
    host.emit({
      type: 'turn_ended',
      turn_id: turnId,
      reason,
      usage,
      ...(result.lastMessage !== undefined ? { last_message: result.lastMessage } : {}),
      ...(result.error ? { error: result.error } : {}),
    });
    return result;
  };
  const abort = (): TurnResult => {
    closePendingCalls(host);
    for (const queued of host.queued.splice(0)) history.append(queued);
    history.append(userMessage(TURN_ABORTED_TEXT));
    return end('aborted');
  };
  try {
    const added = input === null ? [] : [toUserMessage(input)];
    host.emit({ type: 'turn_started', turn_id: turnId, input: added });
    // Compacting before the user's message is recorded keeps it whole after the summary.
    let compacted: CompactionOutcome | undefined;
    if (!signal.aborted && host.usedTokens() + estimateItemsTokens(added) >= host.limit()) {
      compacted = await host.compact('auto', signal, usage);
    }
    const starting = !hasContext(history.items);
    if (starting) host.tools.applyFor('start', true);
    const context = await host.context.before(history.items);
    // Recorded even when the turn is already interrupted: the context must stay first in
    // history and the model should see what the user asked before the abort marker.
    for (const item of context) history.append(item);
    for (const item of added) history.append(item);
    // Skills the person named with `$name` follow their message, as Codex hands them over.
    for (const text of await host.context.mentions(added.map(messageText).join('\n'))) {
      history.append(userMessage(text));
    }
    if (signal.aborted) return abort();
    if (compacted?.status === 'failed') return end('failed', { error: compacted.error });
    host.emitTokenStatus();

    let overflowCompacted = false;
    // A compaction that could not get below the limit is not repeated in this turn.
    let futile = compacted?.status === 'completed' && compacted.tokens_after >= host.limit();
    for (let round = 1; ; round++) {
      for (const queued of host.queued.splice(0)) history.append(queued);
      // At most one automatic compaction per request: a history that is still over the
      // limit afterwards is sent as it is (the server decides whether it fits).
      if (compacted === undefined && !futile && host.usedTokens() >= host.limit()) {
        compacted = await host.compact('auto', signal, usage);
        futile = compacted.status === 'completed' && compacted.tokens_after >= host.limit();
        if (compacted.status === 'aborted' || signal.aborted) return abort();
        if (compacted.status === 'failed') return end('failed', { error: compacted.error });
      }
      const request = { ...host.request(), tools: host.tools.specsForRound(round) };
      if ((await host.stepper.gate({ kind: 'request', round, request }, signal)) === 'stop') return abort();
      const sample = host.prefix.next(cacheText(request));
      const result = await sampleRound(host.sampling, request, round, signal);
      if (result.status === 'aborted') {
        for (const item of result.items) history.append(item);
        return abort();
      }
      if (result.status === 'failed') {
        const feature = result.error.unsupported;
        if (feature && host.drop(feature)) {
          host.emit({ type: 'capability_dropped', round, feature, error: errorInfo(result.error) });
          continue;
        }
        if (result.error.kind !== 'context_overflow') return end('failed', { error: errorInfo(result.error) });
        // Compact and resend once; a second overflow in a row is reported.
        if (overflowCompacted) return end('failed', { error: stillTooLong(result.error) });
        overflowCompacted = true;
        const outcome = await host.compact('overflow', signal, usage);
        if (outcome.status === 'aborted' || signal.aborted) return abort();
        if (outcome.status === 'failed') return end('failed', { error: outcome.error });
        if (outcome.status === 'skipped') return end('failed', { error: stillTooLong(result.error) });
        compacted = outcome;
        continue;
      }
      overflowCompacted = false;
      compacted = undefined;
      addUsage(usage, result.usage);
      host.emit({
        type: 'request_stats',
        round,
        request_bytes: requestBytes(request),
        prefix_bytes: sample.prefixBytes,
        input_tokens: result.usage.input_tokens,
        cached_tokens: result.usage.cached_tokens,
      });
      for (const item of result.items) history.append(item);
      host.meter.observe(result.usage, history.length);
      host.emitTokenStatus();
      // Calls kept verbatim because they cannot run still count: each gets an output.
      const calls = result.items.filter((item) => callRef(item) !== undefined);
      if (calls.length === 0 && host.queued.length === 0) {
        const last = [...result.items].reverse().find((i) => i.type === 'message' && i.role === 'assistant');
        return end('completed', last ? { lastMessage: messageText(last) } : {});
      }
      if (!(await runToolCalls(host, calls, signal))) return abort();
    }
  } catch (err) {
    // Only a bug reaches here; the history is repaired so the next turn can still run.
    closePendingCalls(host);
    return end('failed', { error: { kind: 'internal', message: (err as Error)?.message ?? String(err) } });
  }
}

/** Every call still without an output gets "aborted", keeping the pairing invariant. */
function closePendingCalls(host: TurnHost): void {
  for (const call of pendingCalls(host.history.items)) host.history.append(outputFor(call, ABORTED_BEFORE_START));
}

export function toUserMessage(input: string | ContentPart[]): MessageItem {
  return typeof input === 'string' ? userMessage(input) : { type: 'message', role: 'user', content: input };
}

/** Adds one request's usage to the turn's, in place. */
export function addUsage(total: TurnUsage, usage: Usage): void {
  Object.assign(total, sumUsage(total, { ...usage, requests: 1 }));
}
