/**
 * One MCP server over Streamable HTTP: connect and list its tools within the startup
 * deadline, keep the list current on `notifications/tools/list_changed`, call its tools
 * within the call deadline. Status: connecting → ready | failed; closed once closed.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { abortError, type McpCallResult, type McpToolInfo } from '../core/ports';
import { endpointUrl, requestHeaders, secretsOf, type McpServerConfig } from './config';
import { describeError, McpTimeoutError, seconds } from './errors';
import { toCallResult } from './result';

export type McpServerStatus = 'connecting' | 'ready' | 'failed' | 'closed';

/** A server as the person sees it. `tools` is empty unless it is ready. */
export interface McpServerState {
  name: string;
  url: string;
  status: McpServerStatus;
  /** Why it failed; never holds the token or a header value. */
  error?: string;
  tools: McpToolInfo[];
}

export interface ConnectionOptions {
  startupTimeoutMs: number;
  callTimeoutMs: number;
  fetch?: FetchLike;
  /** Called after every status change and every re-read tool list. Must not throw. */
  onChange: () => void;
}

const CLIENT_INFO = { name: 'unroll', version: '0.1.0' };
const MAX_PAGES = 100;

export class McpConnection {
  readonly config: McpServerConfig;
  readonly #options: ConnectionOptions;
  #status: McpServerStatus = 'connecting';
  #error: string | undefined;
  #tools: McpToolInfo[] = [];
  #client: Client | undefined;
  #transport: StreamableHTTPClientTransport | undefined;
  #relisting = false;
  #stale = false;

  constructor(config: McpServerConfig, options: ConnectionOptions) {
    this.config = config;
    this.#options = options;
  }

  get status(): McpServerStatus {
    return this.#status;
  }

  get tools(): readonly McpToolInfo[] {
    return this.#status === 'ready' ? this.#tools : [];
  }

  state(): McpServerState {
    return {
      name: this.config.name,
      url: this.config.url,
      status: this.#status,
      ...(this.#error !== undefined ? { error: this.#error } : {}),
      tools: [...this.tools],
    };
  }

  /** Connects and lists the tools; ends ready or failed (or closed, if closed meanwhile). Never rejects. */
  async start(): Promise<void> {
    const ms = this.#options.startupTimeoutMs;
    try {
      const client = new Client(CLIENT_INFO);
      const transport = new StreamableHTTPClientTransport(new URL(endpointUrl(this.config)), {
        requestInit: { headers: requestHeaders(this.config) },
        ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      });
      this.#client = client;
      this.#transport = transport;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.#relist());
      const tools = await withDeadline(ms, `the server did not finish starting within ${seconds(ms)}`, async (signal) => {
        await client.connect(transport, { signal, timeout: ms });
        return client.getServerCapabilities()?.tools ? listAllTools(client, this.config.name, { signal, timeout: ms }) : [];
      });
      if (this.#status !== 'connecting') return;
      this.#tools = tools;
      this.#set('ready');
      if (this.#stale) this.#relist();
    } catch (err) {
      if (this.#status !== 'connecting') return;
      this.#set('failed', this.#describe(err));
      await this.#client?.close().catch(() => {});
    }
  }

  /** Calls `tool`; see `McpCaller.callTool` for what it rejects with. */
  async callTool(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const server = `the MCP server "${this.config.name}"`;
    const client = this.#client;
    if (this.#status !== 'ready' || !client) throw new Error(this.#notReady());
    if (!this.#tools.some((t) => t.name === tool)) throw new Error(`the tool "${tool}" is no longer offered by ${server}`);
    if (signal.aborted) throw abortError();
    const ms = this.#options.callTimeoutMs;
    // The SDK leaves its listener on the signal it is given; a turn's signal serves many calls,
    // so each call gets its own, which follows the turn's and is dropped afterwards.
    const call = new AbortController();
    const follow = () => call.abort();
    signal.addEventListener('abort', follow, { once: true });
    try {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, { signal: call.signal, timeout: ms });
      return toCallResult(result);
    } catch (err) {
      if (signal.aborted) throw abortError();
      if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
        throw new Error(`${server} did not answer the call to "${tool}" within ${seconds(ms)}`);
      }
      throw new Error(`${server} failed the call to "${tool}": ${this.#describe(err)}`);
    } finally {
      signal.removeEventListener('abort', follow);
    }
  }

  /** Ends the session (politely, briefly) and the connection. Does not call `onChange`. */
  async close(): Promise<void> {
    if (this.#status === 'closed') return;
    const wasReady = this.#status === 'ready';
    this.#status = 'closed';
    this.#error = undefined;
    this.#tools = [];
    if (wasReady && this.#transport?.sessionId) {
      await withDeadline(2000, 'ending the session took too long', () => this.#transport!.terminateSession()).catch(() => {});
    }
    await this.#client?.close().catch(() => {});
  }

  #notReady(): string {
    const server = `the MCP server "${this.config.name}"`;
    if (this.#status === 'connecting') return `${server} is still connecting`;
    if (this.#status === 'closed') return `${server} is closed`;
    return `${server} is not connected${this.#error ? `: ${this.#error}` : ''}`;
  }

  /** Re-reads the tool list after `list_changed`; one read at a time, repeated while stale. */
  #relist(): void {
    this.#stale = true;
    if (this.#status !== 'ready' || this.#relisting || !this.#client) return;
    this.#relisting = true;
    const client = this.#client;
    void (async () => {
      try {
        while (this.#stale && this.#status === 'ready') {
          this.#stale = false;
          const tools = await listAllTools(client, this.config.name, { timeout: this.#options.startupTimeoutMs });
          if (this.#status !== 'ready') return;
          this.#tools = tools;
          this.#options.onChange();
        }
      } catch (err) {
        if (this.#status === 'ready') this.#set('failed', `could not re-read the tool list: ${this.#describe(err)}`);
      } finally {
        this.#relisting = false;
      }
    })();
  }

  #set(status: McpServerStatus, error?: string): void {
    this.#status = status;
    this.#error = error;
    this.#options.onChange();
  }

  #describe(err: unknown): string {
    return describeError(err, { hasToken: Boolean(this.config.bearerToken), secrets: secretsOf(this.config) });
  }
}

/** Every page of `tools/list`, sorted by name. A name listed twice is kept once; a cursor seen before ends the listing. */
async function listAllTools(client: Client, server: string, options: { signal?: AbortSignal; timeout: number }): Promise<McpToolInfo[]> {
  const tools = new Map<string, McpToolInfo>();
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, options);
    for (const tool of result.tools) {
      if (tools.has(tool.name)) continue;
      const description = tool.description?.trim();
      tools.set(tool.name, { server, name: tool.name, ...(description ? { description } : {}), inputSchema: tool.inputSchema as Record<string, unknown> });
    }
    cursor = result.nextCursor;
    if (!cursor || cursors.has(cursor)) break;
    cursors.add(cursor);
  }
  return [...tools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `work`'s result, or a McpTimeoutError(message) after `ms` (then `work`'s signal aborts). */
async function withDeadline<T>(ms: number, message: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new McpTimeoutError(message));
      controller.abort();
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
