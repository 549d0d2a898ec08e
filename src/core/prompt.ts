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

/**
 * Keys appear in Codex's order (see REFERENCE §2). `input` and `tools` are shallow copies:
 * the request stays a snapshot while history grows, at the cost of one array copy; items are
 * shared, never cloned or serialised here (history items are not mutated once appended).
 * `reasoning` and `include` are sent only to reasoning models; `effort` only when set.
 */
export function buildRequest({ config, tools, history, sessionId }: PromptParts): ResponsesRequest {
  const reasoning = config.capabilities.reasoning;
  return {
    model: config.model,
    input: history.slice(),
    tools: tools.slice(),
    tool_choice: 'auto',
    parallel_tool_calls: config.parallelToolCalls,
    ...(reasoning
      ? {
          reasoning: {
            ...(config.reasoningEffort ? { effort: config.reasoningEffort } : {}),
            summary: config.reasoningSummary ?? 'auto',
          },
        }
      : {}),
    store: false,
    stream: true,
    ...(reasoning ? { include: ['reasoning.encrypted_content'] } : {}),
    prompt_cache_key: sessionId,
  };
}
