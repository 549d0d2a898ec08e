/**
 * The tools a person adds beyond the built-in ones: MCP servers and the hosted web search.
 * Saved at once. The servers' addresses go to localStorage (`unroll.tools.v1`); their tokens
 * and header values, like the API key, have their own slot (`unroll.mcpSecrets.v1`) and leave
 * it only through `hubConfigs()`, for the connection itself. So do the sign-ins (OAuth tokens,
 * client registration, code verifier), read and written by the MCP hub through `oauthStore()`
 * and dropped when the server's address changes. `toJSON` carries no secret.
 */
import type { McpOAuthData, McpOAuthStore } from '../mcp/oauth';
import { browserStorage, SafeStorage, type StorageLike } from './safe-storage';

export const TOOLS_STORAGE_KEY = 'unroll.tools.v1';
export const MCP_SECRETS_STORAGE_KEY = 'unroll.mcpSecrets.v1';

export interface McpServerSetting {
  id: string;
  /** Part of the tools' names (`mcp__<name>__<tool>`): letters, digits, `_` and `-`. */
  name: string;
  url: string;
  /** For servers without CORS: a URL with `{url}` where the server's address goes, or a prefix. */
  proxyUrl: string;
  /** For sign-in (OAuth): a client id registered with the server beforehand ('' to register). */
  oauthClientId: string;
  enabled: boolean;
}

interface McpSecrets {
  token: string;
  headers: { name: string; value: string }[];
  oauth?: McpOAuthData;
}

/** What the MCP hub connects with (secrets included). */
export interface McpConnectConfig {
  name: string;
  url: string;
  bearerToken?: string;
  headers?: Record<string, string>;
  proxyUrl?: string;
  oauthClientId?: string;
}

export function mcpNameError(name: string, others: readonly McpServerSetting[], id: string): string {
  if (!name.trim()) return 'Give the server a name.';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) return 'Use letters, digits, _ and - only: the name is part of each tool name.';
  if (others.some((s) => s.id !== id && s.name === name)) return 'Another server has this name.';
  return '';
}

export function mcpUrlError(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? '' : 'Use an http:// or https:// address.';
  } catch {
    return url.trim() ? 'This is not a full address (https://…).' : 'Enter the server address (its Streamable HTTP endpoint, often …/mcp).';
  }
}

export class ToolSettings {
  #servers = $state.raw<McpServerSetting[]>([]);
  #secrets = $state.raw<Record<string, McpSecrets>>({});
  #webSearch = $state(false);
  readonly #storage: SafeStorage;
  /** Called after every change (the app reconnects its MCP servers). */
  onChange: (() => void) | null = null;

  constructor(storage: StorageLike | null = browserStorage('localStorage')) {
    this.#storage = new SafeStorage(storage, () => {});
    this.#load();
  }

  get servers(): readonly McpServerSetting[] {
    return this.#servers;
  }
  /** Offer the hosted web_search tool where the server hosts it (off by default). */
  get webSearch(): boolean {
    return this.#webSearch;
  }
  set webSearch(on: boolean) {
    this.#webSearch = on;
    this.#save();
  }

