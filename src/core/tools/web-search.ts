/**
 * `web_search`: a tool the Responses server hosts (OpenAI, Azure, OpenRouter). It is only
 * listed; the server searches and streams `web_search_call` items, which history keeps as
 * received. A call to it never reaches the dispatcher.
 */
import type { Tool } from './types';

export const webSearchTool: Tool = {
  name: 'web_search',
  parallelSafe: true,
  hosted: true,
  spec: () => ({ type: 'web_search' }),
  async run() {
    return { output: 'web_search runs on the model server; it cannot be called as a function here.', success: false };
  },
};
