/**
 * A small OAuth 2.1 authorization server for tests, on node:http with CORS: metadata (RFC 8414),
 * dynamic client registration (RFC 7591, `/register`), `/authorize` that signs the person in at
 * once (or, with `consentPage`, after a click on *Allow*) and redirects back with a code, and `/token` for the authorization code (checking the
 * PKCE S256 verifier and the redirect URI) and refresh token grants. The MCP test server asks
 * it whether a bearer token is one it issued (`accepts`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthTestServerOptions {
  /** Lifetime of an access token (default one hour). */
  accessTokenTtlMs?: number;
  /** `/authorize` first shows a page with an *Allow* link, as a real sign-in page waits for the person. */
  consentPage?: boolean;
  /** Clients known without registering: client id → redirect URIs. */
  clients?: Record<string, string[]>;
}

export interface LoggedOAuthRequest {
  method: string;
  path: string;
  /** Query and form parameters. */
  params: Record<string, string>;
}

export interface OAuthTestServer {
  /** `http://127.0.0.1:PORT`, the issuer. */
  issuer: string;
  requests: LoggedOAuthRequest[];
  /** The `error_description` of every refused token request, in order. */
  refusals: string[];
  /** Whether `token` is a current access token of this server. */
  accepts(token: string): boolean;
  /** Every token and code issued so far (to look for them where they must not be). */
  issued(): { access: string[]; refresh: string[]; codes: string[] };
  /** Makes every access token issued so far expire now. */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization, MCP-Protocol-Version',
};

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  resource?: string;
}

export async function startOAuthTestServer(options: OAuthTestServerOptions = {}): Promise<OAuthTestServer> {
  const ttl = options.accessTokenTtlMs ?? 3_600_000;
  const requests: LoggedOAuthRequest[] = [];
  const clients = new Map(Object.entries(options.clients ?? {}).map(([id, redirectUris]) => [id, { redirectUris }]));
  const refusals: string[] = [];
  const codes = new Map<string, Grant & { used: boolean }>();
  const access = new Map<string, { expires: number }>();
  const refresh = new Map<string, Grant>();
  const ever = { access: [] as string[], refresh: [] as string[], codes: [] as string[] };
  let issuer = '';

  const token = (prefix: string) => `${prefix}-${randomBytes(18).toString('base64url')}`;

  function issue(grant: Grant): Record<string, unknown> {
    const accessToken = token('at');
    const refreshToken = token('rt');
    access.set(accessToken, { expires: Date.now() + ttl });
    refresh.set(refreshToken, grant);
    ever.access.push(accessToken);
    ever.refresh.push(refreshToken);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: Math.round(ttl / 1000), refresh_token: refreshToken, scope: grant.scope };
  }

  function tokenEndpoint(params: Record<string, string>, res: ServerResponse): void {
    const refuse = (error: string, description: string) => {
      refusals.push(description);
      json(res, 400, { error, error_description: description });
    };
    if (params.grant_type === 'authorization_code') {
      const grant = codes.get(params.code ?? '');
      if (!grant || grant.used) return refuse('invalid_grant', 'unknown or used authorization code');
      grant.used = true;
      if (grant.clientId !== params.client_id) return refuse('invalid_grant', 'the code was issued to another client');
      if (grant.redirectUri !== params.redirect_uri) return refuse('invalid_grant', 'the redirect URI differs from the authorization request');
      const challenge = createHash('sha256')
        .update(params.code_verifier ?? '')
        .digest('base64url');
      if (challenge !== grant.challenge) return refuse('invalid_grant', 'the PKCE code verifier does not match the challenge');
      return json(res, 200, issue(grant));
    }
    if (params.grant_type === 'refresh_token') {
      const grant = refresh.get(params.refresh_token ?? '');
      if (!grant || grant.clientId !== params.client_id) return refuse('invalid_grant', 'unknown refresh token');
      refresh.delete(params.refresh_token!);
      return json(res, 200, issue(grant));
    }
    refuse('unsupported_grant_type', `grant type ${params.grant_type ?? '(none)'} is not supported`);
  }

  function authorize(params: Record<string, string>, res: ServerResponse): void {
    const client = clients.get(params.client_id ?? '');
    const redirectUri = params.redirect_uri ?? '';
    if (!client || !client.redirectUris.includes(redirectUri))
      return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end('unknown client or redirect URI');
    if (options.consentPage && params.approve !== '1') {
      const allow = new URL(`/authorize?${new URLSearchParams({ ...params, approve: '1' })}`, issuer).href.replaceAll('&', '&amp;');
      const page = `<!doctype html><title>Sign in · test</title><h1>Sign in to the test server</h1><a href="${allow}">Allow</a>`;
      return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(page);
    }
    const back = new URL(redirectUri);
    if (params.state) back.searchParams.set('state', params.state);
    if (params.response_type !== 'code' || params.code_challenge_method !== 'S256' || !params.code_challenge) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'PKCE S256 is required');
    } else {
      const code = token('code');
      ever.codes.push(code);
      const { client_id: clientId, code_challenge: challenge, scope = '', resource } = params;
      codes.set(code, { clientId: clientId!, redirectUri, challenge, scope, ...(resource ? { resource } : {}), used: false });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { Location: back.href }).end();
  }

  function register(body: Record<string, unknown>, res: ServerResponse): void {
    const uris = body.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string')) {
      return json(res, 400, { error: 'invalid_redirect_uri', error_description: 'redirect_uris is required' });
    }
    const clientId = token('client');
    clients.set(clientId, { redirectUris: uris as string[] });
    json(res, 201, { ...body, client_id: clientId, client_id_issued_at: Math.floor(Date.now() / 1000), token_endpoint_auth_method: 'none' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', issuer);
    const text = req.method === 'POST' ? await readBody(req) : '';
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const params = { ...Object.fromEntries(url.searchParams), ...(isJson ? {} : Object.fromEntries(new URLSearchParams(text))) };
    requests.push({ method: req.method ?? '', path: url.pathname, params });
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['mcp'],
      });
    }
    if (url.pathname === '/register' && req.method === 'POST') return register(JSON.parse(text || '{}') as Record<string, unknown>, res);
    if (url.pathname === '/authorize' && req.method === 'GET') return authorize(params, res);
    if (url.pathname === '/token' && req.method === 'POST') return tokenEndpoint(params, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String((err as Error)?.message ?? err));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    issuer,
    requests,
    refusals,
    accepts: (t) => (access.get(t)?.expires ?? 0) > Date.now(),
    issued: () => ({ access: [...ever.access], refresh: [...ever.refresh], codes: [...ever.codes] }),
    expireAccessTokens() {
      for (const entry of access.values()) entry.expires = 0;
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
