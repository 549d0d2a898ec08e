/**
 * The page's MCP servers, for every conversation: the MCP client (the official SDK, a large
 * module) loads only once a server is configured; until it has, servers show as connecting.
 * `version` moves on every change, for views that show the servers' state.
 */
import type { McpCallResult, McpToolInfo } from '../core/ports';
import type { McpHub } from '../mcp/hub';
import type { McpServerView, McpSource } from './conversation-tools.svelte';
import type { McpConnectConfig } from './tool-settings.svelte';

export class McpLink implements McpSource {
  version = $state(0);
  #hub: Promise<McpHub> | null = null;
  #loaded: McpHub | null = null;
  #configs: McpConnectConfig[] = [];
  /** Why the configuration could not be used (e.g. a name given twice); '' when it could. */
  problem = $state('');
  readonly #listeners = new Set<() => void>();

  /** Connects to `configs` (new and changed ones reconnect, removed ones close). */
  sync(configs: McpConnectConfig[]): Promise<void> {
    this.#configs = configs;
    if (configs.length === 0 && !this.#hub) return Promise.resolve();
    this.#hub ??= import('../mcp/hub').then(({ McpHub }) => {
      const hub = new McpHub();
      hub.onChange(() => this.#changed());
      this.#loaded = hub;
      return hub;
    });
    this.#changed();
    return this.#hub.then(async (hub) => {
      if (this.#configs !== configs) return;
      try {
        this.problem = '';
        await hub.setServers(configs);
      } catch (err) {
        this.problem = (err as Error).message;
        this.#changed();
      }
    });
  }

  servers(): McpServerView[] {
    if (this.#loaded) return this.#loaded.servers();
    return this.#configs.map((c) => ({ name: c.name, url: c.url, status: 'connecting', tools: [] }));
  }

  tools(): McpToolInfo[] {
    return this.#loaded?.tools() ?? [];
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async callTool(server: string, tool: string, args: Record<string, unknown>, options: { signal: AbortSignal }): Promise<McpCallResult> {
    if (!this.#hub) throw new Error(`no MCP server is named "${server}" any more`);
    return (await this.#hub).callTool(server, tool, args, options);
  }

  #changed(): void {
    this.version++;
    for (const listener of this.#listeners) listener();
  }
}
