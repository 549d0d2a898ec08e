/**
 * A stored conversation back into chat entries: what a reloaded, imported or shared session
 * shows. From a folded log (`entriesFromView`) tool cards take the status, exit code and time
 * they showed live, and each turn its usage and the manifests its changes are read from.
 */
import { isOtherItem, type ResponseItem } from '../core/items';
import { describeCall } from '../core/tools/describe';
import type { LogView, ToolRecord } from '../store/session-store';
import { isUserInput, skillNote, verbatimEntries, type Entry } from './chat-entries';
import { toolEntry, type ToolEntry } from './tool-entries';
import { execHeader, finishedStatus } from './tool-outcome';
import { attachToolImages, imageFields, messageImages, readToolImages } from './image-entries';
import { finishQuestion, QUESTION_TOOL, questionEntry, type QuestionEntry } from './question-entries';

/** Every segment of the log, with record positions as fork points and compaction markers between. */
export function entriesFromView(view: LogView): Entry[] {
  const entries: Entry[] = [];
  view.segments.forEach((segment, i) => {
    if (i > 0) {
      const before = view.segments[i - 1]!.rows.filter((row) => row.kind === 'item').length;
      entries.push({ kind: 'compaction', state: 'done', reason: 'auto', mode: 'remote', tokensBefore: 0, itemsBefore: before });
    }
    // A replacement's items repeat what the marker stands for (kept messages, the summary):
    // shown once, above it, as the live view shows them.
    const rows = segment.rows.slice(segment.replaced);
    const items = rows.flatMap((row) => (row.kind === 'item' ? [row.item] : []));
    const positions = rows.flatMap((row) => (row.kind === 'item' ? [row.at] : []));
    const turnsAfter = new Map<number, Entry[]>();
    for (const row of rows) {
      if (row.kind !== 'turn') continue;
      const index = positions.findLastIndex((at) => at < row.at);
      const { reason, usage, ms, before, after } = row.turn;
      const list = turnsAfter.get(index) ?? [];
      list.push({ kind: 'turn', reason, usage, changes: null, at: row.at, ms, before, after });
      turnsAfter.set(index, list);
    }
    entries.push(...(turnsAfter.get(-1) ?? []));
    entries.push(...entriesFromItems(items, { positions, tools: view.tools, after: turnsAfter }));
  });
  return entries;
}

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

interface FromItems {
  /** Each item's log position (its fork point); the item's index when absent. */
  positions?: readonly number[];
  /** Stored tool results by call id. */
  tools?: ReadonlyMap<string, ToolRecord>;
  /** Entries to place after item i (turn endings). */
  after?: ReadonlyMap<number, Entry[]>;
}

export function entriesFromItems(items: readonly ResponseItem[], from: FromItems = {}): Entry[] {
  const entries: Entry[] = [];
  const tools = new Map<string, ToolEntry>();
  const questions = new Map<string, QuestionEntry>();
  items.forEach((item, index) => {
    const seq = from.positions?.[index] ?? index;
    placeItem(item, seq);
    entries.push(...(from.after?.get(index) ?? []));
  });
  return entries;

  function placeItem(item: ResponseItem, seq: number): void {
    if (isOtherItem(item)) {
      entries.push(...verbatimEntries(item, seq));
      return;
    }
    switch (item.type) {
      case 'message': {
        const { text, images, omitted } = messageImages(item);
        const toolImages = readToolImages(item);
        if (item.role === 'assistant') entries.push({ kind: 'assistant', text, done: true, seq });
        else if (isUserInput(item)) entries.push({ kind: 'user', text, ...imageFields(images, omitted), seq });
        else if (toolImages) attachToolImages(entries, toolImages);
        else if (skillNote(item)) entries.push({ kind: 'note', text: skillNote(item)! });
        break;
      }
      case 'reasoning': {
        const text = item.summary
          .map((s) => s.text)
          .join('\n\n')
          .trim();
        if (text) entries.push({ kind: 'reasoning', text, done: true });
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        if (item.name === 'update_plan' && item.type === 'function_call') {
          const { detail } = describeCall(item);
          if (detail?.kind === 'update_plan') {
            const { plan: steps, explanation } = detail;
            entries.push({ kind: 'plan', steps, ...(explanation ? { explanation } : {}) });
          }
          break;
        }
        const question = item.name === QUESTION_TOOL && item.type === 'function_call' ? questionEntry(item.call_id, item.arguments) : null;
        if (question) {
          questions.set(item.call_id, question);
          entries.push(question);
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
        const question = questions.get(item.call_id);
        if (question) finishQuestion(question, item.output);
        const entry = tools.get(item.call_id);
        if (!entry) break;
        const output = item.output;
        entry.output = output;
        const stored = from.tools?.get(item.call_id);
        if (stored) {
          // Sessions stored before a non-zero exit counted as failed say 'ok' for it.
          entry.status = finishedStatus(stored.status === 'ok', stored.exit_code);
          if (stored.exit_code !== undefined) entry.exitCode = stored.exit_code;
          if (stored.ms !== undefined) entry.ms = stored.ms;
          break;
        }
        const exit = execHeader(output)?.exitCode;
        if (exit !== undefined) entry.exitCode = exit;
        entry.status = finishedStatus(!/^\s*(aborted|error|failed|rejected)\b/i.test(output), exit);
        break;
      }
      case 'compaction':
        break; // the marker comes from the compaction itself
      default:
        break;
    }
  }
}
