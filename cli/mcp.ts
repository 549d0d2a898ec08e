/**
 * The headless runner's MCP servers: connected through McpHub before the first turn, each
 * one's outcome noted on stderr. A server that fails is left out (its tools are not offered);
 * the turn still runs.
 */
import type { McpServerConfig } from '../src/mcp/config';
import { McpHub } from '../src/mcp/hub';

export async function connectMcpServers(configs: readonly McpServerConfig[], stderr: { write(text: string): void }, quiet: boolean): Promise<McpHub> {
  const hub = new McpHub();
  await hub.setServers(configs);
  for (const server of hub.servers()) {
    if (server.status === 'ready') {
      if (quiet) continue;
      const count = `${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}`;
      stderr.write(`unroll: MCP server ${server.name}: ${count}${server.tools.length ? ` (${server.tools.map((t) => t.name).join(', ')})` : ''}\n`);
    } else {
      stderr.write(`unroll: MCP server ${server.name} is left out: ${server.error ?? server.status}\n`);
    }
  }
  return hub;
}
