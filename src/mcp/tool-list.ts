/** A server's whole tool list: every page of `tools/list`, in one stable order. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpToolInfo } from '../core/ports';

const MAX_PAGES = 100;

/** Every page of `tools/list`, sorted by name. A name listed twice is kept once; a cursor seen before ends the listing. */
export async function listAllTools(client: Client, server: string, options: { signal?: AbortSignal; timeout: number }): Promise<McpToolInfo[]> {
  const tools = new Map<string, McpToolInfo>();
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor }, options);
    for (const tool of result.tools) {
      if (tools.has(tool.name)) continue;
      const description = tool.description?.trim();
      tools.set(tool.name, {
        server,
        name: tool.name,
        ...(description ? { description } : {}),
        inputSchema: tool.inputSchema as Record<string, unknown>,
      });
    }
    cursor = result.nextCursor;
    if (!cursor || cursors.has(cursor)) break;
    cursors.add(cursor);
  }
  return [...tools.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
