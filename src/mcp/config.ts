/**
 * How a person names an MCP server: its configuration, the rules for its name (it becomes
 * part of tool names, `mcp__<server>__<tool>`), the URL actually fetched (through a proxy
 * for servers that do not allow a tab's origin) and the values that must never be shown.
 */

export interface McpServerConfig {
  /** Letters, digits, `_` and `-` only (see `serverNameProblem`). */
  name: string;
  /** The server's Streamable HTTP endpoint. */
  url: string;
  /** Extra request headers (e.g. an API key header). Secret: never shown. */
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer …`. Secret: never shown. */
  bearerToken?: string;
  /**
   * A CORS proxy: `{url}` in it is replaced by the encoded server URL; without `{url}` the
   * encoded URL is appended.
   */
  proxyUrl?: string;
  /** For sign-in (OAuth): a client id registered beforehand; without one the client registers itself. */
  oauthClientId?: string;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const MAX_NAME = 32;

/** Why `name` cannot name a server, or undefined when it can. */
export function serverNameProblem(name: string): string | undefined {
  if (!name) return 'an MCP server needs a name';
  if (!NAME.test(name)) return `the MCP server name "${name}" may only hold letters, digits, "_" and "-"`;
  if (name.length > MAX_NAME) return `the MCP server name "${name}" is longer than ${MAX_NAME} characters`;
  return undefined;
}

/** Why `url` cannot be fetched, or undefined when it can. */
function serverUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  return /^https?:$/.test(parsed.protocol) ? undefined : `"${url}" is not an http(s) URL`;
}

/**
 * `NAME=URL` (the headless runner's `--mcp`) as a config. Throws an Error whose message is
 * meant for the person.
 */
export function parseMcpSpec(spec: string): McpServerConfig {
  const cut = spec.indexOf('=');
  if (cut < 0) throw new Error(`expected NAME=URL, got "${spec}"`);
  const name = spec.slice(0, cut).trim();
  const url = spec.slice(cut + 1).trim();
  const problem = serverNameProblem(name) ?? serverUrlProblem(url);
  if (problem) throw new Error(problem);
  return { name, url };
}

/** The URL requests go to: the server's own, or the proxy's with the server's inside. */
export function endpointUrl(config: McpServerConfig): string {
  const proxy = config.proxyUrl?.trim();
  if (!proxy) return config.url;
  const encoded = encodeURIComponent(config.url);
  return proxy.includes('{url}') ? proxy.replaceAll('{url}', encoded) : proxy + encoded;
}

/** The headers every request carries: the configured ones, then the bearer token. */
export function requestHeaders(config: McpServerConfig): Record<string, string> {
  const headers: Record<string, string> = { ...config.headers };
  if (config.bearerToken) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'authorization') delete headers[key];
    headers.Authorization = `Bearer ${config.bearerToken}`;
  }
  return headers;
}

/** The values an error text must never contain. */
export function secretsOf(config: McpServerConfig): string[] {
  return [config.bearerToken, ...Object.values(config.headers ?? {})].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Whether two configs would connect the same way (so a running connection can be kept). */
export function sameConfig(a: McpServerConfig, b: McpServerConfig): boolean {
  return JSON.stringify(normalised(a)) === JSON.stringify(normalised(b));
}

function normalised(config: McpServerConfig): unknown[] {
  const headers = Object.entries(config.headers ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return [config.name, config.url, headers, config.bearerToken ?? '', config.proxyUrl ?? '', config.oauthClientId ?? ''];
}
