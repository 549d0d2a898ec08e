/**
 * A real MCP server for tests: the official SDK's `McpServer` behind a stateful
 * `StreamableHTTPServerTransport` (one per session) on node:http, with the CORS a browser tab
 * needs (REFERENCE §8). It lists its tools in a new random order on every `tools/list`
 * (optionally in pages), can require a bearer token or a token from an OAuth authorization
 * server (publishing its protected-resource metadata, RFC 9728), logs every request's headers,
 * and adds or removes tools at runtime, each change sending `notifications/tools/list_changed`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import { ErrorCode, isInitializeRequest, ListToolsRequestSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { standardTools, type McpTestTool } from './mcp-test-tools';

export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, GET, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID',
  'Access-Control-Expose-Headers': 'Mcp-Session-Id, WWW-Authenticate',
};

/** The authorization server whose tokens the MCP test server takes (tests/support/oauth-server.ts). */
export interface McpTestAuthority {
  issuer: string;
  accepts(token: string): boolean;
}

export interface McpTestServerOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  /**
   * Requests without a current token of this authorization server get 401 with
   * `WWW-Authenticate: Bearer resource_metadata="…"`; the metadata names the server.
   */
  oauth?: McpTestAuthority;
  /** Shuffle on every list (default true). */
  shuffle?: boolean;
  /** Tools per `tools/list` page (default: all in one). */
  pageSize?: number;
  /** Holds every `initialize` this long before answering (startup timeouts). */
  initializeDelayMs?: number;
  /** Default: `standardTools()`. */
  tools?: McpTestTool[];
  /** Serve `/control/*` (add/remove tools, read the log) for tests in another process. */
  control?: boolean;
}

export interface LoggedMcpRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** JSON-RPC methods in a POST body (`response` for answers to the server's requests). */
  rpc: string[];
}

export interface McpTestServer {
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string;
  requests: LoggedMcpRequest[];
  addTool(tool: McpTestTool): void;
  removeTool(name: string): void;
  toolNames(): string[];
  sessionCount(): number;
  /** Resolves once every session has its GET stream open, so notifications reach it. */
  listening(): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  mcp: McpServer;
  handles: Map<string, RegisteredTool>;
}

