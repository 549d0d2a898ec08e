/**
 * Runs one round's tool calls: parallel-safe neighbours together, the rest one at a time,
 * outputs appended strictly in call order. Never throws; every call gets exactly one output.
 * A call that cannot be run because a field is missing (one kept verbatim, see `callRef`)
 * runs nothing and gets an output saying what is wrong, so the model can try again.
 */
import type { AgentEvent } from '../events';
import { callRef, isToolCall, outputFor, type CallRef, type MessageItem, type OtherItem, type ResponseItem, type ToolCallItem } from '../items';
import { parseArguments } from './arguments';
import { extractApplyPatch } from './exec-command';
import type { Tool, ToolContext, ToolResult } from './types';

export interface DispatchOptions {
  tools: ReadonlyMap<string, Tool>;
  parallel: boolean;
  signal: AbortSignal;
  /** The context for one call, minus what dispatch fills in. */
  contextFor(call: ToolCallItem): ToolContext;
  append(item: ResponseItem): void;
  emit(event: AgentEvent): void;
  now(): number;
}

export const ABORTED_BEFORE_START = 'aborted';
const ABORTED_WHILE_RUNNING = 'aborted by user';

/** `calls`: the round's items that `callRef` names as calls, in output order; others are ignored. */
export async function dispatchToolCalls(calls: readonly ResponseItem[], options: DispatchOptions): Promise<void> {
  const images: MessageItem[] = [];
  for (const batch of batches(calls, options)) {
    if (options.signal.aborted) {
      for (const [ref] of batch) options.append(outputFor(ref, ABORTED_BEFORE_START));
      continue;
    }
    const running = batch.map(([ref, call]): Promise<ToolResult> | ToolResult =>
      isToolCall(call) ? runCall(call, options) : { output: brokenCallText(call, ref), success: false },
    );
    for (const [i, pending] of running.entries()) {
      const result = await pending;
      const ref = batch[i]![0];
      options.append(outputFor(ref, result.output));
      if (result.images?.length) images.push(toolImagesMessage(ref.call_id, (batch[i]![1] as ToolCallItem).name, result.images));
    }
  }
  // After every output, so the calls stay answered back to back (servers that turn these into
  // chat messages require it).
  for (const message of images) options.append(message);
}

export const TOOL_IMAGES_OPEN = '<tool_images';
const TOOL_IMAGES_LABEL = /^<tool_images call_id="[^"\n]*" tool="[^"\n]*">\nThe images? returned by that call\.\n<\/tool_images>$/;

/** What stands in an image's place where a share link left it out. */
export const OMITTED_IMAGE_TEXT = '[an image was here; the share link left it out to stay short]';

/**
 * Whether `item` is exactly a message `toolImagesMessage` makes: its label, then images (or the
 * note a share link leaves in an image's place) only. One that only starts like it (from a
 * file or a link) could carry words the chat never shows.
 */
export function isToolImagesMessage(item: ResponseItem): boolean {
  if (item.type !== 'message' || item.role !== 'user' || !Array.isArray(item.content)) return false;
  const [label, ...rest] = item.content;
  const image = (part: (typeof rest)[number]) => part.type === 'input_image' || (part.type === 'input_text' && part.text === OMITTED_IMAGE_TEXT);
  return label?.type === 'input_text' && TOOL_IMAGES_LABEL.test(label.text) && rest.length > 0 && rest.every(image);
}

/** The message that shows the model the images a call produced. */
export function toolImagesMessage(callId: string, tool: string, images: readonly string[]): MessageItem {
  const label = `${TOOL_IMAGES_OPEN} call_id="${callId}" tool="${tool}">\nThe image${images.length > 1 ? 's' : ''} returned by that call.\n</tool_images>`;
  return {
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: label }, ...images.map((url) => ({ type: 'input_image' as const, image_url: url }))],
  };
}

/**
 * Consecutive parallel-safe calls share a batch; any other call is a batch of its own. A call
 * that cannot run is answered at once and may share a batch.
 */