  addServer(): McpServerSetting {
    const server: McpServerSetting = { id: crypto.randomUUID(), name: '', url: '', proxyUrl: '', oauthClientId: '', enabled: true };
    this.#servers = [...this.#servers, server];
    this.#save();
    return server;
  }
  updateServer(id: string, patch: Partial<Omit<McpServerSetting, 'id'>>): void {
    const before = this.#servers.find((s) => s.id === id);
    this.#servers = this.#servers.map((s) => (s.id === id ? { ...s, ...patch } : s));
    // A sign-in belongs to the server it was made with; the hub ignores it elsewhere anyway.
    if (before && patch.url !== undefined && patch.url.trim() !== before.url.trim()) this.#setOAuth(id, undefined, false);
    this.#save();
  }
  removeServer(id: string): void {
    this.#servers = this.#servers.filter((s) => s.id !== id);
    const secrets = { ...this.#secrets };
    delete secrets[id];
    this.#secrets = secrets;
    this.#save();
  }

  /** Whether a token is stored for the server (the token itself is never shown again). */
  hasToken(id: string): boolean {
    return !!this.#secrets[id]?.token;
  }
  setToken(id: string, token: string): void {
    this.#setSecrets(id, { token: token.trim() });
  }
  headerNames(id: string): string[] {
    return (this.#secrets[id]?.headers ?? []).map((h) => h.name);
  }
  setHeader(id: string, name: string, value: string): void {
    const headers = (this.#secrets[id]?.headers ?? []).filter((h) => h.name.toLowerCase() !== name.toLowerCase());
    this.#setSecrets(id, { headers: value ? [...headers, { name, value }] : headers });
  }

  /** Whether sign-in tokens (OAuth) are stored for the server. */
  isSignedIn(id: string): boolean {
    const server = this.#servers.find((s) => s.id === id);
    const oauth = this.#secrets[id]?.oauth;
    return !!server && !!oauth?.tokens && oauth.url === server.url.trim();
  }

  /** The sign-ins, by server name, for the MCP hub only (names as in `hubConfigs()`). */
  oauthStore(): McpOAuthStore {
    const idOf = (name: string) => this.hubConfigIds().get(name);
    return {
      load: (name) => {
        const id = idOf(name);
        return id ? this.#secrets[id]?.oauth : undefined;
      },
      save: (name, data) => {
        const id = idOf(name);
        if (id) this.#setOAuth(id, data);
      },
      forget: (name) => {
        const id = idOf(name);
        if (id) this.#setOAuth(id, undefined);
      },
    };
  }

  /** The enabled, well-formed servers with their secrets: for the MCP hub only. */
  hubConfigs(): McpConnectConfig[] {
    return this.#hubServers().map((s) => {
      const secrets = this.#secrets[s.id];
      const headers = Object.fromEntries((secrets?.headers ?? []).map((h) => [h.name, h.value]));
      return {
        name: s.name,
        url: s.url.trim(),
        ...(secrets?.token ? { bearerToken: secrets.token } : {}),
        ...(Object.keys(headers).length ? { headers } : {}),
        ...(s.proxyUrl.trim() ? { proxyUrl: s.proxyUrl.trim() } : {}),
        ...(s.oauthClientId.trim() ? { oauthClientId: s.oauthClientId.trim() } : {}),
      };
    });
  }

  /** Server name → id, for the servers `hubConfigs()` hands over. */
  hubConfigIds(): Map<string, string> {
    return new Map(this.#hubServers().map((s) => [s.name, s.id]));
  }

  #hubServers(): McpServerSetting[] {
    return this.#servers.filter((s) => s.enabled && !mcpNameError(s.name, this.#servers, s.id) && !mcpUrlError(s.url));
  }

  /** Everything but the secrets. */
  toJSON(): { servers: McpServerSetting[]; webSearch: boolean } {
    return { servers: this.#servers.map((s) => ({ ...s })), webSearch: this.#webSearch };
  }

  #setSecrets(id: string, patch: Partial<McpSecrets>): void {
    const current = this.#secrets[id] ?? { token: '', headers: [] };
    this.#secrets = { ...this.#secrets, [id]: { ...current, ...patch } };
    this.#save();
  }

  /** Stores (or, with undefined, drops) a sign-in. Not a change to reconnect for: the hub made it. */
  #setOAuth(id: string, oauth: McpOAuthData | undefined, write = true): void {
    const { oauth: _dropped, ...current } = this.#secrets[id] ?? { token: '', headers: [] };
    this.#secrets = { ...this.#secrets, [id]: oauth ? { ...current, oauth } : current };
    if (write) this.#storage.write(MCP_SECRETS_STORAGE_KEY, JSON.stringify(this.#secrets));
  }

  #load(): void {
    const saved = parseJson(this.#storage.read(TOOLS_STORAGE_KEY));
    if (saved && typeof saved === 'object') {
      const { servers, webSearch } = saved as { servers?: unknown; webSearch?: unknown };
      this.#webSearch = webSearch === true;
      if (Array.isArray(servers)) this.#servers = servers.flatMap(readServer);
    }
    const secrets = parseJson(this.#storage.read(MCP_SECRETS_STORAGE_KEY));
    if (secrets && typeof secrets === 'object') {
      const out: Record<string, McpSecrets> = {};
      for (const [id, value] of Object.entries(secrets as Record<string, unknown>)) {
        const v = (value ?? {}) as { token?: unknown; headers?: unknown; oauth?: unknown };
        const headers = Array.isArray(v.headers)
          ? v.headers.filter((h): h is { name: string; value: string } => typeof h?.name === 'string' && typeof h?.value === 'string')
          : [];
        const oauth = v.oauth as Partial<McpOAuthData> | undefined;
        out[id] = {
          token: typeof v.token === 'string' ? v.token : '',
          headers,
          ...(typeof oauth?.url === 'string' ? { oauth: oauth as McpOAuthData } : {}),
        };
      }
      this.#secrets = out;
    }
  }

  #save(): void {
    this.#storage.write(TOOLS_STORAGE_KEY, JSON.stringify(this.toJSON()));
    this.#storage.write(MCP_SECRETS_STORAGE_KEY, JSON.stringify(this.#secrets));
    this.onChange?.();
  }
}

function readServer(value: unknown): McpServerSetting[] {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.url !== 'string') return [];
  const text = (key: string) => (typeof v[key] === 'string' ? v[key] : '');
  return [
    { id: v.id, name: text('name'), url: v.url, proxyUrl: text('proxyUrl'), oauthClientId: text('oauthClientId'), enabled: v.enabled !== false },
  ];
}

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
