/**
 * How any tool call is shown: its input read once, then described by its tool's `describe`
 * (see `CallDescription`). The chat, the Inspector, step-through and the CLI all start here.
 */
import type { ToolCallItem } from '../items';
import { parseArguments } from './arguments';
import { plainDescription, type CallDescription } from './call-description';
import { describeMcpCall, mcpNameParts } from './mcp';
import { defaultTools } from './registry';
import type { Tool } from './types';
import { webSearchTool } from './web-search';

const KNOWN = new Map<string, Tool>([...defaultTools(), webSearchTool].map((tool) => [tool.name, tool]));

/**
 * The description of a call to `name` with `input` (a function call's `arguments` JSON or a
 * custom call's text). Never throws: input that does not parse, or is not what the tool takes,
 * and calls to unknown tools are shown by name and input.
 */
export function describeToolCall(name: string, input: string): CallDescription {
  const text = typeof input === 'string' ? input : '';
  const parsed = parseArguments(text);
  const args = parsed.ok ? parsed.value : null;
  const tool = KNOWN.get(name);
  if (tool?.describe) return tool.describe(args, text);
  const mcp = mcpNameParts(name);
  if (mcp) return describeMcpCall(name, args, text, mcp);
  return plainDescription(name, args, text);
}

/** `describeToolCall` for a call item as history holds it. */
export function describeCall(call: ToolCallItem): CallDescription {
  return describeToolCall(call.name, call.type === 'function_call' ? call.arguments : call.input);
}
