/**
 * Local compaction, for providers without `/responses/compact`: the model writes a hand-off
 * note (no tools offered), and the new history keeps the user's recent messages plus the note.
 */
import type { SessionConfig } from '../config';
import { isContextMessage } from '../context/index';
import { HANDOFF_REQUEST, summaryMessageText } from '../context/summary';
import type { MessageItem, ResponseItem } from '../items';
import { messageText, userMessage } from '../items';
import { modelError } from '../stream';
import type { ModelErrorShape, Usage } from '../ports';
import { buildRequest } from '../prompt';
import { isRetryable } from '../retry';
import { sampleRound, type SamplingDeps } from '../sampling';
import { itemBytes, tokensForBytes } from '../tokens';
import { imagesAsText, jsonHead } from './cut';

/** Codex keeps up to this many tokens of the user's own messages. */
export const MAX_KEPT_USER_TOKENS = 20_000;

export interface SummaryDeps extends Omit<SamplingDeps, 'emit'> {
  config: SessionConfig;
  sessionId: string;
}

/**
 * Asks the model for a hand-off note about `items`. Rejects with a ModelError-shaped error
 * (kind `aborted` when `signal` aborts, `context_overflow` when the request does not fit).
 */
export async function requestSummary(
  deps: SummaryDeps,
  items: readonly ResponseItem[],
  signal: AbortSignal,
): Promise<{ summary: string; usage: Usage }> {
  const request = buildRequest({
    config: deps.config,
    tools: [],
    history: [...items, userMessage(HANDOFF_REQUEST)],
    sessionId: deps.sessionId,
  });
  // The note is not part of the conversation, so its stream is not reported as one.
  const result = await sampleRound({ ...deps, emit: () => {} }, request, 0, signal);
  if (result.status === 'aborted') throw modelError('aborted', 'The compaction was interrupted.', isRetryable({ kind: 'aborted' }));
  if (result.status === 'failed') throw result.error;
  const summary = result.items
    .filter((item) => item.type === 'message' && item.role === 'assistant')
    .map(messageText)
    .join('\n\n')
    .trim();
  if (!summary) throw noSummary();
  return { summary, usage: result.usage };
}

/** A handoff request for `items` as it would be sent, for estimating its size. */
export function summaryRequestItems(items: readonly ResponseItem[]): ResponseItem[] {
  return [...items, userMessage(HANDOFF_REQUEST)];
}

/**
 * The compacted conversation (without the context prefix): the user's newest real messages
 * in their order, within `budget` tokens (the oldest kept one cut to fit), then the note.
 */
export function rebuildWithSummary(history: readonly ResponseItem[], summary: string, budget: number): ResponseItem[] {
  const typed = history.filter((item): item is MessageItem => item.type === 'message' && item.role === 'user' && !isContextMessage(item));
  const kept: ResponseItem[] = [];
  let left = Math.max(0, Math.floor(budget));
  for (let i = typed.length - 1; i >= 0 && left > 0; i--) {
    const message = typed[i] as MessageItem;
    const tokens = tokensForBytes(itemBytes(message));
    if (tokens <= left) {
      kept.unshift(message);
      left -= tokens;
      continue;
    }
    const cut = cutMessage(message, left);
    if (cut) kept.unshift(cut);
    break;
  }
  kept.push(userMessage(summaryMessageText(summary)));
  return kept;
}

/**
 * The head of a message within about `tokens`, marked as cut; undefined when not even a
 * useful head fits. Images become a line saying one was left out (one cannot be cut), so a
 * message with an image is kept in part like any other rather than lost.
 */
function cutMessage(message: MessageItem, tokens: number): MessageItem | undefined {
  const text = messageText(imagesAsText(message));
  const marker = '\n[… the rest of this message was cut when the conversation was compacted]';
  const room = tokens * 4 - itemBytes(userMessage(marker));
  if (room < 200) return undefined;
  return userMessage(`${jsonHead(text, room)}${marker}`);
}

function noSummary(): ModelErrorShape {
  return modelError('server', 'The model wrote no hand-off note, so the conversation was not compacted.', isRetryable({ kind: 'server' }));
}
