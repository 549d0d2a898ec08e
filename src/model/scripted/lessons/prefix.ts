/**
 * Lesson 3: why each request begins with the previous one. Two small commands make the turn
 * take three requests; the final message rebuilds each request's size from the conversation
 * (every earlier request is a prefix of this one) and says what a cache miss would cost.
 */
import { reply, sequence } from '../build';
import { isRealUserMessage } from '../context';
import type { Reply, ScriptContext } from '../types';
import { canonicalRequest, commonPrefixLength } from '../usage';
import { estimateTokens, formatCount, looksFailed, reportFailure } from './common';

export const PREFIX_PROMPT = 'Lesson 3: teach me why every prompt starts with the previous one (the prompt cache).';

const encoder = new TextEncoder();

export interface RequestSize {
  /** Items in the request's `input`. */
  items: number;
  /** Estimated tokens of the whole request body (JSON bytes / 4). */
  tokens: number;
  /** Estimated tokens it shares, as a byte-for-byte prefix, with the request before it in this turn. */
  shared: number | undefined;
}

/**
 * The requests of the current turn, rebuilt from this one: the agent only appends, so request
 * k's input is this input cut where the model's k-th answer of the turn begins.
 */
function turnRequests(ctx: ScriptContext): RequestSize[] {
  const { input, request } = ctx;
  let start = 0;
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i];
    if (item && isRealUserMessage(item)) {
      start = i + 1;
      break;
    }
  }
  const cuts: number[] = [];
  let inRun = false;
  for (let i = start; i < input.length; i++) {
    const item = input[i];
    const produced =
      item?.type === 'reasoning' ||
      item?.type === 'function_call' ||
      item?.type === 'custom_tool_call' ||
      (item?.type === 'message' && item.role === 'assistant');
    if (produced && !inRun) cuts.push(i);
    inRun = produced;
  }
  cuts.push(input.length);
  let previous: Uint8Array | undefined;
  return cuts.map((cut) => {
    const body = cut === input.length ? request : { ...request, input: input.slice(0, cut) };
    const canonical = encoder.encode(canonicalRequest(body));
    const shared = previous ? Math.floor(commonPrefixLength(previous, canonical) / 4) : undefined;
    previous = canonical;
    return { items: cut, tokens: estimateTokens(JSON.stringify(body)), shared };
  });
}

/** Approval policies stated in the conversation's permissions messages, oldest first. */
function statedPolicies(ctx: ScriptContext): string[] {
  const policies: string[] = [];
  for (const item of ctx.input) {
    if (item.type !== 'message' || item.role !== 'developer') continue;
    for (const part of item.content) {
      const text = 'text' in part ? part.text : '';
      const policy = /^Approval policy: `([^`\n]+)`/m.exec(text)?.[1];
      if (text.includes('<permissions instructions>') && policy) policies.push(policy);
    }
  }
  return policies;
}

function lookUp(ctx: ScriptContext): Reply {
  return [
    reply.reasoning('**A short turn on purpose**\n\nI need a few requests to compare, so I run two small commands before answering.'),
    reply.note("First, where am I? I'll print the working directory."),
    reply.exec('pwd', { workdir: ctx.cwd }),
  ];
}

function look(ctx: ScriptContext): Reply {
  if (looksFailed(ctx.lastToolOutput ?? '')) return reportFailure(ctx, 'printing the working directory (`pwd`)');
  return [
    reply.reasoning('**Second round**\n\nThat output is now part of the conversation. One more command, so there are three requests to compare.'),
    reply.exec('ls -la', { workdir: ctx.cwd }),
  ];
}

function explain(ctx: ScriptContext): Reply {
  if (looksFailed(ctx.lastToolOutput ?? '')) return reportFailure(ctx, 'listing the workspace (`ls -la`)');
  const requests = turnRequests(ctx);
  const current = requests[requests.length - 1] ?? { items: ctx.input.length, tokens: estimateTokens(JSON.stringify(ctx.request)), shared: 0 };
  const shared = current.shared ?? 0;
  const rows = requests.map(
    (r, i) => `| ${i + 1} | ${r.items} | ${formatCount(r.tokens)} | ${r.shared === undefined ? '(first of this turn)' : formatCount(r.shared)} |`,
  );
  const policies = statedPolicies(ctx);
  const latest = policies[policies.length - 1];
  const suggested = latest === 'never' ? 'on-request' : 'never';
  const changed =
    policies.length > 1
      ? [
          '',
          `**You changed a setting, and it shows.** This conversation holds ${policies.length} permissions statements: the first says \`${policies[0]}\`, the latest says \`${latest}\`. The first one was not edited; the change was appended as a new \`developer\` message, so everything before it stayed byte for byte the same and could still come from the cache.`,
        ]
      : [];
  const text = [
    `This turn took **${requests.length} requests**, and each one sent the whole conversation again. Here are their sizes, rebuilt from the conversation (tokens estimated as JSON bytes / 4):`,
    '',
    '| Request | Items in `input` | ≈ tokens | ≈ tokens shared with the request before |',
    '|---|---|---|---|',
    ...rows,
    '',
    '### Why the old prompt is an exact prefix of the new one',
    '',
    '- **Nothing is stored between requests.** The agent sends `store: false`, so every request carries the instructions, the tool list and the entire history.',
    '- **The agent only appends.** Between two requests it adds my output (tool calls, text) and the tool outputs, always at the end. So each request begins, byte for byte, with the one before it.',
    "- **That is what the prompt cache needs.** A provider's cache recognises the start of a prompt it has already processed and reads it from the cache instead of processing it again. The new part is all that costs full price, so a long turn costs roughly in proportion to its length instead of its length squared.",
    '- **Settings changes are appended, never edited in.** Static content (instructions, tools) comes first. If you change the approval policy or sandbox mode mid-conversation, the agent adds a new permissions message at the end instead of rewriting the first one. Changing the tool list, switching models or editing an earlier message would break the prefix.',
    ...changed,
    '',
    '### What a cache miss would cost',
    '',
    `This request is about **${formatCount(current.tokens)} tokens**. About ${formatCount(shared)} of them repeat the previous request exactly, so only the last ${formatCount(Math.max(0, current.tokens - shared))} or so are new. Had the start of this request changed, about **${formatCount(shared)} tokens would have been processed again instead of read from the cache**, and the same would happen on every request after it.`,
    '',
    "I'm the offline demo model, but these numbers are real: the demo server reports as `cached_tokens` exactly the prefix a request shares with the one before it. Compare the cached and input tokens in the inspector and in the turn summary.",
    '',
    '### Try it',
    '',
    `Type \`/approvals ${suggested}\`, then send this lesson's prompt again. The next request will still begin with everything above, followed by an appended \`developer\` message holding the new \`<permissions instructions>\`, and its cached token count stays close to its input tokens.`,
  ].join('\n');
  return [
    reply.reasoning(
      '**Measuring the prefix**\n\nThe earlier requests of this turn are prefixes of this one, so I can rebuild their sizes from the conversation itself.',
    ),
    reply.text(text, { phase: 'final_answer' }),
  ];
}

export const prefixLesson = sequence([lookUp, look, explain], {
  after: reply.text(`That was the whole lesson. Send "${PREFIX_PROMPT}" to run it again.`),
});
