/**
 * Signing in to an MCP server that asks for OAuth: the real SDK client flow (RFC 9728 metadata,
 * RFC 8414 metadata, dynamic registration, authorization code + PKCE S256, refresh) against the
 * test authorization server in front of the test MCP server. The sign-in page is "shown" by a
 * function that follows its redirect, as the popup would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  McpHub,
  NEEDS_SIGN_IN,
  OAUTH_NO_METADATA,
  SIGN_IN_EXPIRED,
  type McpOAuthData,
  type McpOAuthStore,
  type OpenAuthorization,
} from '../../../src/mcp/index';
import { startMcpTestServer, type McpTestServer } from '../../support/mcp-server';
import { startOAuthTestServer, type OAuthTestServer } from '../../support/oauth-server';

const REDIRECT = 'http://127.0.0.1:9/mcp-oauth-callback.html';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

class MemoryStore implements McpOAuthStore {
  readonly data = new Map<string, McpOAuthData>();
  saves = 0;
  load(server: string): McpOAuthData | undefined {
    const data = this.data.get(server);
    return data && structuredClone(data);
  }
  save(server: string, data: McpOAuthData): void {
    this.saves++;
    this.data.set(server, structuredClone(data));
  }
  forget(server: string): void {
    this.data.delete(server);
  }
}

/** The sign-in page, as a popup would show it: its redirect is followed, and what it carries returned. */
const followRedirect: OpenAuthorization = async (url) => {
  const answer = await fetch(url, { redirect: 'manual' });
  const back = new URL(answer.headers.get('location') ?? '');
  expect(back.origin + back.pathname).toBe(REDIRECT);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`the sign-in page answered ${back.searchParams.get('error')}`);
  return { code, state: back.searchParams.get('state') ?? undefined };
};

async function setup(): Promise<{ auth: OAuthTestServer; mcp: McpTestServer; store: MemoryStore; hub: () => McpHub }> {
  const auth = await startOAuthTestServer({ clients: { 'pre-registered': [REDIRECT] } });
  cleanups.push(() => auth.close());
  const mcp = await startMcpTestServer({ oauth: auth });
  cleanups.push(() => mcp.close());
  const store = new MemoryStore();
  const hub = () => {
    const h = new McpHub({ oauth: { store, redirectUrl: REDIRECT, openAuthorization: followRedirect } });
    cleanups.push(() => h.close());
    return h;
  };
  return { auth, mcp, store, hub };
}

const signal = () => new AbortController().signal;

/** Every text a person could see: states, errors of failed calls and sign-ins. */
function visible(hub: McpHub, extra: string[] = []): string {
  return JSON.stringify([hub.servers(), extra]);
}

