/**
 * A stored conversation back into chat entries: what a reloaded, imported or shared session
 * shows. Only what history holds comes back (no live timings, no per-turn usage).
 */
import { isOtherItem, type ResponseItem } from '../core/items';
import type { PlanStep } from '../core/tools/update-plan';
import { isUserInput, toolEntry, verbatimEntries, type Entry, type ToolEntry } from './chat-entries';

/**
 * `earlier` are conversations replaced by compactions (shown above a marker each, without
 * fork points); `items` is the current one.
 */
export function entriesFromHistory(items: readonly ResponseItem[], earlier: readonly (readonly ResponseItem[])[] = []): Entry[] {
  const entries: Entry[] = [];
  for (const segment of earlier) {
    for (const entry of entriesFromItems(segment)) entries.push(entry.kind === 'user' || entry.kind === 'assistant' ? { ...entry, seq: -1 } : entry);
    entries.push({ kind: 'compaction', state: 'done', reason: 'auto', mode: 'remote', tokensBefore: 0, itemsBefore: segment.length });
  }
  entries.push(...entriesFromItems(items));
  return entries;
}

export function entriesFromItems(items: readonly ResponseItem[]): Entry[] {
  const entries: Entry[] = [];
  const tools = new Map<string, ToolEntry>();
  items.forEach((item, seq) => {
    if (isOtherItem(item)) {
      entries.push(...verbatimEntries(item, seq));
      return;
    }
    switch (item.type) {
      case 'message': {
        const text = item.content.map((part) => ('text' in part ? part.text : 'refusal' in part ? part.refusal : '')).join('');
        if (item.role === 'assistant') entries.push({ kind: 'assistant', text, done: true, seq });
        else if (isUserInput(item)) entries.push({ kind: 'user', text, seq });
        break;
      }
      case 'reasoning': {
        const text = item.summary.map((s) => s.text).join('\n\n').trim();
        if (text) entries.push({ kind: 'reasoning', text, done: true });
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        if (item.name === 'update_plan' && item.type === 'function_call') {
          const plan = planFrom(item.arguments);
          if (plan) entries.push(plan);
          break;
        }
        const entry = toolEntry(item, item.name);
        entry.status = 'failed'; // until its output says otherwise
        tools.set(item.call_id, entry);
        entries.push(entry);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const entry = tools.get(item.call_id);
        if (!entry) break;
        const output = item.output;
        const exit = /Process exited with code (-?\d+)/.exec(output);
        entry.output = output;
        if (exit) entry.exitCode = Number(exit[1]);
        entry.status = (exit && exit[1] !== '0') || /^\s*(aborted|error|failed|rejected)\b/i.test(output) ? 'failed' : 'ok';
        break;
      }
      case 'compaction':
        break; // the marker comes from the compaction itself
      default:
        break;
    }
  });
  return entries;
}

function planFrom(args: string): Entry | null {
  try {
    const value = JSON.parse(args) as { plan?: unknown; explanation?: unknown };
    if (!Array.isArray(value.plan)) return null;
    const steps = value.plan.filter(
      (s): s is PlanStep => typeof s?.step === 'string' && ['pending', 'in_progress', 'completed'].includes(s?.status),
    );
    return { kind: 'plan', steps, ...(typeof value.explanation === 'string' && value.explanation ? { explanation: value.explanation } : {}) };
  } catch {
    return null;
  }
}
