/** The built-in tools, in the one fixed order every request lists them in. */
import type { ModelCapabilities } from '../config';
import type { ToolSpec } from '../ports';
import { applyPatchTool } from './apply-patch/index';
import { execCommandTool } from './exec-command';
import type { Tool } from './types';
import { updatePlanTool } from './update-plan';
import { writeStdinTool } from './write-stdin';

export function defaultTools(): Tool[] {
  return [execCommandTool, writeStdinTool, applyPatchTool, updatePlanTool];
}

/**
 * Specs in a stable order: built-ins as given, anything else sorted by name, so the tool
 * list (part of the cached prefix) never reorders between requests.
 */
export function toolSpecs(tools: readonly Tool[], capabilities: ModelCapabilities): ToolSpec[] {
  return orderTools(tools).map((tool) => tool.spec(capabilities));
}

export function orderTools(tools: readonly Tool[]): Tool[] {
  const builtIn = new Set(defaultTools().map((t) => t.name));
  const fixed = tools.filter((t) => builtIn.has(t.name));
  const extra = tools.filter((t) => !builtIn.has(t.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...fixed, ...extra];
}
