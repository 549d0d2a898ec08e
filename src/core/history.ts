/**
 * The conversation as an append-only list of items in wire form, with the invariants every
 * request relies on: each tool call has exactly one output, and no output lacks its call.
 * The one exception to append-only is compaction, which replaces the whole list at once and
 * tells `onReplace` listeners (never `onAppend` ones) so a persisted log can be rewritten.
 */
import { answeredCallId, callRef, outputFor, toHistoryItem, type CallRef, type ResponseItem } from './items';

export class History {
  #items: ResponseItem[];
  #listeners = new Set<(item: ResponseItem, index: number) => void>();
  #replaceListeners = new Set<(items: readonly ResponseItem[], previous: readonly ResponseItem[]) => void>();

  constructor(items: readonly ResponseItem[] = []) {
    this.#items = [...items];
  }

  /** Read-only view; never mutate it. The array is the one sent in requests (no copy). */
  get items(): readonly ResponseItem[] {
    return this.#items;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Appends `item` in wire form and returns the stored copy. */
  append(item: ResponseItem): ResponseItem {
    const stored = toHistoryItem(item);
    this.#items.push(stored);
    const index = this.#items.length - 1;
    for (const listener of this.#listeners) listener(stored, index);
    return stored;
  }

  /**
   * Replaces everything at once: only compaction may do this. The previous array is left as
   * it was (earlier `items` views stay valid snapshots). Returns the stored list (live: it
   * grows with later appends).
   */
  replaceAll(items: readonly ResponseItem[]): readonly ResponseItem[] {
    const previous = this.#items;
    this.#items = items.map(toHistoryItem);
    for (const listener of this.#replaceListeners) listener(this.#items, previous);
    return this.#items;
  }

  onAppend(listener: (item: ResponseItem, index: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called after `replaceAll` with the new and the previous list. */
  onReplace(listener: (items: readonly ResponseItem[], previous: readonly ResponseItem[]) => void): () => void {
    this.#replaceListeners.add(listener);
    return () => this.#replaceListeners.delete(listener);
  }

  /** Call ids of tool calls that have no output yet, in call order. */
  pendingCallIds(): string[] {
    return pendingCalls(this.#items).map((c) => c.call_id);
  }
}

/**
 * Calls without an output yet, in call order. Pairing counts every call with a `call_id`,
 * also one kept verbatim because it cannot be run (see `callRef`): the server expects an
 * output for each.
 */
export function pendingCalls(items: readonly ResponseItem[]): CallRef[] {
  const answered = new Set<string>();
  for (const item of items) {
    const id = answeredCallId(item);
    if (id !== undefined) answered.add(id);
  }
  const pending: CallRef[] = [];
  for (const item of items) {
    const call = callRef(item);
    if (call && !answered.has(call.call_id)) pending.push(call);
  }
  return pending;
}

/** Problems with the pairing invariant, as human-readable lines (empty when valid). */
export function pairingProblems(items: readonly ResponseItem[]): string[] {
  const problems: string[] = [];
  const calls = new Map<string, number>();
  const outputs = new Map<string, number>();
  items.forEach((item, i) => {
    const call = callRef(item);
    const answered = answeredCallId(item);
    if (call) {
      if (calls.has(call.call_id)) problems.push(`call ${call.call_id} appears twice (items ${calls.get(call.call_id)} and ${i})`);
      calls.set(call.call_id, i);
    } else if (answered !== undefined) {
      const callAt = calls.get(answered);
      if (callAt === undefined) problems.push(`output for ${answered} at item ${i} has no earlier call`);
      if (outputs.has(answered)) problems.push(`call ${answered} has more than one output`);
      outputs.set(answered, i);
    }
  });
  for (const [id, i] of calls) if (!outputs.has(id)) problems.push(`call ${id} at item ${i} has no output`);
  return problems;
}

/**
 * A valid history from a possibly broken one (a log cut off mid-turn, an import): a call
 * without output gets an "aborted" output right after it; an output without a call, or a
 * second output for one call, is dropped. Valid input is returned unchanged (same items).
 */
export function normalizeHistory(items: readonly ResponseItem[]): ResponseItem[] {
  if (pairingProblems(items).length === 0) return [...items];
  const outputIds = new Set<string>();
  for (const item of items) {
    const id = answeredCallId(item);
    if (id !== undefined) outputIds.add(id);
  }
  const seenCalls = new Set<string>();
  const answered = new Set<string>();
  const out: ResponseItem[] = [];
  for (const item of items) {
    const call = callRef(item);
    const answers = answeredCallId(item);
    if (call) {
      if (seenCalls.has(call.call_id)) continue;
      seenCalls.add(call.call_id);
      out.push(item);
      if (!outputIds.has(call.call_id)) {
        out.push(outputFor(call, 'aborted'));
        answered.add(call.call_id);
      }
    } else if (answers !== undefined) {
      if (!seenCalls.has(answers) || answered.has(answers)) continue;
      answered.add(answers);
      out.push(item);
    } else {
      out.push(item);
    }
  }
  return out;
}