export async function startMcpTestServer(options: McpTestServerOptions = {}): Promise<McpTestServer> {
  const tools = new Map((options.tools ?? standardTools()).map((t) => [t.name, t]));
  const sessions = new Map<string, Session>();
  const requests: LoggedMcpRequest[] = [];
  const listings = new Map<string, string[]>();
  let listingCount = 0;

  const describe = (tool: McpTestTool): Tool => ({
    name: tool.name,
    description: tool.description,
    inputSchema: toJsonSchemaCompat(z.object(tool.inputSchema), { strictUnions: true, pipeStrategy: 'input' }) as Tool['inputSchema'],
  });

  /** One page of a listing; the order is drawn once per listing, so pages never overlap. */
  const listPage = (cursor: string | undefined) => {
    let id: string;
    let offset = 0;
    if (cursor) {
      const [listing, at] = cursor.split(':');
      if (!listing || !listings.has(listing)) throw new McpError(ErrorCode.InvalidParams, `unknown cursor ${cursor}`);
      id = listing;
      offset = Number(at);
    } else {
      id = String(++listingCount);
      const names = [...tools.keys()];
      listings.set(id, options.shuffle === false ? names : shuffled(names));
    }
    const order = listings.get(id)!;
    const end = offset + (options.pageSize ?? order.length);
    const page = order.slice(offset, end).flatMap((name) => (tools.has(name) ? [describe(tools.get(name)!)] : []));
    return { tools: page, ...(end < order.length ? { nextCursor: `${id}:${end}` } : {}) };
  };

  const register = (mcp: McpServer, tool: McpTestTool) =>
    mcp.registerTool(tool.name, { description: tool.description, inputSchema: tool.inputSchema }, (args: Record<string, unknown>, extra) =>
      tool.run(args, { signal: extra.signal }),
    );

  async function openSession(): Promise<Session> {
    const mcp = new McpServer({ name: 'unroll-test-mcp', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    mcp.server.removeRequestHandler('tools/list');
    mcp.server.setRequestHandler(ListToolsRequestSchema, (request) => listPage(request.params?.cursor));
    const handles = new Map([...tools.values()].map((tool) => [tool.name, register(mcp, tool)]));
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, session),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    const session: Session = { transport, mcp, handles };
    await mcp.connect(transport);
    return session;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    requests.push({ method: req.method ?? '', path, headers: { ...req.headers }, rpc: rpcMethods(body) });
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (path === '/health') return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    if (options.control && path.startsWith('/control/')) return control(req, res, path, body);
    if (options.oauth && path === RESOURCE_METADATA_PATH) {
      const metadata = {
        resource: server.url,
        authorization_servers: [options.oauth.issuer],
        scopes_supported: ['mcp'],
        bearer_methods_supported: ['header'],
      };
      return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(metadata));
    }
    if (path !== '/mcp') return void res.writeHead(404).end('not found');
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return void res
        .writeHead(401, { 'WWW-Authenticate': 'Bearer realm="mcp-test"', 'Content-Type': 'application/json' })
        .end('{"error":"unauthorized"}');
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (options.oauth && !(bearer && options.oauth.accepts(bearer))) {
      const metadataUrl = new URL(RESOURCE_METADATA_PATH, server.url).href;
      const challenge = `Bearer resource_metadata="${metadataUrl}", scope="mcp"${bearer ? ', error="invalid_token"' : ''}`;
      return void res.writeHead(401, { 'WWW-Authenticate': challenge, 'Content-Type': 'application/json' }).end('{"error":"invalid_token"}');
    }
    if (body === INVALID) return void res.writeHead(400).end('invalid JSON');
    const sessionId = req.headers['mcp-session-id'];
    let session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (sessionId !== undefined && !session) return jsonRpcError(res, 404, 'Session not found');
    if (!session) {
      if (req.method !== 'POST' || !isInitializeRequest(body)) return jsonRpcError(res, 400, 'Bad Request: no valid session ID');
      if (options.initializeDelayMs) await new Promise((resolve) => setTimeout(resolve, options.initializeDelayMs));
      session = await openSession();
    }
    await session.transport.handleRequest(req, res, body);
  }

  function control(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): void {
    const name = decodeURIComponent(path.slice('/control/tools/'.length));
    if (path === '/control/requests') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(requests));
    if (path.startsWith('/control/tools/') && req.method === 'DELETE') server.removeTool(name);
    else if (path.startsWith('/control/tools/') && req.method === 'POST') {
      const reply = (body as { reply?: unknown } | undefined)?.reply;
      server.addTool({
        name,
        description: `Answers "${String(reply)}".`,
        inputSchema: {},
        run: () => ({ content: [{ type: 'text', text: String(reply ?? 'ok') }] }),
      });
    } else return void res.writeHead(404).end('unknown control route');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(server.toolNames()));
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String((err as Error)?.message ?? err));
    });
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  const server: McpTestServer = {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    addTool(tool) {
      if (tools.has(tool.name)) throw new Error(`the tool ${tool.name} exists already`);
      tools.set(tool.name, tool);
      for (const session of sessions.values()) session.handles.set(tool.name, register(session.mcp, tool));
    },
    removeTool(name) {
      if (!tools.delete(name)) throw new Error(`there is no tool ${name}`);
      for (const session of sessions.values()) {
        session.handles.get(name)?.remove();
        session.handles.delete(name);
      }
    },
    toolNames: () => [...tools.keys()].sort(),
    sessionCount: () => sessions.size,
    async listening() {
      const open = (id: string) => requests.some((r) => r.method === 'GET' && r.headers['mcp-session-id'] === id);
      while (![...sessions.keys()].every(open)) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 30));
    },
    async close() {
      for (const session of sessions.values()) await session.mcp.close().catch(() => {});
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return server;
}

const INVALID = Symbol('invalid JSON');
const RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function rpcMethods(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
  return messages.map((m) => (typeof (m as { method?: unknown }).method === 'string' ? (m as { method: string }).method : 'response'));
}

function jsonRpcError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
