/**
 * The request body. Static parts first (model, tools), then the history, whose opening
 * context messages never change: each request is the previous one plus appended items.
 */
import type { SessionConfig } from './config';
import type { ResponseItem } from './items';
import type { ResponsesRequest, ToolSpec } from './ports';

export interface PromptParts {
  config: SessionConfig;
  tools: readonly ToolSpec[];
  history: readonly ResponseItem[];
  /** Used as `prompt_cache_key` so requests of one session land on the same cache. */
  sessionId: string;
}

export function buildRequest({ config, tools, history, sessionId }: PromptParts): ResponsesRequest {
  const reasoning = config.capabilities.reasoning;
  // Key order follows Codex's body; copies keep the request a snapshot as history grows.
  const request: ResponsesRequest = {
    model: config.model,
    input: history.slice(),
    tools: tools.slice(),
    tool_choice: 'auto',
    parallel_tool_calls: config.parallelToolCalls,
  } as ResponsesRequest;
  if (reasoning) {
    request.reasoning = { ...(config.reasoningEffort ? { effort: config.reasoningEffort } : {}), summary: config.reasoningSummary ?? 'auto' };
  }
  request.store = false;
  request.stream = true;
  if (reasoning) request.include = ['reasoning.encrypted_content'];
  request.prompt_cache_key = sessionId;
  return request;
}
