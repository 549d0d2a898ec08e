/**
 * A tool call as the chat shows it: a card titled by the call's description (see
 * core/tools/describe.ts), with its output, status and, for apply_patch, the patch's diff.
 */
import type { ToolCallItem } from '../core/items';
import { describeCall } from '../core/tools/describe';
import { patchView, type PatchView } from './patch-view';
import type { ToolStatus } from './tool-outcome';

export interface ToolEntry {
  kind: 'tool';
  callId: string;
  name: string;
  title: string;
  /** The patch, for apply_patch calls whose input parses. */
  patch?: PatchView;
  output: string;
  status: ToolStatus;
  ms?: number;
  exitCode?: number;
  /** Images the call returned (its `<tool_images>` message), and those a share link left out. */
  images?: string[];
  omittedImages?: number;
}

/** The card of a call that has just started (or, from history, whose output is still to come). */
export function toolEntry(call: ToolCallItem, name: string): ToolEntry {
  const described = describeCall(call);
  const entry: ToolEntry = { kind: 'tool', callId: call.call_id, name, title: described.title, output: '', status: 'running' };
  const view = described.detail?.kind === 'apply_patch' ? patchView(described.detail.patch) : null;
  if (view) entry.patch = view;
  return entry;
}

/**
 * What the step-through card shows of a call about to run: a command as its shell line, any
 * other call as its tool's name and exact input.
 */
export function stepCallText(call: ToolCallItem): string {
  const described = describeCall(call);
  if (described.detail?.kind === 'exec_command') return described.title;
  return call.type === 'custom_tool_call' ? `${call.name}\n${call.input}` : `${call.name} ${call.arguments}`;
}
