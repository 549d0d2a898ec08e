/**
 * Making a compaction's own input fit. Oversized items are cut first (head and tail kept, the
 * longest cut furthest), so a huge tool call or output is still there to summarise; when even
 * items cut to a useful minimum do not fit, the oldest items go, a tool call always together
 * with its output. The leading context messages stay (they tell the model what it is), and
 * so do the user's own messages while anything else is left to drop: a remote compaction
 * keeps only the user messages it was sent.
 */
import { isContextMessage, isPrefixContext } from '../context/index';
import { isToolCall, isToolOutput, type ResponseItem } from '../items';
import { BYTES_PER_TOKEN, itemBytes, tokensForBytes } from '../tokens';
import { cutItem, isCuttable, minimumBytes, waterLevel } from './cut';

/**
 * While dropping older items can make room instead, no item is cut shorter than this: a
 * shorter head and tail say too little to be worth the older items they would displace.
 */
const MIN_CUT_TOKENS = 256;

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
 * `items` made to fit `estimate(items) <= budget`: the oldest items dropped and the largest
 * cut, as described above. May return a list that still does not fit when only the context
 * prefix and what cannot be cut are left. Never changes an item in place.
 */
export function fitTo(items: readonly ResponseItem[], budget: number, estimate: (items: readonly ResponseItem[]) => number): readonly ResponseItem[] {
  let kept = items;
  for (;;) {
    if (estimate(kept) <= budget) return kept;
    // The last item that can be cut is cut as far as it must be rather than dropped: a huge
    // newest message is better seen in part than not at all.
    const floor = kept.filter(isCuttable).length > 1 ? MIN_CUT_TOKENS * BYTES_PER_TOKEN : 0;
    const cut = cutToFit(kept, budget, estimate, floor);
    if (cut) return cut;
    // Dropping is counted with every item at the minimum it would be cut to.
    const originals = new Map<ResponseItem, ResponseItem>();
    const floored = kept.map((item) => {
      const short = isCuttable(item) ? cutItem(item, MIN_CUT_TOKENS * BYTES_PER_TOKEN) : item;
      originals.set(short, item);
      return short;
    });
    const next = dropOldest(floored, estimate(floored) - budget);
    if (next === floored) return floored;
    kept = next.map((item) => originals.get(item) ?? item);
  }
}

/**
 * `items` with the largest cut down to one common level (no lower than `floorBytes`) so that
 * the estimate fits `budget`; undefined when that level would be below the floor.
 */
function cutToFit(
  items: readonly ResponseItem[],
  budget: number,
  estimate: (items: readonly ResponseItem[]) => number,
  floorBytes: number,
): ResponseItem[] | undefined {
  const sizes = items.map(itemBytes);
  const cuttable = items.map(isCuttable);
  const minimums = items.map((item, i) => (cuttable[i] ? minimumBytes(item) : (sizes[i] as number)));
  // The bytes the items may take: the budget less what the request puts around them.
  const around = estimate(items) * BYTES_PER_TOKEN - sizes.reduce((sum, size) => sum + size, 0);
  let room = budget * BYTES_PER_TOKEN - around;
  // The estimate rounds and markers vary in length: measure, and tighten if it came out over.
  for (let attempt = 0; attempt < 4; attempt++) {
    const level = waterLevel(sizes, room, minimums);
    if (level < floorBytes) return undefined;
    const cut = items.map((item, i) => (cuttable[i] && (sizes[i] as number) > level ? cutItem(item, level) : item));
    const over = estimate(cut) - budget;
    if (over <= 0) return cut;
    room -= over * BYTES_PER_TOKEN;
  }
  return undefined;
}