function batches(calls: readonly ResponseItem[], options: DispatchOptions): [CallRef, ResponseItem][][] {
  const out: [CallRef, ResponseItem][][] = [];
  let current: [CallRef, ResponseItem][] = [];
  for (const item of calls) {
    const ref = callRef(item);
    if (!ref) continue;
    const call: [CallRef, ResponseItem] = [ref, item];
    const safe = !isToolCall(item) || (options.parallel && (resolve(item, options.tools)?.tool.parallelSafe ?? true));
    if (safe) {
      current.push(call);
      continue;
    }
    if (current.length) out.push(current);
    out.push([call]);
    current = [];
  }
  if (current.length) out.push(current);
  return out;
}

/** The tool that handles `call` and the input it gets; `undefined` for unknown tools. */
function resolve(call: ToolCallItem, tools: ReadonlyMap<string, Tool>): { tool: Tool; input: string } | undefined {
  const input = call.type === 'function_call' ? call.arguments : call.input;
  // A patch sent through the shell (`apply_patch <<'EOF' …`) goes to the patch tool.
  if (call.name === 'exec_command' && call.type === 'function_call') {
    const patch = extractApplyPatch(readCmd(call.arguments));
    const patchTool = tools.get('apply_patch');
    if (patch !== undefined && patchTool) return { tool: patchTool, input: patch };
  }
  const tool = tools.get(call.name);
  return tool ? { tool, input } : undefined;
}

async function runCall(call: ToolCallItem, options: DispatchOptions): Promise<ToolResult> {
  const started = options.now();
  options.emit({ type: 'tool_started', call, name: call.name });
  const result = await execute(call, options);
  options.emit({
    type: 'tool_finished',
    call_id: call.call_id,
    output: result.output,
    success: result.success,
    duration_ms: options.now() - started,
    ...(result.exitCode !== undefined ? { exit_code: result.exitCode } : {}),
  });
  return result;
}

async function execute(call: ToolCallItem, options: DispatchOptions): Promise<ToolResult> {
  const resolved = resolve(call, options.tools);
  if (!resolved) {
    const known = [...options.tools.keys()].join(', ');
    return { output: `unsupported call: ${call.name} (available tools: ${known})`, success: false };
  }
  try {
    const ctx = options.contextFor(call);
    return withNotes(resolved.tool.name, await resolved.tool.run(resolved.input, ctx), ctx);
  } catch (err) {
    if (options.signal.aborted) return { output: ABORTED_WHILE_RUNNING, success: false };
    return { output: `${call.name} failed: ${(err as Error)?.message ?? String(err)}`, success: false };
  }
}

/** The commands' outputs carry the sandbox's news (see `SandboxPort.takeNotes`) at their end. */
function withNotes(tool: string, result: ToolResult, ctx: ToolContext): ToolResult {
  if (tool !== 'exec_command' && tool !== 'write_stdin') return result;
  const notes = ctx.sandbox.takeNotes?.();
  return notes ? { ...result, output: `${result.output}\n\n${notes}` } : result;
}

/** What the model is told about a call it sent without a field the call needs. */
function brokenCallText(item: ResponseItem | OtherItem, ref: CallRef): string {
  const { name, arguments: args, input } = item as OtherItem;
  if (typeof name !== 'string') return `unsupported call: the ${ref.type} has no "name" text, so no tool can run it`;
  if (ref.type === 'function_call' && typeof args !== 'string') {
    return `failed to parse function arguments: the call to ${name} has no "arguments" text (send a JSON object, e.g. "{}")`;
  }
  if (ref.type === 'custom_tool_call' && typeof input !== 'string') return `the call to ${name} has no "input" text`;
  return `the call to ${name} could not be read`;
}

function readCmd(args: string): string {
  const parsed = parseArguments(args);
  return parsed.ok && typeof parsed.value.cmd === 'string' ? parsed.value.cmd : '';
}
