/**
 * The scripted model as a `fetch` function, for the `openai` SDK's `fetch` option (or any
 * client that takes one): no network, real SSE bytes, the same routes and faults as the
 * Node server. Browser-safe.
 */
import { abortableSleep } from '../../core/ports';
import { ScriptedModel } from './engine';
import type { FaultQueue } from './faults';
import { handleRequest, playFrames, type Outcome, type Played, type RouteOptions } from './routes';
import type { Script } from './types';

export interface ScriptedFetchOptions extends RouteOptions {
  /** Pause between events so the stream feels live. Default 8 ms; 0 sends everything at once. */
  eventDelayMs?: number;
}

export type ScriptedFetch = ((input: RequestInfo | URL, init?: RequestInit) => Promise<Response>) & {
  readonly model: ScriptedModel;
  readonly faults: FaultQueue | undefined;
};

const encoder = new TextEncoder();

export function createScriptedFetch(model: ScriptedModel | Script, options: ScriptedFetchOptions = {}): ScriptedFetch {
  const engine = model instanceof ScriptedModel ? model : new ScriptedModel(model);
  const delayMs = options.eventDelayMs ?? 8;

  const scriptedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    throwIfAborted(signal);
    const request = await readRequest(input, init);
    const outcome = await handleRequest(engine, request, options);
    throwIfAborted(signal);
    return toResponse(outcome, delayMs, signal ?? undefined);
  };
  return Object.assign(scriptedFetch, { model: engine, faults: options.faults });
}

async function readRequest(input: RequestInfo | URL, init: RequestInit | undefined) {
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const url = new URL(isRequest ? input.url : String(input), 'http://scripted.invalid');
  const headers: Record<string, string> = {};
  const merged = new Headers(isRequest ? input.headers : undefined);
  new Headers(init?.headers).forEach((value, key) => merged.set(key, value));
  merged.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  let bodyText = '';
  if (init?.body !== undefined && init.body !== null) bodyText = await new Response(init.body).text();
  else if (isRequest) bodyText = await input.clone().text();
  const method = init?.method ?? (isRequest ? input.method : 'GET');
  return { method, path: url.pathname, headers, bodyText };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function throwIfAborted(signal: AbortSignal | null | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

async function toResponse(outcome: Outcome, delayMs: number, signal: AbortSignal | undefined): Promise<Response> {
  if (outcome.kind === 'empty') return new Response(null, { status: outcome.status, headers: outcome.headers });
  if (outcome.kind === 'json') {
    if (outcome.stallMs) await abortableSleep(outcome.stallMs, signal, abortReason);
    if (outcome.destroy) throw new TypeError('Failed to fetch: the scripted connection was dropped');
    return new Response(outcome.body, { status: outcome.status, headers: outcome.headers });
  }

  // Pull-driven, so events before a cut are read before the error arrives, as on a network.
  const stop = new AbortController();
  const frames = playFrames(outcome, delayMs, (ms) => abortableSleep(ms, stop.signal, abortReason));
  let frameNumber = 0;
  let onAbort: (() => void) | undefined;
  const release = () => {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          stop.abort();
          try {
            controller.error(abortReason(signal as AbortSignal));
          } catch {
            // Already closed or errored.
          }
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        let next: IteratorResult<Played>;
        try {
          next = await frames.next();
        } catch (err) {
          release();
          if (!stop.signal.aborted) controller.error(err);
          return;
        }
        if (stop.signal.aborted) return;
        if (next.done) {
          release();
          controller.close();
        } else if ('cut' in next.value) {
          release();
          if (next.value.cut === 'destroy') controller.error(new TypeError('network error: the scripted stream was cut'));
          else controller.close();
        } else {
          // Split some frames in two, as a network would, so clients must reassemble events.
          for (const chunk of splitBytes(encoder.encode(next.value.frame), frameNumber++)) controller.enqueue(chunk);
        }
      },
      cancel() {
        release();
        stop.abort();
        void frames.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: outcome.status, headers: outcome.headers });
}

function splitBytes(bytes: Uint8Array, index: number): Uint8Array[] {
  if (index % 3 !== 1 || bytes.length < 8) return [bytes];
  const at = Math.floor(bytes.length * 0.6);
  return [bytes.subarray(0, at), bytes.subarray(at)];
}
