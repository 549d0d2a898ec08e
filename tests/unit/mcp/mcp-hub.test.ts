/**
 * McpHub against a real MCP server (the official SDK's server over node:http) through the
 * SDK's Streamable HTTP client: connecting, listing, calling, secrets, deadlines, failures.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { endpointUrl, McpHub, OAUTH_NOT_SUPPORTED, parseMcpSpec, type McpServerConfig } from '../../../src/mcp/index';
import { hubUntil } from '../../support/mcp-helpers';
import { startMcpTestServer, type McpTestServer, type McpTestServerOptions } from '../../support/mcp-server';
import { RED_PIXEL_PNG, textTool } from '../../support/mcp-test-tools';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: McpTestServerOptions = {}): Promise<McpTestServer> {
  const s = await startMcpTestServer(options);
  cleanups.push(() => s.close());
  return s;
}

function hub(options: ConstructorParameters<typeof McpHub>[0] = {}): McpHub {
  const h = new McpHub(options);
  cleanups.push(() => h.close());
  return h;
}

const signal = () => new AbortController().signal;
const ALL_TOOLS = ['add', 'echo', 'fail', 'image', 'readme', 'slow', 'stats'];

describe('McpHub', () => {
  it('connects, lists the tools sorted by name and calls them', async () => {
    const s = await server();
    const h = hub();
    await h.setServers([{ name: 'demo', url: s.url }]);
    expect(h.servers()).toEqual([{ name: 'demo', url: s.url, status: 'ready', tools: expect.any(Array) }]);
    expect(h.tools().map((t) => t.name)).toEqual(ALL_TOOLS);
    expect(h.tools().find((t) => t.name === 'echo')).toMatchObject({
      server: 'demo',
      description: 'Repeats the text.',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    });
    expect(await h.callTool('demo', 'echo', { text: 'hi' }, { signal: signal() })).toEqual({ text: 'echo: hi', isError: false });
    expect(await h.callTool('demo', 'add', { a: 2, b: 3 }, { signal: signal() })).toEqual({ text: '5', isError: false });
  });

  it('turns results into text, data URLs and JSON, and passes isError through', async () => {
    const s = await server();
    const h = hub();
    await h.setServers([{ name: 'demo', url: s.url }]);
    const call = (tool: string) => h.callTool('demo', tool, {}, { signal: signal() });
    expect(await call('fail')).toEqual({ text: 'the tool failed on purpose', isError: true });
    expect(await call('image')).toEqual({ text: 'a red pixel', isError: false, images: [`data:image/png;base64,${RED_PIXEL_PNG}`] });
    expect(await call('stats')).toEqual({ text: '{"files":3,"lines":42}', isError: false });
    expect(await call('readme')).toEqual({ text: '# Hello', isError: false });
  });

  it('reads every page of a paginated list', async () => {
    const s = await server({ pageSize: 2 });
    const h = hub();
    await h.setServers([{ name: 'demo', url: s.url }]);
    expect(h.tools().map((t) => t.name)).toEqual(ALL_TOOLS);
    expect(s.requests.filter((r) => r.rpc.includes('tools/list'))).toHaveLength(4);
  });

  it('keeps one order across reconnects although the server shuffles every list', async () => {
    const s = await server();
    const lists: string[] = [];
    for (let i = 0; i < 6; i++) {
      const h = new McpHub();
      await h.setServers([{ name: 'demo', url: s.url }]);
      lists.push(JSON.stringify(h.tools()));
      await h.close();
    }
    expect(new Set(lists).size).toBe(1);
  });

  it('sends the bearer token and headers on every request and never shows them in an error', async () => {
    const s = await server({ token: 'tok-SECRET-123' });
    const h = hub();
    const config = { name: 'demo', url: s.url, bearerToken: 'tok-SECRET-123', headers: { 'X-Api-Key': 'hdr-SECRET-456' } };
    await h.setServers([config]);
    expect(h.servers()[0]!.status).toBe('ready');
    await h.callTool('demo', 'echo', { text: 'x' }, { signal: signal() });
    const mcpRequests = s.requests.filter((r) => r.path === '/mcp' && r.method !== 'OPTIONS');
    expect(mcpRequests.length).toBeGreaterThan(2);
    for (const r of mcpRequests) expect(r.headers).toMatchObject({ authorization: 'Bearer tok-SECRET-123', 'x-api-key': 'hdr-SECRET-456' });

    // A wrong token: refused, and the error names neither the token nor the header value.
    await h.setServers([{ ...config, bearerToken: 'tok-WRONG-789' }]);
    const [failed] = h.servers();
    expect(failed).toMatchObject({ status: 'failed', error: 'the server refused the bearer token (HTTP 401)', tools: [] });
    await expect(h.callTool('demo', 'echo', {}, { signal: signal() })).rejects.toThrow(/is not connected: the server refused the bearer token/);

    // No token at all: the server wants a sign-in, which is not supported yet.
    await h.setServers([{ name: 'demo', url: s.url }]);
    expect(h.servers()[0]).toMatchObject({ status: 'failed', error: OAUTH_NOT_SUPPORTED });
  });

  it('redacts secrets a failing server echoes back', async () => {
    const echo = await rawServer((req, res) => {
      res.writeHead(500).end(`bad request from ${req.headers.authorization} with ${req.headers['x-api-key']}`);
    });
    const h = hub();
    await h.setServers([{ name: 'demo', url: echo, bearerToken: 'tok-SECRET-123', headers: { 'X-Api-Key': 'hdr-SECRET-456' } }]);
    const error = h.servers()[0]!.error ?? '';
    expect(error).toBe('HTTP 500: bad request from Bearer [redacted] with [redacted]');
    expect(JSON.stringify(h.servers())).not.toMatch(/SECRET/);
  });

  it('gives up starting after the startup timeout', async () => {
    const s = await server({ initializeDelayMs: 3000 });
    const h = hub({ startupTimeoutMs: 200 });
    const started = Date.now();
    await h.setServers([{ name: 'slowpoke', url: s.url }]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.servers()[0]).toMatchObject({ status: 'failed', error: 'the server did not finish starting within 0.2 s' });
    expect(h.tools()).toEqual([]);
  });

  it('gives up a call after the call timeout, and stops one when its signal aborts', async () => {
    const s = await server();
    const h = hub({ callTimeoutMs: 200 });
    await h.setServers([{ name: 'demo', url: s.url }]);
    await expect(h.callTool('demo', 'slow', { ms: 3000 }, { signal: signal() })).rejects.toThrow(
      'the MCP server "demo" did not answer the call to "slow" within 0.2 s',
    );
    const controller = new AbortController();
    const call = h.callTool('demo', 'slow', { ms: 150 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    // Still usable afterwards.
    expect(await h.callTool('demo', 'slow', { ms: 1 }, { signal: signal() })).toEqual({ text: 'slept 1 ms', isError: false });
  });

  it('reports servers it cannot reach and refuses calls to them', async () => {
    const s = await server();
    const closedPort = await freePort();
    const h = hub();
    await h.setServers([
      { name: 'gone', url: `http://127.0.0.1:${closedPort}/mcp` },
      { name: 'wrong-path', url: s.url.replace('/mcp', '/nope') },
      { name: 'ok', url: s.url },
    ]);
    expect(h.servers().map((x) => [x.name, x.status, x.error])).toEqual([
      ['gone', 'failed', 'connection refused: is the server running at this URL?'],
      ['wrong-path', 'failed', 'nothing answers at this URL (HTTP 404); check the URL'],
      ['ok', 'ready', undefined],
    ]);
    expect(new Set(h.tools().map((t) => t.server))).toEqual(new Set(['ok']));
    await expect(h.callTool('gone', 'echo', {}, { signal: signal() })).rejects.toThrow('the MCP server "gone" is not connected: connection refused');
    await expect(h.callTool('nobody', 'echo', {}, { signal: signal() })).rejects.toThrow('no MCP server is named "nobody"');
  });

  it('re-lists the tools on tools/list_changed and refuses tools no longer offered', async () => {
    const s = await server();
    const h = hub();
    await h.setServers([{ name: 'demo', url: s.url }]);
    await s.listening();
    let changes = 0;
    h.onChange(() => changes++);

    s.addTool(textTool('zeta', 'from zeta'));
    await hubUntil(h, () => h.tools().some((t) => t.name === 'zeta'));
    expect(changes).toBeGreaterThan(0);
    expect(await h.callTool('demo', 'zeta', {}, { signal: signal() })).toEqual({ text: 'from zeta', isError: false });

    s.removeTool('echo');
    await hubUntil(h, () => !h.tools().some((t) => t.name === 'echo'));
    await expect(h.callTool('demo', 'echo', { text: 'x' }, { signal: signal() })).rejects.toThrow(
      'the tool "echo" is no longer offered by the MCP server "demo"',
    );
  });

  it('keeps unchanged servers connected, reconnects changed ones and closes removed ones', async () => {
    const a = await server();
    const b = await server();
    const h = hub();
    await h.setServers([
      { name: 'a', url: a.url },
      { name: 'b', url: b.url },
    ]);
    const initializes = (s: McpTestServer) => s.requests.filter((r) => r.rpc.includes('initialize')).length;
    expect([initializes(a), initializes(b)]).toEqual([1, 1]);

    await h.setServers([
      { name: 'a', url: a.url, headers: { 'X-Changed': 'yes' } },
      { name: 'b', url: b.url },
    ]);
    expect([initializes(a), initializes(b)]).toEqual([2, 1]);

    await h.setServers([{ name: 'b', url: b.url }]);
    expect(h.servers().map((x) => x.name)).toEqual(['b']);
    expect(a.sessionCount()).toBe(0);

    await h.close();
    expect(h.servers()).toEqual([{ name: 'b', url: b.url, status: 'closed', tools: [] }]);
    expect(b.sessionCount()).toBe(0);
  });

  it('refuses names that cannot be part of a tool name', async () => {
    const h = hub();
    await expect(h.setServers([{ name: 'my server', url: 'http://127.0.0.1:1/mcp' }])).rejects.toThrow(/letters, digits/);
    await expect(
      h.setServers([
        { name: 'a', url: 'http://x/' },
        { name: 'a', url: 'http://y/' },
      ]),
    ).rejects.toThrow('two MCP servers are named "a"');
    expect(h.servers()).toEqual([]);
  });
});

describe('MCP configuration helpers', () => {
  it('parses NAME=URL', () => {
    expect(parseMcpSpec('docs=https://example.com/mcp?a=b')).toEqual({ name: 'docs', url: 'https://example.com/mcp?a=b' });
    expect(parseMcpSpec(' my_server-2 = http://127.0.0.1:8931/mcp ')).toEqual({ name: 'my_server-2', url: 'http://127.0.0.1:8931/mcp' });
    expect(() => parseMcpSpec('https://example.com/mcp')).toThrow('expected NAME=URL');
    expect(() => parseMcpSpec('my.server=https://example.com')).toThrow('may only hold letters, digits, "_" and "-"');
    expect(() => parseMcpSpec('=https://example.com')).toThrow('needs a name');
    expect(() => parseMcpSpec('docs=ftp://example.com')).toThrow('not an http(s) URL');
    expect(() => parseMcpSpec('docs=not a url')).toThrow('is not a URL');
  });

  it('builds proxy URLs with or without a {url} placeholder', () => {
    const config: McpServerConfig = { name: 'x', url: 'https://mcp.example.com/mcp?k=1' };
    expect(endpointUrl(config)).toBe('https://mcp.example.com/mcp?k=1');
    expect(endpointUrl({ ...config, proxyUrl: 'https://proxy.test/?target={url}' })).toBe(
      'https://proxy.test/?target=https%3A%2F%2Fmcp.example.com%2Fmcp%3Fk%3D1',
    );
    expect(endpointUrl({ ...config, proxyUrl: 'https://proxy.test/fetch/' })).toBe(
      'https://proxy.test/fetch/https%3A%2F%2Fmcp.example.com%2Fmcp%3Fk%3D1',
    );
  });

  it('reaches a server through a proxy', async () => {
    const s = await server();
    const proxy = await rawServer(async (req, res) => {
      const target = decodeURIComponent(new URL(req.url!, 'http://x').searchParams.get('u') ?? '');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      const answer = await fetch(target, { method: req.method!, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    const h = hub();
    await h.setServers([{ name: 'demo', url: s.url, proxyUrl: `${proxy}?u={url}` }]);
    expect(h.servers()[0]!.status).toBe('ready');
    expect(await h.callTool('demo', 'echo', { text: 'via proxy' }, { signal: signal() })).toEqual({ text: 'echo: via proxy', isError: false });
  });
});

async function rawServer(
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void | Promise<void>,
): Promise<string> {
  const http: Server = createServer((req, res) => void Promise.resolve(handler(req, res)).catch(() => res.writeHead(502).end()));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
}

async function freePort(): Promise<number> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return port;
}
