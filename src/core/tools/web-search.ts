/**
 * `web_search`: a tool the Responses server hosts (OpenAI, Azure, OpenRouter). It is only
 * listed; the server searches and streams `web_search_call` items, which history keeps as
 * received. A call to it never reaches the dispatcher.
 */
import type { CallDescription } from './call-description';
import type { Tool } from './types';

export const webSearchTool: Tool = {
  name: 'web_search',
  parallelSafe: true,
  hosted: true,
  spec: () => ({ type: 'web_search' }),
  async run() {
    return { output: 'web_search runs on the model server; it cannot be called as a function here.', success: false };
  },
  describe: describeWebSearch,
};

/**
 * A hosted search, from the `action` of its `web_search_call` item: what was searched, or the
 * page opened ('' when the server did not say).
 */
export function describeWebSearch(action: unknown): CallDescription {
  const { query: q, url } = (typeof action === 'object' && action !== null ? action : {}) as { query?: unknown; url?: unknown };
  const query = typeof q === 'string' ? q : typeof url === 'string' ? url : '';
  return { title: 'web_search', summary: query, detail: { kind: 'web_search', query } };
}
