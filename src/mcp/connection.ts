/**
 * One MCP server over Streamable HTTP: connect and list its tools within the startup
 * deadline, keep the list current on `notifications/tools/list_changed`, call its tools
 * within the call deadline. Status: connecting → ready | failed | needs_sign_in (a server that
 * asks for OAuth, see `signIn`) ; closed once closed.
 */
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { abortError, type McpCallResult, type McpToolInfo } from '../core/ports';
import { endpointUrl, requestHeaders, secretsOf, type McpServerConfig } from './config';
import { describeError, NEEDS_SIGN_IN, seconds, SIGN_IN_EXPIRED, withDeadline } from './errors';
import { McpOAuthProvider, type McpOAuthOptions, type OpenAuthorization } from './oauth';
import { toCallResult } from './result';
import { listAllTools } from './tool-list';
import { publishesResourceMetadata, runSignIn, serverFetch, type SignInChallenge } from './sign-in';

export type McpServerStatus = 'connecting' | 'needs_sign_in' | 'ready' | 'failed' | 'closed';

/** A server as the person sees it. `tools` is empty unless it is ready. */
export interface McpServerState {
  name: string;
  url: string;
  status: McpServerStatus;
  /** Why it failed or needs a sign-in; never holds a token, a header value or a code. */
  error?: string;
  tools: McpToolInfo[];
  /** Present (true) when OAuth tokens are stored for it. */
  signedIn?: true;
}

export interface ConnectionOptions {
  startupTimeoutMs: number;
  callTimeoutMs: number;
  fetch?: FetchLike;
  /** Sign-in for servers that ask for it; without it a 401 fails the connection. */
  oauth?: McpOAuthOptions;
  /** Called after every status change and every re-read tool list. Must not throw. */
  onChange: () => void;
}

const CLIENT_INFO = { name: 'unroll', version: '0.1.0' };

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
  /** The OAuth client the transport uses (stored tokens), if any. */
  #provider: McpOAuthProvider | undefined;
  #challenge: SignInChallenge | undefined;
  #signingIn: AbortController | undefined;
  /** OAuth secrets handled so far: tokens, verifiers, codes (kept out of error texts). */
  readonly #oauthSecrets = new Set<string>();

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
      ...(this.#provider?.hasTokens() ? { signedIn: true as const } : {}),
    };
  }

  /**
   * Connects (with stored sign-in tokens, if any) and lists the tools; ends ready, failed or
   * needs_sign_in (or closed, if closed meanwhile). Never rejects.
   */
  async start(): Promise<void> {
    const oauth = this.#options.oauth;
    const stored = oauth && !this.config.bearerToken ? new McpOAuthProvider(this.config, oauth, this.#oauthSecrets) : undefined;
    await this.#connect(stored?.hasTokens() ? stored : undefined);
  }

  /**
   * Signs in through `open` (the sign-in page; see `OpenAuthorization`), stores the tokens and
   * connects. Only while the status is needs_sign_in. Rejects with an Error for the person when
   * the sign-in or the connection after it fails; the status says so too.
   */
  async signIn(open: OpenAuthorization): Promise<void> {
    const oauth = this.#options.oauth;
    const server = `the MCP server "${this.config.name}"`;
    if (!oauth) throw new Error('sign-in is not available here');
    if (this.#signingIn) throw new Error(`a sign-in to ${server} is already under way`);
    if (this.#status !== 'needs_sign_in') throw new Error(`${server} does not ask for a sign-in (it is ${this.#status})`);
    const abort = new AbortController();
    this.#signingIn = abort;
    const provider = new McpOAuthProvider(this.config, oauth, this.#oauthSecrets, true);
    try {
      const transport = await runSignIn({
        provider,
        endpoint: endpointUrl(this.config),
        challenge: this.#challenge,
        fetch: this.#options.fetch,
        open,
        signal: abort.signal,
        transport: () => this.#newTransport(provider),
        onCode: (code) => this.#oauthSecrets.add(code),
      });
      if (this.#status !== 'needs_sign_in') throw new Error('the sign-in was abandoned: the server was removed or changed meanwhile');
      this.#set('connecting');
      await this.#connect(provider, transport);
    } catch (err) {
      const message = `the sign-in did not finish: ${this.#describe(err)}`;
      if (this.#status === 'needs_sign_in') this.#set('needs_sign_in', message);
      throw new Error(message);
    } finally {
      this.#signingIn = undefined;
    }
    if (this.status !== 'ready') throw new Error(this.#notReady());
  }

  #newTransport(provider: McpOAuthProvider | undefined): StreamableHTTPClientTransport {
    const endpoint = endpointUrl(this.config);
    return new StreamableHTTPClientTransport(new URL(endpoint), {
      fetch: serverFetch(this.#options.fetch, endpoint, requestHeaders(this.config), (challenge) => (this.#challenge = challenge)),
      ...(provider ? { authProvider: provider } : {}),
    });
  }

  async #connect(provider: McpOAuthProvider | undefined, transport = this.#newTransport(provider)): Promise<void> {
    const ms = this.#options.startupTimeoutMs;
    this.#provider = provider;
    try {
      const client = new Client(CLIENT_INFO);
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
      await this.#client?.close().catch(() => {});
      const signIn = await this.#signInWanted(err);
      if (this.#status !== 'connecting') return;
      if (signIn) this.#set('needs_sign_in', signIn);
      else this.#set('failed', this.#describe(err));
    }
  }

  /** Why `err` means the person should sign in, or undefined when it means something else. */
  async #signInWanted(err: unknown): Promise<string | undefined> {
    if (!this.#options.oauth || this.config.bearerToken) return undefined;
    if (err instanceof UnauthorizedError) return this.#provider ? SIGN_IN_EXPIRED : NEEDS_SIGN_IN;
    if (!(err instanceof StreamableHTTPError) || err.code !== 401) return undefined;
    if (this.#challenge) return this.#provider ? SIGN_IN_EXPIRED : NEEDS_SIGN_IN;
    return (await publishesResourceMetadata(endpointUrl(this.config), this.#options.fetch)) ? NEEDS_SIGN_IN : undefined;
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
    this.#signingIn?.abort();
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
    if (this.#status === 'needs_sign_in') return `${server} waits for a sign-in (Settings → Tools)${this.#error ? `: ${this.#error}` : ''}`;
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
    return describeError(err, {
      hasToken: Boolean(this.config.bearerToken),
      canSignIn: Boolean(this.#options.oauth),
      secrets: [...secretsOf(this.config), ...this.#oauthSecrets],
    });
  }
}
