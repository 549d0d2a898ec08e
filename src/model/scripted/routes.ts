/**
 * The HTTP behaviour both faces share (fetch in the browser, node:http in Node): routing,
 * key checks and fault injection produce an `Outcome`; `playFrames` paces an SSE outcome.
 * Browser-safe.
 */
import type { ScriptedModel } from './engine';
import { sseFrame } from './encode';
import { defaultErrorBody, errorBody, ScriptedHttpError } from './errors';
import { isCutFault, isFailFault, isMalformedFault, isStallFault, isStatusFault, type Fault, type FaultQueue, type FaultRoute } from './faults';
import { reply } from './build';
import { quirkRefusal, shapeErrorBody, type EndpointQuirks } from './quirks';

export interface RouteOptions {
  faults?: FaultQueue;
  /** When set, every non-preflight request must carry `Authorization: Bearer <requireKey>`. */
  requireKey?: string;
  /** `false`: `/responses/compact` does not exist (404), as on most non-OpenAI servers. */
  compactEndpoint?: boolean;
  /** Refusals, error shapes and stream endings of other servers (see quirks.ts). */
  quirks?: EndpointQuirks;
}

export interface IncomingRequest {
  method: string;
  /** URL path without query string. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  bodyText: string;
}

/** Delays and breakage applied while the body is sent. */
export interface Delivery {
  cut?: { afterEvents: number; mode: 'destroy' | 'end' };
  stall?: { afterEvents: number; ms: number };
}

export type Outcome =
  | { kind: 'json'; status: number; headers: Record<string, string>; body: string; stallMs?: number; destroy?: boolean }
  | { kind: 'sse'; status: 200; headers: Record<string, string>; frames: string[]; delivery: Delivery }
  | { kind: 'empty'; status: 204; headers: Record<string, string> };

type Route = FaultRoute | 'models';

function routeOf(path: string): Route | undefined {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed.endsWith('/responses/compact')) return 'compact';
  if (trimmed.endsWith('/responses')) return 'responses';
  if (trimmed.endsWith('/models')) return 'models';
  return undefined;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Outcome & { kind: 'json' } {
  return {
    kind: 'json',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

let requestCounter = 0;
function requestId(): string {
  requestCounter = (requestCounter + 1) % 1_000_000_000;
  return `req_scripted_${requestCounter.toString().padStart(9, '0')}`;
}

export async function handleRequest(model: ScriptedModel, req: IncomingRequest, options: RouteOptions): Promise<Outcome> {
  const method = req.method.toUpperCase();
  if (method === 'OPTIONS') return { kind: 'empty', status: 204, headers: {} };
  const outcome = await route(model, method, req, options);
  outcome.headers['x-request-id'] = requestId();
  const shape = options.quirks?.errorShape;
  if (shape && shape !== 'openai' && outcome.kind === 'json' && outcome.status >= 400) {
    try {
      const shaped = shapeErrorBody(outcome.status, JSON.parse(outcome.body), shape);
      outcome.body = shaped.text;
      outcome.headers['content-type'] = shaped.contentType;
    } catch {
      // a body that is not OpenAI-shaped JSON stays as it is
    }
  }
  return outcome;
}

async function route(model: ScriptedModel, method: string, req: IncomingRequest, options: RouteOptions): Promise<Outcome> {
  const found = routeOf(req.path);
  const where = found === 'compact' && options.compactEndpoint === false ? undefined : found;
  if (!where) return json(404, errorBody(`Invalid URL (${method} ${req.path})`, 'invalid_request_error'));
  const wanted = where === 'models' ? 'GET' : 'POST';
  if (method !== wanted) return json(405, errorBody(`Method ${method} not allowed on ${req.path}`, 'invalid_request_error'));

  if (options.requireKey !== undefined) {
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (given !== options.requireKey) {
      const shown = given ? `${given.slice(0, 3)}***${given.slice(-4)}` : '(none)';
      return json(401, errorBody(`Incorrect API key provided: ${shown}.`, 'invalid_request_error', 'invalid_api_key'));
    }
  }
  if (where === 'models') return json(200, model.listModels());

  const fault = options.faults?.take(where);
  if (fault && isStatusFault(fault)) {
    const headers: Record<string, string> = { ...fault.headers };
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    return json(fault.status, fault.body ?? defaultErrorBody(fault.status), headers);
  }

  let body: unknown;
  try {
    body = JSON.parse(req.bodyText);
  } catch {
    return json(400, errorBody('We could not parse the JSON body of your request.', 'invalid_request_error'));
  }

  const refused = options.quirks ? quirkRefusal(body, options.quirks) : undefined;
  if (refused) return json(400, errorBody(refused, 'invalid_request_error'));

  try {
    return where === 'compact'
      ? compactOutcome(model, body, fault)
      : await responsesOutcome(model, body, fault, options.quirks?.noCompleted === true);
  } catch (err) {
    if (err instanceof ScriptedHttpError) return json(err.status, err.body);
    throw err;
  }
}

function compactOutcome(model: ScriptedModel, body: unknown, fault: Fault | undefined): Outcome {
  if (fault && isFailFault(fault)) {
    return json(500, errorBody(fault.failWith.message, 'server_error', fault.failWith.code));
  }
  const out = json(200, model.compact(body));
  if (fault && isMalformedFault(fault)) out.body = out.body.slice(0, Math.max(1, Math.floor(out.body.length / 2)));
  if (fault && isStallFault(fault)) out.stallMs = fault.stallMs;
  if (fault && isCutFault(fault)) out.destroy = true;
  return out;
}

async function responsesOutcome(model: ScriptedModel, body: unknown, fault: Fault | undefined, noCompleted: boolean): Promise<Outcome> {
  const forced = fault && isFailFault(fault) ? [reply.fail(fault.failWith.code, fault.failWith.message)] : undefined;
  const result = await model.respond(body, forced ? { reply: forced } : {});
  const streamed = (body as { stream?: unknown }).stream === true;
  if (!streamed) return json(200, result.response);

  const events = noCompleted ? result.events.filter((event) => event.type !== 'response.completed') : result.events;
  const frames = events.map(sseFrame);
  const delivery: Delivery = {};
  if (fault && isMalformedFault(fault)) {
    const event = events[fault.malformedAt];
    if (event) frames[fault.malformedAt] = `event: ${event.type}\ndata: {"type":"${event.type}","sequence_number":${fault.malformedAt},\n\n`;
  }
  if (fault && isCutFault(fault)) delivery.cut = { afterEvents: fault.cutAfterEvents, mode: fault.mode ?? 'destroy' };
  if (fault && isStallFault(fault)) delivery.stall = { afterEvents: fault.stallAfterEvents, ms: fault.stallMs };
  return {
    kind: 'sse',
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    frames,
    delivery,
  };
}

export type Played = { frame: string } | { cut: 'destroy' | 'end' };

/**
 * Yields the frames of an SSE outcome paced by `delayMs` (between events) and its delivery
 * faults; a `cut` entry ends the sequence. `sleep` should reject when the client goes away.
 */
export async function* playFrames(outcome: Outcome & { kind: 'sse' }, delayMs: number, sleep: (ms: number) => Promise<void>): AsyncGenerator<Played> {
  const { cut, stall } = outcome.delivery;
  for (let i = 0; i < outcome.frames.length; i++) {
    if (cut && i === cut.afterEvents) {
      yield { cut: cut.mode };
      return;
    }
    if (stall && i === stall.afterEvents) await sleep(stall.ms);
    else if (i > 0 && delayMs > 0) await sleep(delayMs);
    const frame = outcome.frames[i];
    if (frame !== undefined) yield { frame };
  }
}
