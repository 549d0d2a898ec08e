/**
 * The scripted model as a local HTTP server (Node only): an OpenAI-compatible endpoint for
 * tests, benchmarks and the browser app pointed at `http://127.0.0.1:PORT/v1`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptedModel } from './engine';
import { FaultQueue } from './faults';
import { handleRequest, playFrames, type Outcome, type RouteOptions } from './routes';
import type { EndpointQuirks } from './quirks';
import type { Script } from './types';
import { systemClock } from '../../core/ports';

export interface ScriptedServerOptions {
  /** The model to serve, or a script to serve with a fresh model. */
  model?: ScriptedModel;
  script?: Script;
  port?: number;
  host?: string;
  /** Pause between SSE events. Default 0. */
  eventDelayMs?: number;
  /** Require `Authorization: Bearer <requireKey>`; others get 401 `invalid_api_key`. */
  requireKey?: string;
  /** For a model made from `script`: see `ScriptedModelOptions.contextWindow`. */
  contextWindow?: number;
  /** `false`: `/responses/compact` answers 404, as on servers without it. Default true. */
  compactEndpoint?: boolean;
  /** Stream no delta events, only whole items (sets `model.noDeltas` when true). */
  noDeltas?: boolean;
  /** Behave like another server (see quirks.ts); `noDeltas`/`noUsage` set the model's flags. */
  quirks?: EndpointQuirks;
}

export interface LoggedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface ScriptedServer {
  /** Base URL ending in `/v1`, ready for an SDK's `baseURL`. */
  url: string;
  port: number;
  model: ScriptedModel;
  requests: LoggedRequest[];
  faults: FaultQueue;
  close(): Promise<void>;
}

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': '*, authorization, content-type',
  'access-control-expose-headers': 'retry-after, x-request-id',
  'access-control-max-age': '600',
};

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const model =
    options.model ??
    (options.script
      ? new ScriptedModel({
          script: options.script,
          ...(options.contextWindow !== undefined ? { contextWindow: options.contextWindow } : {}),
        })
      : undefined);
  if (!model) throw new Error('startScriptedServer needs a `model` or a `script`');
  if (options.noDeltas || options.quirks?.noDeltas) model.noDeltas = true;
  if (options.quirks?.noUsage) model.noUsage = true;
  const faults = new FaultQueue();
  const requests: LoggedRequest[] = [];
  const delayMs = options.eventDelayMs ?? 0;
  const routeOptions: RouteOptions = {
    faults,
    ...(options.requireKey !== undefined ? { requireKey: options.requireKey } : {}),
    ...(options.compactEndpoint !== undefined ? { compactEndpoint: options.compactEndpoint } : {}),
    ...(options.quirks ? { quirks: options.quirks } : {}),
  };

  const server = createServer((req, res) => {
    void serve(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { ...CORS_HEADERS, 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(err), type: 'server_error', param: null, code: 'server_error' } }));
      } else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bodyText = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    const rawPath = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path: rawPath, headers, body: parseLogged(bodyText) });
    const path = new URL(rawPath, 'http://scripted.invalid').pathname;
    const outcome = await handleRequest(model as ScriptedModel, { method: req.method ?? 'GET', path, headers, bodyText }, routeOptions);
    const asked = headers['access-control-request-headers'];
    // Echo what a preflight asks for: older browsers don't honour the `*` wildcard.
    if (outcome.kind === 'empty' && asked) outcome.headers['access-control-allow-headers'] = `*, authorization, ${asked}`;
    await send(outcome, res, delayMs);
  }

  // Streams can stall on purpose; don't let keep-alive or open streams hold `close()` forever.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    model,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseLogged(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function send(outcome: Outcome, res: ServerResponse, delayMs: number): Promise<void> {
  const gone = new AbortController();
  res.on('close', () => gone.abort());
  const headers = { ...CORS_HEADERS, ...outcome.headers };

  if (outcome.kind === 'empty') {
    res.writeHead(outcome.status, headers).end();
    return;
  }
  if (outcome.kind === 'json') {
    if (outcome.stallMs) await sleep(outcome.stallMs, gone.signal).catch(() => undefined);
    if (outcome.destroy) {
      res.destroy();
      return;
    }
    if (!gone.signal.aborted) res.writeHead(outcome.status, headers).end(outcome.body);
    return;
  }

  res.writeHead(outcome.status, headers);
  res.flushHeaders();
  let written: Promise<void> = Promise.resolve();
  try {
    for await (const played of playFrames(outcome, delayMs, (ms) => sleep(ms, gone.signal))) {
      if (gone.signal.aborted) return;
      if ('cut' in played) {
        // Let the events sent so far reach the client before the connection drops.
        await written;
        if (played.cut === 'destroy') res.destroy();
        else res.end();
        return;
      }
      written = new Promise((resolve) => res.write(played.frame, () => resolve()));
    }
    res.end();
  } catch {
    // The client went away while we waited: nothing left to send to.
    res.destroy();
  }
}

/** Waits `ms`; rejects (an AbortError) once the client has gone. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return systemClock.sleep(ms, signal);
}
