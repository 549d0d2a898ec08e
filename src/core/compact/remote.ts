/**
 * Remote compaction through `POST /responses/compact`: the server returns the items to
 * continue from (the user's messages and an opaque `compaction` item).
 */
import { isPrefixContext } from '../context/index';
import { toHistoryItem, type ResponseItem } from '../items';
import { isModelError, type Clock, type ModelClient, type ModelErrorShape, type ToolSpec, type Usage } from '../ports';
import { isRetryable, Retries } from '../retry';
import { asModelError } from '../sampling';
import { modelError } from '../stream';

export interface RemoteDeps {
  model: ModelClient;
  clock: Clock;
  random?: () => number;
  maxRequestRetries?: number;
  onRetry?(attempt: number, delayMs: number, error: ModelErrorShape): void;
}

export interface RemoteRequest {
  model: string;
  input: readonly ResponseItem[];
  tools: readonly ToolSpec[];
}

/**
 * The compacted conversation without its context prefix. Transient failures are retried
 * with backoff; others reject with a ModelError-shaped error (kind `aborted` on abort).
 */
export async function compactRemotely(
  deps: RemoteDeps,
  request: RemoteRequest,
  signal: AbortSignal,
): Promise<{ items: ResponseItem[]; usage?: Usage }> {
  const compact = deps.model.compact?.bind(deps.model);
  if (!compact) throw unsupported();
  const retries = new Retries(deps);
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw aborted();
    let error: ModelErrorShape;
    try {
      const result = await compact({ model: request.model, input: [...request.input], tools: [...request.tools] }, { signal });
      const kept = result.output.map(toHistoryItem).filter((item) => !isPrefixContext(item));
      if (kept.length === 0) throw modelError('server', 'The compact endpoint returned nothing to continue from.', isRetryable({ kind: 'server' }));
      return { items: kept, ...(result.usage ? { usage: result.usage } : {}) };
    } catch (err) {
      if (signal.aborted) throw aborted();
      error = isModelError(err) ? err : asModelError(err);
    }
    const delay = error.kind === 'aborted' ? undefined : retries.next(error, 'request');
    if (delay === undefined) throw error;
    deps.onRetry?.(attempt, delay, error);
    try {
      await deps.clock.sleep(delay, signal);
    } catch {
      throw aborted();
    }
  }
}

/**
 * Whether a failure means the server has no compact endpoint (404, 405, 501), so local
 * compaction should be used from now on.
 */
export function isUnsupported(error: ModelErrorShape): boolean {
  return error.kind === 'not_found' || error.status === 404 || error.status === 405 || error.status === 501;
}

function unsupported(): ModelErrorShape {
  return modelError('not_found', 'This model client has no compact endpoint.', isRetryable({ kind: 'not_found' }));
}

function aborted(): ModelErrorShape {
  return modelError('aborted', 'The compaction was interrupted.', isRetryable({ kind: 'aborted' }));
}
