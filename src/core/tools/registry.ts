/**
 * The tools of a conversation, in the one order every request lists them in: the built-ins in
 * Codex's order, then tools the server hosts, then every other tool (MCP) sorted by name. The
 * list is part of the cached prefix, so it never reorders between requests.
 */
import type { ModelCapabilities } from '../config';
import { fingerprint } from '../hash';
import type { ToolSpec } from '../ports';
import { applyPatchTool } from './apply-patch/index';
import { execCommandTool } from './exec-command';
import { requestUserInputTool } from './request-user-input';
import type { Tool } from './types';
import { updatePlanTool } from './update-plan';
import { viewImageTool } from './view-image';
import { writeStdinTool } from './write-stdin';

const BUILT_IN: readonly Tool[] = [execCommandTool, writeStdinTool, applyPatchTool, updatePlanTool, requestUserInputTool, viewImageTool];
const BUILT_IN_RANK = new Map(BUILT_IN.map((tool, i) => [tool.name, i]));

/**
 * The built-in tools. `questions: false` leaves out `request_user_input`, for hosts where
 * nobody can answer (the headless runner).
 */
export function defaultTools(options: { questions?: boolean } = {}): Tool[] {
  return BUILT_IN.filter((tool) => options.questions !== false || tool !== requestUserInputTool);
}

/** Specs in the stable order (see `orderTools`). */
export function toolSpecs(tools: readonly Tool[], capabilities: ModelCapabilities): ToolSpec[] {
  // A hosted tool is listed only while the server is known to host it.
  return orderTools(tools.filter((tool) => !tool.hosted || capabilities.webSearch === true)).map((tool) => tool.spec(capabilities));
}

export function orderTools(tools: readonly Tool[]): Tool[] {
  const group = (tool: Tool) => (BUILT_IN_RANK.has(tool.name) ? 0 : tool.hosted ? 1 : 2);
  return [...tools].sort((a, b) => {
    const byGroup = group(a) - group(b);
    if (byGroup !== 0) return byGroup;
    if (group(a) === 0) return BUILT_IN_RANK.get(a.name)! - BUILT_IN_RANK.get(b.name)!;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** A fingerprint of a tool list as sent: equal lists, and only equal lists, share it. */
export function toolsHash(specs: readonly ToolSpec[]): string {
  return fingerprint(JSON.stringify(specs));
}