describe('MCP sign-in (OAuth)', () => {
  it('needs a sign-in, signs in with PKCE, calls a tool, keeps the tokens only in the store and never shows them', async () => {
    const { auth, mcp, store, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    expect(h.servers()).toEqual([{ name: 'docs', url: mcp.url, status: 'needs_sign_in', error: NEEDS_SIGN_IN, tools: [] }]);
    const refused = await h.callTool('docs', 'echo', { text: 'x' }, { signal: signal() }).catch((err: Error) => err.message);
    expect(refused).toMatch(/waits for a sign-in/);

    await h.signIn('docs');
    expect(h.servers()[0]).toMatchObject({ status: 'ready', signedIn: true });
    expect(h.tools().map((t) => t.name)).toContain('echo');
    expect(await h.callTool('docs', 'echo', { text: 'signed in' }, { signal: signal() })).toEqual({ text: 'echo: signed in', isError: false });

    // The flow: metadata, registration, authorization with S256, the code exchanged with its verifier.
    const paths = auth.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /.well-known/oauth-authorization-server', 'POST /register', 'GET /authorize', 'POST /token']));
    const authorize = auth.requests.find((r) => r.path === '/authorize')!.params;
    expect(authorize).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: REDIRECT,
      scope: 'mcp',
      resource: mcp.url,
    });
    expect(authorize.state).toMatch(/^[0-9a-f]{32}$/);
    const exchange = auth.requests.find((r) => r.path === '/token')!.params;
    expect(exchange).toMatchObject({ grant_type: 'authorization_code', redirect_uri: REDIRECT });
    expect(exchange.code_verifier!.length).toBeGreaterThanOrEqual(43);

    // Stored: tokens and registration, bound to the server's URL; the verifier is gone once used.
    const stored = store.data.get('docs')!;
    const [accessToken] = auth.issued().access;
    expect(stored).toMatchObject({
      url: mcp.url,
      tokens: { access_token: accessToken, token_type: 'Bearer' },
      client: { client_id: expect.stringMatching(/^client-/) },
    });
    expect(stored.tokens!.refresh_token).toBe(auth.issued().refresh[0]);
    expect(stored.codeVerifier).toBeUndefined();
    expect(mcp.requests.some((r) => r.headers.authorization === `Bearer ${accessToken}`)).toBe(true);

    // A new hub (a reload) uses the stored token without a sign-in.
    const again = hub();
    await again.setServers([{ name: 'docs', url: mcp.url }]);
    expect(again.servers()[0]).toMatchObject({ status: 'ready', signedIn: true });
    expect(auth.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);

    // Errors never carry a token or a code: a failed call, the states.
    const failure = await h.callTool('docs', 'nope', {}, { signal: signal() }).then(JSON.stringify, (err: Error) => err.message);
    const secrets = [...auth.issued().access, ...auth.issued().refresh, ...auth.issued().codes, exchange.code_verifier!];
    for (const secret of secrets) expect(visible(h, [failure]) + visible(again)).not.toContain(secret);

    // Signing out forgets everything and asks for a sign-in again.
    await again.signOut('docs');
    expect(store.data.has('docs')).toBe(false);
    expect(again.servers()[0]).toMatchObject({ status: 'needs_sign_in' });
    expect(again.servers()[0]!.signedIn).toBeUndefined();
  });

  it('refuses a wrong PKCE verifier, and says so without the code or the verifier', async () => {
    const { auth, mcp, store, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    let verifier = '';
    // The sign-in page answers, but the verifier kept meanwhile is not the one the challenge was made from.
    const tampered: OpenAuthorization = async (url, abort) => {
      const answer = await followRedirect(url, abort);
      verifier = store.data.get('docs')!.codeVerifier!;
      store.save('docs', { ...store.data.get('docs')!, codeVerifier: 'x'.repeat(64) });
      return answer;
    };
    const error = await h.signIn('docs', tampered).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(error).toMatch(/^the sign-in did not finish: the sign-in service refused \(invalid_grant\)/);
    // The SDK tries the code once more after invalid_grant; the server refused the verifier first.
    expect(auth.refusals[0]).toBe('the PKCE code verifier does not match the challenge');
    expect(auth.requests.find((r) => r.path === '/token')!.params.code_verifier).toBe('x'.repeat(64));
    expect(h.servers()[0]).toMatchObject({ status: 'needs_sign_in', error });
    expect(auth.issued().access).toEqual([]);
    for (const secret of [verifier, 'x'.repeat(64), ...auth.issued().codes]) expect(visible(h, [error])).not.toContain(secret);

    // Signing in properly afterwards works.
    await h.signIn('docs');
    expect(h.servers()[0]!.status).toBe('ready');
  });

  it('refuses an answer whose state is not the one sent', async () => {
    const { mcp, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    const forged: OpenAuthorization = async (url, abort) => ({ ...(await followRedirect(url, abort)), state: 'forged' });
    await expect(h.signIn('docs', forged)).rejects.toThrow('does not belong to this sign-in (its state differs)');
    expect(h.servers()[0]!.status).toBe('needs_sign_in');
  });

  it('refreshes an expired access token and keeps the new one', async () => {
    const { auth, mcp, store, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    await h.signIn('docs');
    const first = store.data.get('docs')!.tokens!;

    auth.expireAccessTokens();
    expect(await h.callTool('docs', 'add', { a: 2, b: 3 }, { signal: signal() })).toEqual({ text: '5', isError: false });
    const refreshes = auth.requests.filter((r) => r.path === '/token' && r.params.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.params.refresh_token).toBe(first.refresh_token);
    const second = store.data.get('docs')!.tokens!;
    expect(second.access_token).not.toBe(first.access_token);
    expect(auth.accepts(second.access_token)).toBe(true);

    // At the next connect too: an expired stored token is refreshed, not a new sign-in.
    auth.expireAccessTokens();
    const again = hub();
    await again.setServers([{ name: 'docs', url: mcp.url }]);
    expect(again.servers()[0]).toMatchObject({ status: 'ready', signedIn: true });
    expect(auth.requests.filter((r) => r.path === '/authorize')).toHaveLength(1);
  });

  it('asks for a sign-in again when the stored sign-in cannot be refreshed', async () => {
    const { auth, mcp, store, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    await h.signIn('docs');
    const data = store.data.get('docs')!;
    store.save('docs', { ...data, tokens: { ...data.tokens!, refresh_token: 'rt-revoked' } });
    auth.expireAccessTokens();

    const again = hub();
    await again.setServers([{ name: 'docs', url: mcp.url }]);
    expect(again.servers()[0]).toMatchObject({ status: 'needs_sign_in', error: SIGN_IN_EXPIRED });
    await again.signIn('docs');
    expect(again.servers()[0]!.status).toBe('ready');
  });

  it('never sends stored tokens to a server at another URL', async () => {
    const { mcp, store, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    await h.signIn('docs');
    const other = await startMcpTestServer();
    cleanups.push(() => other.close());
    await h.setServers([{ name: 'docs', url: other.url }]);
    expect(h.servers()[0]!.status).toBe('ready');
    const token = store.data.get('docs')!.tokens!.access_token;
    expect(other.requests.some((r) => JSON.stringify(r.headers).includes(token))).toBe(false);
  });

  it('uses a configured client id instead of registering', async () => {
    const { auth, mcp, hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: mcp.url, oauthClientId: 'pre-registered' }]);
    await h.signIn('docs');
    expect(h.servers()[0]!.status).toBe('ready');
    expect(auth.requests.some((r) => r.path === '/register')).toBe(false);
    expect(auth.requests.find((r) => r.path === '/authorize')?.params.client_id).toBe('pre-registered');
    expect(auth.requests.find((r) => r.path === '/token')?.params.client_id).toBe('pre-registered');
  });

  it('finds the metadata at its well-known address when the page cannot read WWW-Authenticate (CORS)', async () => {
    const { mcp, store } = await setup();
    const hidden = async (url: string | URL, init?: RequestInit) => {
      const answer = await fetch(url, init);
      const headers = new Headers(answer.headers);
      headers.delete('www-authenticate');
      return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
    };
    const h = new McpHub({ fetch: hidden, oauth: { store, redirectUrl: REDIRECT, openAuthorization: followRedirect } });
    cleanups.push(() => h.close());
    await h.setServers([{ name: 'docs', url: mcp.url }]);
    expect(h.servers()[0]).toMatchObject({ status: 'needs_sign_in', error: NEEDS_SIGN_IN });
    await h.signIn('docs');
    expect(h.servers()[0]!.status).toBe('ready');
  });

  it('fails with a readable text when a server asks for a token but names no sign-in service', async () => {
    const plain = await startMcpTestServer({ token: 'tok-SECRET' });
    cleanups.push(() => plain.close());
    const { hub } = await setup();
    const h = hub();
    await h.setServers([{ name: 'docs', url: plain.url }]);
    expect(h.servers()[0]).toMatchObject({ status: 'failed', error: OAUTH_NO_METADATA });
    await expect(h.signIn('docs')).rejects.toThrow('does not ask for a sign-in (it is failed)');
  });
});
