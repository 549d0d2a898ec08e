/**
 * The tools a person adds beyond the built-in ones: MCP servers and the hosted web search.
 * Saved at once. The servers' addresses go to localStorage (`unroll.tools.v1`); their tokens
 * and header values, like the API key, have their own slot (`unroll.mcpSecrets.v1`) and leave
 * it only through `hubConfigs()`, for the connection itself. `toJSON` carries no secret.
 */
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
  enabled: boolean;
}

interface McpSecrets {
  token: string;
  headers: { name: string; value: string }[];
}

/** What the MCP hub connects with (secrets included). */
export interface McpConnectConfig {
  name: string;
  url: string;
  bearerToken?: string;
  headers?: Record<string, string>;
  proxyUrl?: string;
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
    const server: McpServerSetting = { id: crypto.randomUUID(), name: '', url: '', proxyUrl: '', enabled: true };
    this.#servers = [...this.#servers, server];
    this.#save();
    return server;
  }
  updateServer(id: string, patch: Partial<Omit<McpServerSetting, 'id'>>): void {
    this.#servers = this.#servers.map((s) => (s.id === id ? { ...s, ...patch } : s));
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

  /** The enabled, well-formed servers with their secrets: for the MCP hub only. */
  hubConfigs(): McpConnectConfig[] {
    return this.#servers
      .filter((s) => s.enabled && !mcpNameError(s.name, this.#servers, s.id) && !mcpUrlError(s.url))
      .map((s) => {
        const secrets = this.#secrets[s.id];
        const headers = Object.fromEntries((secrets?.headers ?? []).map((h) => [h.name, h.value]));
        return {
          name: s.name,
          url: s.url.trim(),
          ...(secrets?.token ? { bearerToken: secrets.token } : {}),
          ...(Object.keys(headers).length ? { headers } : {}),
          ...(s.proxyUrl.trim() ? { proxyUrl: s.proxyUrl.trim() } : {}),
        };
      });
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
        const v = (value ?? {}) as { token?: unknown; headers?: unknown };
        const headers = Array.isArray(v.headers)
          ? v.headers.filter((h): h is { name: string; value: string } => typeof h?.name === 'string' && typeof h?.value === 'string')
          : [];
        out[id] = { token: typeof v.token === 'string' ? v.token : '', headers };
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
  return [{ id: v.id, name: typeof v.name === 'string' ? v.name : '', url: v.url, proxyUrl: typeof v.proxyUrl === 'string' ? v.proxyUrl : '', enabled: v.enabled !== false }];
}

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
