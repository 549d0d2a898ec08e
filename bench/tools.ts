/**
 * Tools beyond the shell: skills discovery at a turn's start, an MCP server's connect and call
 * over real HTTP (the official SDK on both sides, localhost), and what a changed tool list
 * would cost a conversation's next request (the reason it is held back).
 */
import { Bash } from 'just-bash';
import { defaultConfig } from '../src/core/config';
import { discoverSkills, skillsText } from '../src/core/context/skills';
import { Agent } from '../src/core/loop';
import { systemClock, type McpToolInfo, type ModelClient } from '../src/core/ports';
import { initialContext } from '../src/core/context/index';
import { mcpTools } from '../src/core/tools/mcp';
import { defaultTools, toolSpecs } from '../src/core/tools/registry';
import { McpHub } from '../src/mcp/hub';
import { createJustBashPort } from '../src/sandbox/just-bash-port';
import { startMcpTestServer } from '../tests/support/mcp-server';
import { median, table } from './stats';

export const TOOL_TARGETS = { skillsDiscoveryMs: 20, mcpCallMs: 10 };

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function toolsBench() {
  // 50 project skills and a .git root two levels up.
  const files: Record<string, string> = { '/workspace/.git/HEAD': 'ref' };
  for (let i = 0; i < 50; i++)
    files[`/workspace/.agents/skills/skill-${i}/SKILL.md`] =
      `---\nname: skill-${i}\ndescription: Skill number ${i}, for benchmarking.\n---\nBody ${i}.\n`;
  const port = createJustBashPort({ bash: new Bash({ files, cwd: '/workspace' }), root: '/workspace', kind: 'embedded' });
  const skillsMs = await timed(20, async () => skillsText((await discoverSkills({ fs: port.fs, cwd: '/workspace/app' })).skills));
  const sectionBytes = skillsText((await discoverSkills({ fs: port.fs, cwd: '/workspace' })).skills).length;

  const server = await startMcpTestServer({});
  const hub = new McpHub();
  const connectStart = performance.now();
  await hub.setServers([{ name: 'bench', url: server.url }]);
  const connectMs = performance.now() - connectStart;
  const signal = new AbortController().signal;
  const callMs = await timed(50, () => hub.callTool('bench', 'echo', { text: 'x' }, { signal }));

  // A 100-item conversation with 20 MCP tools; one more tool is offered.
  const infos = (n: number): McpToolInfo[] =>
    Array.from({ length: n }, (_, i) => ({
      server: 'docs',
      name: `tool_${String(i).padStart(2, '0')}`,
      description: `Tool ${i} of the docs server.`,
      inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    }));
  const model: ModelClient = { stream: () => (async function* () {})() };
  const config = defaultConfig({ cwd: '/workspace' });
  const opening = await initialContext({ config, sandbox: port, clock: systemClock });
  const history = [
    ...opening,
    ...Array.from({ length: 100 }, (_, i) => ({
      type: 'message' as const,
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      content: [{ type: i % 2 ? ('output_text' as const) : ('input_text' as const), text: 'x'.repeat(400) }],
    })),
  ];
  const agent = new Agent({ model, sandbox: port, sessionId: 'bench', config, history, tools: [...defaultTools(), ...mcpTools(infos(20), hub)] });
  agent.tools.offer([...defaultTools(), ...mcpTools(infos(21), hub)]);
  const change = agent.tools.change()!;
  const builtInBytes = JSON.stringify(toolSpecs(defaultTools(), defaultConfig().capabilities)).length;
  await hub.close();
  await server.close();
  return { skillsMs, sectionBytes, connectMs, callMs, change, builtInBytes, targets: TOOL_TARGETS };
}

export function printTools(r: Awaited<ReturnType<typeof toolsBench>>): void {
  console.log('\nTools beyond the shell');
  console.log(
    table(
      ['measure', 'median', 'target'],
      [
        ['discover 50 skills + write the section (just-bash fs)', `${r.skillsMs.toFixed(2)} ms`, `≤ ${r.targets.skillsDiscoveryMs} ms`],
        ['skills section for 50 skills', `${r.sectionBytes} bytes`, '≤ 8 000 characters of lines'],
        ['MCP connect + list (localhost, once)', `${r.connectMs.toFixed(1)} ms`, '≤ 10 000 ms (timeout)'],
        ['MCP tool call round trip (localhost)', `${r.callMs.toFixed(2)} ms`, `≤ ${r.targets.mcpCallMs} ms`],
        ['built-in tool specs', `${r.builtInBytes} bytes`, ''],
        [
          'one MCP tool added to 20, 100-item conversation: next request uncached',
          `${r.change.miss_bytes} of ${r.change.miss_bytes + r.change.prefix_bytes} bytes`,
          'held back until a break',
        ],
      ],
    ),
  );
}
