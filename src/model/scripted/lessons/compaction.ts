/**
 * Lesson 4: context compaction. Three commands print a few KB each so the conversation
 * visibly grows; the final message explains what happens near the context window and
 * invites the learner to run `/compact`. It never relies on automatic compaction happening.
 */
import { reply, sequence } from '../build';
import type { Reply, ScriptContext } from '../types';
import { commandOutput, estimateTokens, formatCount, looksFailed, reportFailure } from './common';

export const COMPACTION_PROMPT = 'Lesson 4: fill the context with some output, then explain compaction.';

// Plain `node -e` with single-quoted JS inside double quotes: no `$`, backticks or `!` for bash to expand.
const COMMANDS = [
  {
    what: 'a table of squares, cubes and powers of two',
    cmd: `node -e "for (let n = 1; n <= 50; n++) console.log(String(n).padStart(3), String(n * n).padStart(5), String(n ** 3).padStart(7), String(2 ** n).padStart(17))"`,
  },
  {
    what: 'the printable ASCII characters in decimal, hex and binary',
    cmd: `node -e "for (let c = 33; c < 127; c++) console.log(String(c).padStart(3), c.toString(16).padStart(4), c.toString(2).padStart(8, '0'), ' ' + String.fromCharCode(c))"`,
  },
  {
    what: 'a made-up request log with running totals',
    cmd: `node -e "let total = 0; for (let i = 1; i <= 80; i++) { const ms = (i * 37) % 101 + 5; total += ms; console.log('request ' + String(i).padStart(2) + ': ' + String(ms).padStart(3) + ' ms, total ' + String(total).padStart(5) + ' ms') }"`,
  },
] as const;

function step(index: number): (ctx: ScriptContext) => Reply {
  return (ctx) => {
    const previous = COMMANDS[index - 1];
    if (previous && looksFailed(ctx.lastToolOutput ?? '')) return reportFailure(ctx, `printing ${previous.what}`);
    const next = COMMANDS[index];
    if (!next) return explain(ctx);
    const opening = index === 0;
    return [
      reply.reasoning(
        opening
          ? '**Filling the context**\n\nCompaction only makes sense once there is something to compact, so I print a few KB of output, three times.'
          : `**Still filling**\n\nThat output is now in the conversation and is sent with every request from here on. Next: ${next.what}.`,
      ),
      ...(opening ? [reply.note("I'll print a few tables so the conversation grows. Watch the context meter under the message box.")] : []),
      reply.exec(next.cmd, { workdir: ctx.cwd }),
    ];
  };
}

/** Whether the conversation already went through a compaction (remote item or local hand-off note). */
function compactedBefore(ctx: ScriptContext): boolean {
  return ctx.input.some(
    (item) =>
      item.type === 'compaction' ||
      (item.type === 'message' &&
        item.role === 'user' &&
        item.content.some((part) => 'text' in part && part.text.trimStart().startsWith('<compaction_summary>'))),
  );
}

function explain(ctx: ScriptContext): Reply {
  const outputTokens = ctx.toolOutputs.reduce((sum, output) => sum + estimateTokens(output), 0);
  const printed = ctx.toolOutputs.reduce((sum, output) => sum + commandOutput(output).split('\n').length, 0);
  const total = estimateTokens(JSON.stringify(ctx.request));
  const again = compactedBefore(ctx)
    ? [
        '',
        'This conversation has **already been compacted** once: the request I just received starts from the compacted history, not from everything you can see above.',
      ]
    : [];
  const text = [
    `Three commands printed ${formatCount(printed)} lines, about **${formatCount(outputTokens)} tokens** of tool output. All of it is now part of the conversation, and this request, about **${formatCount(total)} tokens**, carried it back to me. Every later request will carry it too.`,
    ...again,
    '',
    '### What happens when the conversation gets too long',
    '',
    'A model can only read so much at once: its **context window**. Because every request resends the whole history, a long session (big files, long logs, many tool calls) eventually approaches that limit. Before it gets there (by default at 90 % of the window, or when the server answers that the request is too long), the agent **compacts**: it replaces the history with a much shorter one that keeps what matters, and carries on.',
    '',
    'There are two ways to do it:',
    '',
    '- **Remote:** when the endpoint supports it, the agent sends the history to `POST /responses/compact`. The reply keeps your own messages and folds everything else into one opaque `compaction` item (`encrypted_content`) that only the server can read. That list becomes the new history.',
    '- **Local:** for endpoints without that call, the agent asks the model itself, with no tools, for a hand-off note summarising the work so far. The new history is your most recent messages plus one message holding that note.',
    '',
    'Either way, the earlier messages stay on screen but are **greyed out**: a marker shows where the compaction happened, and everything above it is no longer sent to the model. The next request starts fresh from the short history, so it is also a new prefix for the prompt cache.',
    '',
    '### Try it',
    '',
    'My context window is large, so this lesson will not trigger automatic compaction. Do it by hand: type **`/compact`** and send it. Watch the context meter under the message box drop, and the messages above the new compaction marker turn grey. Then send another message: only the compacted history goes out.',
  ].join('\n');
  return [
    reply.reasoning(
      '**Explaining compaction**\n\nThe conversation has grown by a few thousand tokens. Time to explain what happens when it nears the window.',
    ),
    reply.text(text, { phase: 'final_answer' }),
  ];
}

export const compactionLesson = sequence([step(0), step(1), step(2), step(3)], {
  after: reply.text(`That was the whole lesson. Send "${COMPACTION_PROMPT}" to run it again, or type /compact.`),
});
