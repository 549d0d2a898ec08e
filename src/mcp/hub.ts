/**
 * The MCP servers a person configured, as one `McpCaller`: connects new and changed servers,
 * closes removed ones, reports status changes and changed tool lists to its listeners, routes
 * tool calls to the right server, and signs in to (and out of) servers that ask for OAuth.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpCallResult, McpCaller, McpToolInfo } from '../core/ports';
import { sameConfig, serverNameProblem, type McpServerConfig } from './config';
import { McpConnection, type McpServerState } from './connection';
import type { McpOAuthOptions, OpenAuthorization } from './oauth';

export interface McpHubOptions {
  /** Connect plus the first `tools/list` (all pages). Default 10 000 ms. */
  startupTimeoutMs?: number;
  /** One `tools/call`. Default 60 000 ms. */
  callTimeoutMs?: number;
  /** The fetch every request goes through (default: the global one). */
  fetch?: FetchLike;
  /** Sign-in for servers that ask for it (the app); without it their 401 fails the connection. */
  oauth?: McpOAuthOptions;
}

const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
const DEFAULT_CALL_TIMEOUT_MS = 60_000;

export class McpHub implements McpCaller {
  readonly #options: Required<Omit<McpHubOptions, 'fetch' | 'oauth'>> & Pick<McpHubOptions, 'fetch' | 'oauth'>;
  readonly #connections = new Map<string, McpConnection>();
  readonly #listeners = new Set<() => void>();
  #closed = false;

  constructor(options: McpHubOptions = {}) {
    this.#options = {
      startupTimeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.oauth ? { oauth: options.oauth } : {}),
    };
  }

  /**
   * Makes `configs` the hub's servers: unchanged ones stay connected, new and changed ones
   * (re)connect, the others close. Resolves once every connection it started is ready or
   * failed (it never rejects for a server's failure: see `servers()`). Throws before changing
   * anything when a name is invalid or given twice.
   */
  async setServers(configs: readonly McpServerConfig[]): Promise<void> {
    if (this.#closed) throw new Error('the MCP hub is closed');
    const names = new Set<string>();
    for (const config of configs) {
      const problem = serverNameProblem(config.name);
      if (problem) throw new Error(problem);
      if (names.has(config.name)) throw new Error(`two MCP servers are named "${config.name}"`);
      names.add(config.name);
    }
    const closing: Promise<void>[] = [];
    for (const [name, connection] of this.#connections) {
      const next = configs.find((c) => c.name === name);
      if (next && sameConfig(next, connection.config)) continue;
      this.#connections.delete(name);
      closing.push(connection.close());
    }
    const starting: Promise<void>[] = [];
    for (const config of configs) {
      if (this.#connections.has(config.name)) continue;
      starting.push(this.#open({ ...config, headers: { ...config.headers } }));
    }
    // Configuration order, for `servers()`.
    const ordered = configs.map((c) => [c.name, this.#connections.get(c.name)!] as const);
    this.#connections.clear();
    for (const [name, connection] of ordered) this.#connections.set(name, connection);
    if (closing.length || starting.length) this.#notify();
    await Promise.all([...closing, ...starting]);
  }

  /** Every configured server, in configuration order. */
  servers(): McpServerState[] {
    return [...this.#connections.values()].map((c) => c.state());
  }

  /** The tools of every ready server, by server name then tool name. */
  tools(): McpToolInfo[] {
    return [...this.#connections.values()]
      .filter((c) => c.status === 'ready')
      .sort((a, b) => (a.config.name < b.config.name ? -1 : a.config.name > b.config.name ? 1 : 0))
      .flatMap((c) => c.tools);
  }

  /**
   * Calls `listener` after any server's status changes and after a server's tool list was
   * re-read (`notifications/tools/list_changed`). Returns the unsubscribe function.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  callTool(server: string, tool: string, args: Record<string, unknown>, options: { signal: AbortSignal }): Promise<McpCallResult> {
    const connection = this.#connections.get(server);
    if (!connection) return Promise.reject(new Error(`no MCP server is named "${server}" any more`));
    return connection.callTool(tool, args, options.signal);
  }

  /**
   * Signs in to the server `name` (its status is needs_sign_in) and connects: the sign-in page
   * is shown through `open`, or the hub's `oauth.openAuthorization`. Tokens go to the hub's
   * OAuth store. Rejects with an Error for the person (the server's status says it too).
   */
  async signIn(name: string, open?: OpenAuthorization): Promise<void> {
    const connection = this.#connections.get(name);
    if (!connection) throw new Error(`no MCP server is named "${name}" any more`);
    const show = open ?? this.#options.oauth?.openAuthorization;
    if (!show) throw new Error('sign-in is not available here');
    await connection.signIn(show);
  }

  /** Forgets the server's sign-in (tokens, registration) and reconnects it without one. */
  async signOut(name: string): Promise<void> {
    this.#options.oauth?.store.forget(name);
    const connection = this.#connections.get(name);
    if (!connection || this.#closed) return;
    const closing = connection.close();
    const starting = this.#open(connection.config);
    this.#notify();
    await Promise.all([closing, starting]);
  }

  /** Closes every connection; the hub cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const connections = [...this.#connections.values()];
    await Promise.all(connections.map((c) => c.close()));
    if (connections.length) this.#notify();
  }

  /** Starts a connection to `config`, as the one under its name. */
  #open(config: McpServerConfig): Promise<void> {
    const connection = new McpConnection(config, { ...this.#options, onChange: () => this.#changed(connection) });
    this.#connections.set(config.name, connection);
    return connection.start();
  }

  /** A connection's change counts only while it is still the one configured under its name. */
  #changed(connection: McpConnection): void {
    if (this.#connections.get(connection.config.name) === connection) this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others still hear of the change.
      }
    }
  }
}
