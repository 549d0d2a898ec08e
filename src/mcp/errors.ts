/**
 * Readable texts for what went wrong talking to an MCP server. Every text passes through
 * `redact`, so a token or header value never reaches a status line, a tool output or a log.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

/** A 401 without a token, where no sign-in can run (the headless runner). */
export const OAUTH_NOT_SUPPORTED = 'the server asks for sign-in (OAuth), which is not available here; give a bearer token instead';
/** A 401 without a token from a server that names no sign-in service (no RFC 9728 metadata). */
export const OAUTH_NO_METADATA =
  'the server asks for sign-in but names no sign-in service (OAuth protected-resource metadata); give a bearer token instead';
/** The status text of a server waiting for the person to sign in. */
export const NEEDS_SIGN_IN = 'the server asks you to sign in';
/** …and of one whose stored sign-in no longer works (expired, not refreshable). */
export const SIGN_IN_EXPIRED = 'the sign-in has expired; sign in again';

/** A deadline passed: the message says what did not finish in time. */
class McpTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpTimeoutError';
  }
}

/** "10 s", "0.2 s": timeouts as people read them. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export interface ErrorContext {
  /** A bearer token was sent, so a 401 means it was refused rather than that the server wants a sign-in. */
  hasToken: boolean;
  /** Sign-in can run here (the app), so a 401 without a token means the metadata is missing. */
  canSignIn?: boolean;
  /** Values the text must not contain: tokens, header values, codes, verifiers. */
  secrets: Iterable<string>;
}

/** What `err` means for the person, without secrets. */
export function describeError(err: unknown, context: ErrorContext): string {
  return redact(plainText(err, context), [...context.secrets]);
}

function plainText(err: unknown, context: ErrorContext): string {
  const { hasToken } = context;
  const noToken = context.canSignIn ? OAUTH_NO_METADATA : OAUTH_NOT_SUPPORTED;
  if (err instanceof McpTimeoutError) return err.message;
  if (err instanceof UnauthorizedError) return hasToken ? 'the server refused the bearer token' : noToken;
  if (err instanceof OAuthError) return `the sign-in service refused (${err.errorCode})${err.message ? `: ${firstLine(err.message)}` : ''}`;
  if (err instanceof StreamableHTTPError) return httpText(err, hasToken, noToken);
  if (err instanceof McpError) {
    if (err.code === ErrorCode.RequestTimeout) return 'the request timed out';
    if (err.code === ErrorCode.ConnectionClosed) return 'the connection closed';
    return err.message.replace(/^MCP error -?\d+: /, '');
  }
  if (err instanceof TypeError && /fetch/i.test(err.message)) return networkText(err);
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function httpText(err: StreamableHTTPError, hasToken: boolean, noToken: string): string {
  const status = err.code;
  if (status === 401) return hasToken ? 'the server refused the bearer token (HTTP 401)' : noToken;
  if (status === 403) return 'the server refused access (HTTP 403)';
  if (status === 404) return 'nothing answers at this URL (HTTP 404); check the URL';
  if (status === 405) return 'this URL does not take MCP requests (HTTP 405); check the URL';
  const detail = firstLine(err.message.replace(/^Streamable HTTP error: /, '').replace(/^Error POSTing to endpoint:\s*/, ''));
  const where = status !== undefined && status > 0 ? `HTTP ${status}` : 'unexpected answer';
  return detail ? `${where}: ${detail}` : where;
}

/** Node's fetch says "fetch failed" with the reason in `cause`; browsers hide it (CORS, offline). */
function networkText(err: TypeError): string {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the server running at this URL?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
  if (typeof code === 'string') return `could not reach the server (${code})`;
  return 'could not reach the server: it is offline, or it does not allow requests from this page (CORS); a proxy URL can help';
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** `text` with every secret (and its URL-encoded form) replaced by `[redacted]`. */
function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (form) out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/** `work`'s result, or a McpTimeoutError(message) after `ms` (then `work`'s signal aborts). */
export async function withDeadline<T>(ms: number, message: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
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
