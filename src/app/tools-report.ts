/** What `/skills` and `/mcp` show: rows of a status card. */
import { discoverSkills } from '../core/context/skills';
import type { SandboxFs } from '../core/ports';
import { mcpToolName } from '../core/tools/mcp';
import type { ConversationTools, McpSource } from './conversation-tools.svelte';
import { formatKB } from './inspector/labels';
import { builtinSkills } from './skills/builtin';

type Rows = [string, string][];

/** Every skill the next turn offers, where it comes from, and SKILL.md files that could not be used. */
export async function skillsRows(fs: SandboxFs, root: string): Promise<Rows> {
  const builtIn = builtinSkills(root);
  const found = await discoverSkills({ fs, cwd: root, extra: builtIn });
  const rows: Rows = found.skills.map((skill) => [
    `$${skill.name}`,
    `${skill.description} (${builtIn.some((b) => b.path === skill.path) ? 'built in' : skill.path})`,
  ]);
  for (const problem of found.problems) rows.push(['Not used', `${problem.path}: ${problem.message}`]);
  rows.push([
    'Add your own',
    `.agents/skills/<name>/SKILL.md in the workspace, starting with a --- block giving name and description. Mention one with $name.`,
  ]);
  return rows;
}

/** Each server's state and tools, and the conversation's tool list with any change waiting. */
export function mcpRows(tools: ConversationTools, source: McpSource | null): Rows {
  const rows: Rows = [];
  const servers = source?.servers() ?? [];
  if (servers.length === 0) rows.push(['Servers', 'None. Add MCP servers (Streamable HTTP) in Settings → Tools.']);
  for (const server of servers) {
    const state =
      server.status === 'ready'
        ? `ready · ${server.tools.length} tool${server.tools.length === 1 ? '' : 's'}`
        : server.error
          ? `${server.status}: ${server.error}`
          : server.status;
    rows.push([server.name, `${state} · ${server.url}`]);
    if (server.status === 'ready' && server.tools.length)
      rows.push([
        '',
        server.tools
          .map((t) => mcpToolName(t.server, t.name))
          .sort()
          .join(', '),
      ]);
  }
  const inUse = tools.mcp.map((t) => mcpToolName(t.server, t.name)).sort();
  rows.push([
    'This conversation',
    `${inUse.length ? inUse.join(', ') : 'no MCP tools'}${tools.webSearch ? ' · web search' : ''}${tools.hash ? ` · tool list ${tools.hash}` : ''}`,
  ]);
  const waiting = tools.waiting;
  if (waiting) {
    const change = [...waiting.added.map((n) => `+${n}`), ...waiting.removed.map((n) => `−${n}`)].join(', ') || 'tool descriptions changed';
    rows.push([
      'Waiting',
      `${change}. Applying it now re-sends ${formatKB(waiting.miss_bytes)} without the prompt cache; it applies by itself at the next compaction or new conversation. Type /mcp apply to apply it now.`,
    ]);
  }
  return rows;
}
