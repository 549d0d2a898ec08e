/** Builds the `ScriptContext` a script sees from a request body. */
import { isOtherItem, isToolOutput, messageText, type ResponseItem } from '../../core/items';
import type { ResponsesRequest } from '../../core/ports';
import type { ScriptContext } from './types';

/**
 * Prefixes of user messages that carry context rather than something the user typed
 * (a compaction's hand-off note, images a tool returned, a skill the user named).
 */
const CONTEXT_PREFIXES = ['<environment_context>', '# AGENTS.md instructions', '<turn_aborted>', '<compaction_summary>', '<tool_images', '<skill>'];

function isContextMessage(item: ResponseItem): boolean {
  if (item.type !== 'message' || item.role !== 'user') return false;
  const text = messageText(item).trimStart();
  return CONTEXT_PREFIXES.some((prefix) => text.startsWith(prefix));
}

/** A message the user typed (not a context message). */
export function isRealUserMessage(item: ResponseItem): boolean {
  return item.type === 'message' && item.role === 'user' && !isContextMessage(item);
}

/**
 * Items the model produced, as opposed to inputs and tool outputs. An item of a type the app
 * does not know came from the model too (a hosted tool's call, say).
 */
function isModelOutput(item: ResponseItem): boolean {
  switch (item.type) {
    case 'message':
      return item.role === 'assistant';
    case 'reasoning':
    case 'function_call':
    case 'custom_tool_call':
      return true;
    case 'function_call_output':
    case 'custom_tool_call_output':
    case 'compaction':
      return false;
    default:
      return isOtherItem(item);
  }
}

export function createScriptContext(request: ResponsesRequest, requestNumber: number): ScriptContext {
  const input: readonly ResponseItem[] = Array.isArray(request.input) ? request.input : [];
  const tools = Array.isArray(request.tools) ? request.tools : [];

  let lastUserIndex = -1;
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item && isRealUserMessage(item)) {
      lastUserIndex = i;
      break;
    }
  }
  const lastUser = lastUserIndex >= 0 ? input[lastUserIndex] : undefined;
  const sinceUser = input.slice(lastUserIndex + 1);

  // A round is one run of model output items; tool outputs (or anything else) separate runs.
  let round = 0;
  let inRun = false;
  for (const item of sinceUser) {
    const produced = isModelOutput(item);
    if (produced && !inRun) round++;
    inRun = produced;
  }

  const toolOutputs: string[] = [];
  for (const item of sinceUser) if (isToolOutput(item)) toolOutputs.push(outputText(item.output));

  const lastItem = input[input.length - 1];
  const lastToolOutput = lastItem && isToolOutput(lastItem) ? outputText(lastItem.output) : undefined;

  const contextParts: string[] = [];
  if (typeof request.instructions === 'string') contextParts.push(request.instructions);
  let cwd: string | undefined;
  for (const item of input) {
    if (item.type !== 'message') continue;
    if (item.role === 'developer' || item.role === 'system' || isContextMessage(item)) {
      const text = messageText(item);
      contextParts.push(text);
      const match = /<cwd>([^<]*)<\/cwd>/.exec(text);
      if (match?.[1]) cwd = match[1].trim();
    }
  }

  const apply = tools.find((tool) => tool.name === 'apply_patch');
  return {
    request,
    requestNumber,
    input,
    lastItem,
    lastUserText: lastUser ? messageText(lastUser) : '',
    lastToolOutput,
    toolOutputs,
    round,
    customTools: apply?.type === 'custom',
    cwd,
    contextText: contextParts.join('\n\n'),
    hasTool: (name) => tools.some((tool) => tool.name === name),
  };
}

/** Tool outputs are strings in our history, but the API also allows content-part arrays. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return output
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '',
      )
      .join('');
  }
  return output === undefined || output === null ? '' : JSON.stringify(output);
}
