/**
 * One sampling round: send the request, fold the stream, and try again after a failure for as
 * long as the retry rule (retry.ts) allows, waiting as long as it says.
 */
import type { AgentEvent, ErrorInfo } from './events';
import type { ResponseItem } from './items';
import { isModelError, type Clock, type ModelClient, type ModelErrorShape, type ResponsesRequest, type Usage } from './ports';
import { isRetryable, Retries, type RetryLimits } from './retry';
import { modelError, RoundFolder } from './stream';

export type RoundResult =
  | { status: 'completed'; items: ResponseItem[]; usage: Usage; responseId: string }
  /** The signal aborted; `items` are the ones that finished before it did. */
  | { status: 'aborted'; items: ResponseItem[] }
  | { status: 'failed'; error: ModelErrorShape };

export interface SamplingDeps extends RetryLimits {
  model: ModelClient;
  clock: Clock;
  emit(event: AgentEvent): void;
}

export async function sampleRound(deps: SamplingDeps, request: ResponsesRequest, round: number, signal: AbortSignal): Promise<RoundResult> {
  const retries = new Retries(deps);
  for (let attempt = 1; ; attempt++) {
    const folder = new RoundFolder(round);
    deps.emit({ type: 'request_started', round, attempt, request });
    let error: ModelErrorShape;
    try {
      for await (const event of deps.model.stream(request, { signal })) {
        for (const out of folder.push(event)) deps.emit(out);
        if (folder.outcome.status !== 'streaming') break;
      }
      const outcome = folder.outcome;
      if (outcome.status === 'completed') {
        return { status: 'completed', items: folder.items(), usage: outcome.usage, responseId: outcome.responseId };
      }
      error =
        outcome.status === 'failed'
          ? outcome.error
          : modelError('stream', 'The stream ended before the response completed.', isRetryable({ kind: 'stream' }));
    } catch (err) {
      if (signal.aborted) return { status: 'aborted', items: folder.items() };
      error = asModelError(err);
    }
    if (signal.aborted) return { status: 'aborted', items: folder.items() };
    if (error.kind === 'aborted') return { status: 'aborted', items: folder.items() };

    const delay = retries.next(error, folder.started ? 'stream' : 'request');
    if (delay === undefined) return { status: 'failed', error };
    deps.emit({ type: 'round_retry', round, attempt, delay_ms: delay, error: errorInfo(error) });
    try {
      await deps.clock.sleep(delay, signal);
    } catch {
      return { status: 'aborted', items: [] };
    }
  }
}

/** What a thrown value stands for: itself when it is a ModelError, else an unclassified failure. */
export function asModelError(err: unknown): ModelErrorShape {
  if (isModelError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return modelError('stream', `The model request failed: ${message}`, isRetryable({ kind: 'stream', unclassified: true }));
}

export function errorInfo(error: ModelErrorShape): ErrorInfo {
  return {
    kind: error.kind,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code ? { code: error.code } : {}),
    ...(error.body ? { body: error.body } : {}),
  };
}
