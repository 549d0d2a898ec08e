/**
 * Making a compaction's own input fit: the oldest items go first, a tool call always together
 * with its output. The leading context messages stay (they tell the model what it is), and
 * so do the user's own messages while anything else is left to drop: a remote compaction
 * keeps only the user messages it was sent.
 */
import { isContextMessage, isPrefixContext } from '../context/index';
import { isToolCall, isToolOutput, type ResponseItem } from '../items';
import { itemBytes, tokensForBytes } from '../tokens';

/**
 * `items` without its oldest items worth at least `tokens` (at least one item): first items
 * other than the user's messages, then, when only those are left, the user's messages.
 * Returns `items` itself when nothing can be dropped.
 */
export function dropOldest(items: readonly ResponseItem[], tokens: number): readonly ResponseItem[] {
  let start = 0;
  while (start < items.length && isPrefixContext(items[start] as ResponseItem)) start++;
  const others = dropFrom(items, start, tokens, (item) => !isTypedMessage(item));
  return others !== items ? others : dropFrom(items, start, tokens, isTypedMessage);
}

/** Drops droppable items from `start` on, oldest first, until `tokens` are gone. */
function dropFrom(
  items: readonly ResponseItem[],
  start: number,
  tokens: number,
  droppable: (item: ResponseItem) => boolean,
): readonly ResponseItem[] {
  const dropped = new Set<number>();
  const droppedCalls = new Set<string>();
  let droppedBytes = 0;
  for (let i = start; i < items.length && (dropped.size === 0 || tokensForBytes(droppedBytes) < tokens); i++) {
    const item = items[i] as ResponseItem;
    if (isToolOutput(item) && droppedCalls.has(item.call_id)) {
      droppedBytes += itemBytes(item);
      continue;
    }
    if (!droppable(item)) continue;
    if (isToolCall(item)) droppedCalls.add(item.call_id);
    dropped.add(i);
    droppedBytes += itemBytes(item);
  }
  if (dropped.size === 0) return items;
  // A dropped call takes its output along, wherever the output is.
  return items.filter((item, i) => !dropped.has(i) && !(isToolOutput(item) && droppedCalls.has(item.call_id)));
}

function isTypedMessage(item: ResponseItem): boolean {
  return item.type === 'message' && item.role === 'user' && !isContextMessage(item);
}

/**
 * `items` cut from the oldest end until `estimate(items)` is at most `budget`. May return
 * a list that still does not fit when only context messages are left.
 */
export function fitTo(
  items: readonly ResponseItem[],
  budget: number,
  estimate: (items: readonly ResponseItem[]) => number,
): readonly ResponseItem[] {
  let current = items;
  for (;;) {
    const over = estimate(current) - budget;
    if (over <= 0) return current;
    const next = dropOldest(current, over);
    if (next === current) return current;
    current = next;
  }
}
