/**
 * Tools from MCP servers, offered to the model as function tools named as Codex names them:
 * `mcp__<server>__<tool>`, only `[a-zA-Z0-9_-]`, and at most 64 characters (a longer name is
 * cut and ends with a fingerprint of the whole name). They run outside the sandbox, so a call
 * asks the person first unless the policy is `never` or the tool was approved for the session.
 */
import { fingerprint } from '../hash';
import type { FunctionToolSpec, McpCaller, McpToolInfo } from '../ports';
import { parseArguments } from './arguments';
import { plainDescription, type CallArgs, type CallDescription } from './call-description';
import { ABORTED_BY_USER, errorMessage, isAbort } from './exec-command';
import type { Tool, ToolContext, ToolResult } from './types';

const MCP_PREFIX = 'mcp__';
const MAX_NAME = 64;

/** The name the model calls a server's tool by. */
export function mcpToolName(server: string, tool: string): string {
  const name = `${MCP_PREFIX}${server}__${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (name.length <= MAX_NAME) return name;
  const hash = fingerprint(name);
  return `${name.slice(0, MAX_NAME - hash.length - 1)}_${hash}`;
}

const MCP_REJECTED = 'MCP tool call rejected by user';

/**
 * A call to an MCP tool, shown by its name and arguments as sent (a `command` among them is
 * the server's business, not a shell line); the server and tool are kept for views that name them.
 */
export function describeMcpCall(name: string, args: CallArgs, input: string, from: { server: string; tool: string }): CallDescription {
  const plain = plainDescription(name, null, input);
  return args ? { ...plain, detail: { kind: 'mcp', server: from.server, tool: from.tool, args } } : plain;
}

/**
 * The server and tool a name `mcp__<server>__<tool>` stands for, read back from the name alone:
 * the server is taken up to the first `__`, a guess for names that were sanitised or cut.
 */
export function mcpNameParts(name: string): { server: string; tool: string } | undefined {
  if (!name.startsWith(MCP_PREFIX)) return undefined;
  const rest = name.slice(MCP_PREFIX.length);
  const cut = rest.indexOf('__');
  return cut > 0 && cut + 2 < rest.length ? { server: rest.slice(0, cut), tool: rest.slice(cut + 2) } : undefined;
}

/**
 * One tool per listed MCP tool. Two tools whose names come out the same (after sanitising)
 * keep the first; the rest are left out rather than offered under a name that calls another.
 */
export function mcpTools(infos: readonly McpToolInfo[], caller: McpCaller): Tool[] {
  const byName = new Map<string, Tool>();
  for (const info of infos) {
    const name = mcpToolName(info.server, info.name);
    if (!byName.has(name)) byName.set(name, mcpTool(name, info, caller));
  }
  return [...byName.values()];
}

function mcpTool(name: string, info: McpToolInfo, caller: McpCaller): Tool {
  const spec: FunctionToolSpec = {
    type: 'function',
    name,
    description: info.description?.trim() || `The ${info.name} tool of the ${info.server} MCP server.`,
    strict: false,
    parameters: objectSchema(info.inputSchema),
  };
  return {
    name,
    parallelSafe: false,
    spec: () => spec,
    mcp: { server: info.server, tool: info.name },
    describe: (args, input) => describeMcpCall(name, args, input, { server: info.server, tool: info.name }),
    async run(input, ctx) {
      const args = parseArguments(input);
      if (!args.ok) return { output: args.error, success: false };
      const refused = await checkApproval(name, info, args.value, ctx);
      if (refused) return refused;
      try {
        const result = await caller.callTool(info.server, info.name, args.value, { signal: ctx.signal });
        const text = result.text || (result.isError ? 'the tool reported an error without a message' : '(no output)');
        return { output: text, success: !result.isError, ...(result.images?.length ? { images: result.images } : {}) };
      } catch (err) {
        if (isAbort(err, ctx.signal)) return { output: ABORTED_BY_USER, success: false };
        return { output: `${name}: ${errorMessage(err)}`, success: false };
      }
    },
  };
}

async function checkApproval(name: string, info: McpToolInfo, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult | undefined> {
  const key = `mcp:${name}`;
  if (ctx.approvalPolicy === 'never' || ctx.processes.approvedForSession.has(key)) return undefined;
  let decision;
  try {
    decision = await ctx.requestApproval({
      kind: 'mcp',
      subject: `${info.server} › ${info.name} ${JSON.stringify(args)}`,
      cwd: ctx.cwd,
      reason: `MCP tools run outside the sandbox, on the ${info.server} server.`,
    });
  } catch (err) {
    return { output: isAbort(err, ctx.signal) ? ABORTED_BY_USER : `${name}: approval failed: ${errorMessage(err)}`, success: false };
  }
  if (decision === 'deny') return { output: MCP_REJECTED, success: false };
  if (decision === 'approve_for_session') ctx.processes.approvedForSession.add(key);
  return undefined;
}

/** The server's schema as a function's parameters: always an object schema with properties. */
function objectSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...schema, type: 'object' };
  if (typeof out.properties !== 'object' || out.properties === null) out.properties = {};
  return out;
}
