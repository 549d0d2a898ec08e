/**
 * Sign-in for MCP servers that ask for it (OAuth 2.1: authorization code + PKCE S256, REFERENCE
 * §8): the SDK's `OAuthClientProvider` over a store the app supplies. Tokens, the client
 * registration and the code verifier live only in that store, under the server's name and
 * bound to its URL: what was stored for another URL is never used, so a token is never sent
 * to a server it was not issued for. Discovery results are kept in memory only.
 */
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** What one server's sign-in leaves behind. Secret: kept only where the app keeps tokens. */
export interface McpOAuthData {
  /** The server URL these belong to. */
  url: string;
  tokens?: OAuthTokens;
  client?: OAuthClientInformationMixed;
  /** The PKCE verifier of a sign-in under way. */
  codeVerifier?: string;
}

/** Where sign-ins are kept, by server name. Its methods must not throw. */
export interface McpOAuthStore {
  load(server: string): McpOAuthData | undefined;
  save(server: string, data: McpOAuthData): void;
  forget(server: string): void;
}

/**
 * Shows the person the sign-in page at `url` and resolves with what its redirect brought back.
 * Rejects with an Error whose message is for the person (blocked, closed, timed out). `signal`
 * aborts when the sign-in is abandoned (the server was removed or changed meanwhile).
 */
export type OpenAuthorization = (url: string, signal: AbortSignal) => Promise<{ code: string; state?: string }>;

export interface McpOAuthOptions {
  store: McpOAuthStore;
  /** Where the sign-in page sends the person back (the app's `/mcp-oauth-callback.html`). */
  redirectUrl: string;
  /** How `McpHub.signIn` shows the sign-in page when the call brings no function of its own. */
  openAuthorization?: OpenAuthorization;
  /** The name the sign-in page shows (default "Unroll"). */
  clientName?: string;
}

export interface OAuthServer {
  name: string;
  url: string;
  /** A client id registered beforehand; without one the client registers itself (RFC 7591). */
  oauthClientId?: string;
}

/**
 * One server's OAuth client. `interactive`: a sign-in the person started, which keeps its code
 * verifier and draws a state; otherwise the SDK may only use and refresh stored tokens (an
 * authorization it starts is noted, never shown). Every secret it handles is added to `seen`,
 * so error texts can be cleaned of them.
 */
export class McpOAuthProvider implements OAuthClientProvider {
  readonly #server: OAuthServer;
  readonly #options: McpOAuthOptions;
  readonly #interactive: boolean;
  readonly #seen: Set<string>;
  readonly #state = randomState();
  #authorizationUrl: URL | undefined;
  #discovery: OAuthDiscoveryState | undefined;

  constructor(server: OAuthServer, options: McpOAuthOptions, seen: Set<string>, interactive = false) {
    this.#server = server;
    this.#options = options;
    this.#seen = seen;
    this.#interactive = interactive;
    const data = this.#load();
    this.#note(data?.tokens?.access_token, data?.tokens?.refresh_token, data?.codeVerifier, clientSecret(data?.client));
  }

  get redirectUrl(): string {
    return this.#options.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.#options.clientName ?? 'Unroll',
      redirect_uris: [this.#options.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  /** The sign-in page to show, once `auth()` asked for one. */
  get authorizationUrl(): URL | undefined {
    return this.#authorizationUrl;
  }

  /** The state the sign-in page must send back. */
  get expectedState(): string {
    return this.#state;
  }

  /** Whether tokens are stored for this server. */
  hasTokens(): boolean {
    return this.#load()?.tokens !== undefined;
  }

  state(): string {
    return this.#state;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const configured = this.#server.oauthClientId?.trim();
    return configured ? { client_id: configured } : this.#load()?.client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.#note(clientSecret(client));
    this.#update({ client });
  }

  tokens(): OAuthTokens | undefined {
    return this.#load()?.tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#note(tokens.access_token, tokens.refresh_token);
    this.#update({ tokens, codeVerifier: undefined });
  }

  redirectToAuthorization(url: URL): void {
    this.#authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    if (!this.#interactive) return;
    this.#note(verifier);
    this.#update({ codeVerifier: verifier });
  }

  codeVerifier(): string {
    const verifier = this.#load()?.codeVerifier;
    if (!verifier) throw new Error('the sign-in lost its PKCE code verifier; sign in again');
    return verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
    if (scope === 'all') return this.#options.store.forget(this.#server.name);
    if (scope === 'client') this.#update({ client: undefined });
    if (scope === 'tokens') this.#update({ tokens: undefined });
    if (scope === 'verifier') this.#update({ codeVerifier: undefined });
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discovery;
  }

  /** The stored data, if it was stored for this server's URL. */
  #load(): McpOAuthData | undefined {
    const data = this.#options.store.load(this.#server.name);
    return data && data.url === this.#server.url ? data : undefined;
  }

  #update(patch: Partial<Omit<McpOAuthData, 'url'>>): void {
    const next: McpOAuthData = { ...this.#load(), ...patch, url: this.#server.url };
    for (const key of Object.keys(next) as (keyof McpOAuthData)[]) if (next[key] === undefined) delete next[key];
    this.#options.store.save(this.#server.name, next);
  }

  #note(...secrets: (string | undefined)[]): void {
    for (const secret of secrets) if (secret) this.#seen.add(secret);
  }
}

function clientSecret(client: OAuthClientInformationMixed | undefined): string | undefined {
  return client?.client_secret;
}

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
