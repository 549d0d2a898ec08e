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
 * `reasoning` is sent only to reasoning models, with their encrypted reasoning asked back in
 * `include`; `effort` only when set. With the hosted web search listed, `include` also asks for
 * its sources (the server leaves them out otherwise).
 */
export function buildRequest({ config, tools, history, sessionId }: PromptParts): ResponsesRequest {
  const reasoning = config.capabilities.reasoning;
  const include = [
    ...(reasoning ? ['reasoning.encrypted_content'] : []),
    ...(tools.some((t) => t.type === 'web_search') ? ['web_search_call.action.sources'] : []),
  ];
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
    ...(include.length ? { include } : {}),
    prompt_cache_key: sessionId,
  };
}
