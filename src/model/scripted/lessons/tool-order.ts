/**
 * Lesson 6: why the order of the tools matters. The app lists the tools of the turn's second
 * request in reverse on purpose (the lesson asks it to); the tools come right after the model
 * name, so everything after the first moved tool misses the prompt cache. The model notices
 * the order in the request it gets and, at the end, explains what the Inspector shows.
 */
import { reply, sequence } from '../build';
import type { Reply, ScriptContext } from '../types';
import { formatCount, looksFailed, reportFailure } from './common';

export { TOOL_ORDER_PROMPT } from './tool-order-prompt';

const toolNames = (ctx: ScriptContext) => ctx.request.tools.map((t) => ('name' in t && typeof t.name === 'string' ? t.name : t.type));

function explain(ctx: ScriptContext): Reply {
  if (ctx.toolOutputs.some(looksFailed)) return reportFailure(ctx, "running the lesson's commands");
  const tools = JSON.stringify(ctx.request.tools);
  const request = JSON.stringify(ctx.request);
  const after = request.length - request.indexOf(tools.slice(0, 20));
  return [
    reply.text(
      [
        'Three requests, the same conversation growing at the end — but request 2 listed the **same tools in reverse order**. Open the Inspector:',
        '',
        '1. Request 1 is new: nothing to reuse.',
        '2. Request 2 began like request 1 only up to the tool list. A prompt cache matches a request byte for byte from its start, so everything from the first moved tool on — ' +
          `the tools (${formatCount(Math.round(tools.length / 4))} tokens here), the instructions and the whole conversation — was processed again.`,
        `3. Request 3 lists the tools in their usual order again, which differs from request 2 at the same place: this cache remembers only the last request of a conversation, so it missed too (about ${formatCount(Math.round(after / 4))} tokens).`,
        '',
        'That is why Unroll (like Codex) keeps one fixed order — the built-in tools first, then hosted tools, then MCP tools sorted by name — and freezes the list for a conversation: an MCP server that changes its tools mid-conversation waits until a compaction, a new conversation, or until you apply it (`/mcp`).',
      ].join('\n'),
      { phase: 'final_answer' },
    ),
  ];
}

/** Two small commands (requests 1 and 2), then the explanation (request 3). */
export const toolOrderLesson = sequence([
  reply.exec("echo 'request 1: tools in their usual order'"),
  (ctx) => {
    const names = toolNames(ctx);
    const reversed = names[0] !== 'exec_command';
    return reply.exec(
      reversed ? "echo 'request 2: the same tools, listed in reverse'" : "echo 'request 2: tools in their usual order (nothing was reordered)'",
    );
  },
  explain,
]);
