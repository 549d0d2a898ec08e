/**
 * A real HTTP server for model-client tests. Each test queues handlers that answer the next
 * requests in order with raw SSE text, JSON errors, stalls or cut connections; every request
 * (method, path, query, headers, body) is recorded.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, vi } from 'vitest';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** Resolves when the client closes the connection (aborts) or the response ends. */
  closed: Promise<void>;
}

export type RawHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface RawServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `origin + '/v1'` */
  baseURL: string;
  requests: RecordedRequest[];
  /** Answers the next unanswered request with `handler` (FIFO). */
  enqueue(...handlers: RawHandler[]): void;
  close(): Promise<void>;
}

export async function startRawServer(): Promise<RawServer> {
  const queue: RawHandler[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const closed = new Promise<void>((resolve) => {
      res.once('close', () => resolve());
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
      };
      requests.push(recorded);
      const handler =
        queue.shift() ?? ((_r: RecordedRequest, out: ServerResponse) => sendJSON(out, 599, { error: { message: 'no handler queued' } }));
      Promise.resolve(handler(recorded, res)).catch((err: unknown) => {
        res.destroy(err instanceof Error ? err : new Error(String(err)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseURL: `${origin}/v1`,
    requests,
    enqueue: (...handlers) => queue.push(...handlers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (connections are refused). */
/**
 * Starts a fresh server before each test of the calling file and hands it to `use`; after the
 * test the server closes and globals a test stubbed (`fetch`, `navigator`) are restored.
 */
export function rawServerForEachTest(use: (server: RawServer) => void): void {
  let server: RawServer | undefined;
  beforeEach(async () => {
    server = await startRawServer();
    use(server);
  });
  afterEach(async () => {
    vi.unstubAllGlobals();
    await server?.close();
    server = undefined;
  });
}

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One SSE frame in the Responses format: `event:` line, `data:` line, blank line. */
export function sseFrame(event: { type: string; [key: string]: unknown }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function startSSE(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
}

export function sendJSON(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Handler: a whole SSE body (frames or raw text) written at once, then the response ends. */
export function sseHandler(parts: Array<string | { type: string; [key: string]: unknown }>): RawHandler {
  return (_req, res) => {
    startSSE(res);
    res.end(parts.map((p) => (typeof p === 'string' ? p : sseFrame(p))).join(''));
  };
}

/** Handler: a JSON error body with `status`, as the OpenAI API sends it. */
export function errorHandler(
  status: number,
  error: { message: string; type?: string; code?: string | null; param?: string | null },
  headers: Record<string, string> = {},
): RawHandler {
  return (_req, res) => sendJSON(res, status, { error: { type: null, param: null, code: null, ...error } }, headers);
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
