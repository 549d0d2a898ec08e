/**
 * The steps of a sign-in around the SDK's `auth()`: noticing that a server asks for one (a 401
 * naming its protected-resource metadata, RFC 9728), and the interactive flow — discovery and
 * registration by `auth()`, the sign-in page shown through `OpenAuthorization`, its answer
 * checked against the state sent, the code exchanged by `transport.finishAuth`.
 */
import { auth, discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpOAuthProvider, OpenAuthorization } from './oauth';

/** What a server's 401 said about signing in. */
export interface SignInChallenge {
  resourceMetadataUrl: URL;
  scope?: string;
}

/**
 * The fetch a connection uses: `headers` (the configured ones, the bearer token) go only to the
 * server's own origin — never to an authorization server elsewhere — and every 401 that names
 * protected-resource metadata is reported to `onChallenge`.
 */
export function serverFetch(
  base: FetchLike | undefined,
  endpoint: string,
  headers: Record<string, string>,
  onChallenge: (challenge: SignInChallenge) => void,
): FetchLike {
  const origin = new URL(endpoint).origin;
  return async (url, init) => {
    let request = init;
    if (Object.keys(headers).length && new URL(String(url)).origin === origin) {
      const merged = new Headers(init?.headers);
      for (const [name, value] of Object.entries(headers)) merged.set(name, value);
      request = { ...init, headers: merged };
    }
    const response = await (base ?? fetch)(url, request);
    if (response.status === 401) {
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response);
      if (resourceMetadataUrl) onChallenge({ resourceMetadataUrl, ...(scope ? { scope } : {}) });
    }
    return response;
  };
}

/**
 * Whether the server at `endpoint` publishes protected-resource metadata at its well-known
 * address: a page cannot read `WWW-Authenticate` unless the server exposes it (CORS).
 */
export async function publishesResourceMetadata(endpoint: string, fetchFn: FetchLike | undefined): Promise<boolean> {
  try {
    await discoverOAuthProtectedResourceMetadata(endpoint, undefined, fetchFn);
    return true;
  } catch {
    return false;
  }
}

export interface SignInSteps {
  provider: McpOAuthProvider;
  endpoint: string;
  challenge: SignInChallenge | undefined;
  fetch: FetchLike | undefined;
  open: OpenAuthorization;
  signal: AbortSignal;
  /** A transport that uses `provider`. */
  transport(): StreamableHTTPClientTransport;
  /** Called with the authorization code before it is exchanged (so errors can be cleaned of it). */
  onCode(code: string): void;
}

/**
 * Runs the sign-in and resolves with a transport holding fresh tokens (stored through the
 * provider). Rejects with an Error whose message is for the person; it may name the sign-in
 * service's error, which the caller cleans of secrets.
 */
export async function runSignIn(steps: SignInSteps): Promise<StreamableHTTPClientTransport> {
  const { provider, signal } = steps;
  const result = await auth(provider, {
    serverUrl: steps.endpoint,
    ...(steps.challenge ? { resourceMetadataUrl: steps.challenge.resourceMetadataUrl } : {}),
    ...(steps.challenge?.scope ? { scope: steps.challenge.scope } : {}),
    ...(steps.fetch ? { fetchFn: steps.fetch } : {}),
  });
  abandoned(signal);
  const transport = steps.transport();
  // Stored tokens were refreshed: no sign-in page needed.
  if (result === 'AUTHORIZED') return transport;
  const url = provider.authorizationUrl;
  if (!url) throw new Error('the sign-in service gave no sign-in page');
  const answer = await steps.open(url.href, signal);
  abandoned(signal);
  if (!answer.code) throw new Error('the sign-in page sent no authorization code back');
  steps.onCode(answer.code);
  if (answer.state !== provider.expectedState) {
    throw new Error('the answer of the sign-in page does not belong to this sign-in (its state differs); sign in again');
  }
  await transport.finishAuth(answer.code);
  abandoned(signal);
  return transport;
}

function abandoned(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('the sign-in was abandoned: the server was removed or changed meanwhile');
}
