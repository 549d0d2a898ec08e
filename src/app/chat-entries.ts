/**
 * What the chat shows, folded from the agent's events: one entry per thing a person reads
 * (their message, streamed text, a tool card, a plan, an approval, an error, a turn's summary).
 * `foldEvent` mutates the list in place, so a `$state` array re-renders only what changed.
 */
import type { AgentEvent, ApprovalDecision, ApprovalRequest, ErrorInfo, StepDecision, StepTarget, TurnUsage } from '../core/events';
import { isContextMessage } from '../core/context/index';
import { isOtherItem, messageText, type OtherItem, type ResponseItem } from '../core/items';
import type { PlanStep } from '../core/tools/update-plan';
import type { UnsupportedFeature } from '../core/ports';
import { finishedStatus } from './tool-outcome';
import { toolEntry, type ToolEntry } from './tool-entries';
import { isSearchCall, searchEntry, type SearchEntry } from './search-entries';
import { isMessageLike, unknownEntry, unknownParts, type UnknownEntry } from './unknown-entries';
import { attachToolImages, readToolImages, type ToolImagesEntry } from './image-entries';
import { cancelOpenQuestions, foldQuestionEvent, QUESTION_TOOL, questionEntry, type QuestionEntry } from './question-entries';
import type { FileDiff } from './turn-diff';

export { type ToolEntry } from './tool-entries';
export type { QuestionEntry } from './question-entries';
export type { ToolImagesEntry } from './image-entries';
export { UNKNOWN_JSON_CHARS, verbatimEntries, type UnknownEntry } from './unknown-entries';

export type Entry =
  | {
      kind: 'user';
      text: string;
      /** Images sent with it (data URLs as sent; see `isShownImage`). */
      images?: string[];
      /** Images a share link left out of it. */
      omittedImages?: number;
      /** Typed during a turn, not yet sent. */
      pending?: boolean;
      /** Its position in the conversation's history, once it is there (for forking). */
      seq?: number;
    }
  | { kind: 'assistant'; text: string; done: boolean; /** Its position in history, once there (for forking). */ seq?: number }
  | { kind: 'reasoning'; text: string; done: boolean }
  | ToolEntry
  | ApprovalEntry
  | QuestionEntry
  | ToolImagesEntry
  | { kind: 'plan'; explanation?: string; steps: PlanStep[] }
  | { kind: 'error'; error: ErrorInfo }
  | { kind: 'note'; text: string }
  | TurnEntry
  | CompactionEntry
  | { kind: 'step'; id: string; target: StepTarget; decision?: StepDecision }
  | { kind: 'status'; rows: [label: string, value: string][] }
  | { kind: 'diff'; title: string; changes: FileDiff[] }
  | SearchEntry
  | UnknownEntry;

/** A question the agent asks before it acts, and the person's answer once given. */
export interface ApprovalEntry {
  kind: 'approval';
  request: ApprovalRequest;
  decision?: ApprovalDecision;
  /** The patch's diff is already on screen, in its call's tool card just above: not repeated. */
  diffShown?: boolean;
}

/** Where the history was compacted: entries above it are no longer sent to the model. */
export interface CompactionEntry {
  kind: 'compaction';
  state: 'running' | 'done' | 'failed';
  reason: 'auto' | 'manual' | 'overflow';
  mode: 'remote' | 'local';
  tokensBefore: number;
  tokensAfter?: number;
  itemsBefore: number;
  itemsAfter?: number;
  error?: string;
}

/** The end of a turn: what it cost and which files it changed. */
export interface TurnEntry {
  kind: 'turn';
  reason: 'completed' | 'aborted' | 'failed';
  usage: TurnUsage;
  /** null until the workspace has been compared with its state before the turn. */
  changes: FileDiff[] | null;
  /** Its record's position in the stored log: a rewind to it continues from `at + 1`. */
  at?: number;
  /** Wall time of the turn. */
  ms?: number;
  /** The workspace manifests taken when it began and ended (null when unknown). */
  before?: number | null;
  after?: number | null;
}

export function foldEvent(entries: Entry[], event: AgentEvent): void {
  if (foldQuestionEvent(entries, event, (entry) => add(entries, entry))) return;
  switch (event.type) {
    case 'text_delta': {
      const open = openEntry(entries, 'assistant');
      if (open) open.text += event.delta;
      else pushOutput(entries, { kind: 'assistant', text: event.delta, done: false });
      break;
    }
    case 'reasoning_summary_delta': {
      const open = openEntry(entries, 'reasoning');
      if (open) open.text += event.delta;
      else pushOutput(entries, { kind: 'reasoning', text: event.delta, done: false });
      break;
    }
    case 'request_started':
    case 'response_completed':
      attemptOutput.delete(entries);
      break;
    case 'round_retry': {
      voidAttempt(entries);
      add(entries, { kind: 'note', text: `${event.error.message} Retrying in ${formatDelay(event.delay_ms)}.` });
      break;
    }
    case 'capability_dropped': {
      voidAttempt(entries);
      const what = DROPPED_TEXT[event.feature];
      add(entries, { kind: 'note', text: `${what} Sending again.` });
      break;
    }
    case 'output_item_done':
      finishItem(entries, event.item);
      break;
    case 'item_appended': {
      const toolImages = readToolImages(event.item);
      if (isUserInput(event.item)) markSent(entries, event.index);
      else if (toolImages) attachToolImages(entries, toolImages, (entry) => add(entries, entry));
      else if (skillNote(event.item)) add(entries, { kind: 'note', text: skillNote(event.item)! });
      else if (event.item.type === 'message' && event.item.role === 'assistant') placeAnswer(entries, event.index);
      break;
    }
    case 'tool_started':
      if (event.name === 'update_plan') break; // shown as its plan
      add(
        entries,
        (event.name === QUESTION_TOOL && event.call.type === 'function_call' && questionEntry(event.call.call_id, event.call.arguments)) ||
          toolEntry(event.call, event.name),
      );
      break;
    case 'tool_output_delta': {
      const entry = findTool(entries, event.call_id);
      if (entry) entry.output += event.chunk;
      break;
    }
    case 'tool_finished': {
      const entry = findTool(entries, event.call_id);
      if (entry) {
        entry.output = event.output;
        entry.status = finishedStatus(event.success, event.exit_code);
        entry.ms = event.duration_ms;
        if (event.exit_code !== undefined) entry.exitCode = event.exit_code;
      }
      break;
    }
    case 'plan_updated':
      add(entries, { kind: 'plan', steps: event.plan.map((s) => ({ ...s })), ...(event.explanation ? { explanation: event.explanation } : {}) });
      break;
    case 'approval_requested': {
      const entry: ApprovalEntry = { kind: 'approval', request: event.request };
      if (event.request.kind === 'patch' && findTool(entries, event.request.call_id)?.patch) entry.diffShown = true;
      add(entries, entry);
      break;
    }
    case 'step_paused':
      add(entries, { kind: 'step', id: event.id, target: event.target });
      break;
    case 'step_resumed': {
      const entry = entries.findLast((e) => e.kind === 'step' && e.id === event.id);
      if (entry?.kind === 'step') entry.decision = event.decision;
      break;
    }
    case 'approval_resolved': {
      const entry = entries.find((e) => e.kind === 'approval' && e.request.id === event.request_id);
      if (entry?.kind === 'approval') entry.decision = event.decision;
      break;
    }
    case 'turn_ended':
      attemptOutput.delete(entries);
      endTurn(entries, event);
      break;
    case 'compaction_started':
      add(entries, {
        kind: 'compaction',
        state: 'running',
        reason: event.reason,
        mode: event.mode,
        tokensBefore: event.tokens_before,
        itemsBefore: event.items_before,
      });
      break;
    case 'compaction_finished':
    case 'compaction_failed': {
      const entry = entries.findLast((e) => e.kind === 'compaction' && e.state === 'running');
      if (entry?.kind !== 'compaction') break;
      entry.mode = event.mode;
      if (event.type === 'compaction_finished') {
        entry.state = 'done';
        entry.tokensAfter = event.tokens_after;
        entry.itemsAfter = event.items_after;
      } else {
        entry.state = 'failed';
        entry.error = event.error.message;
      }
      break;
    }
    default:
      break;
  }
}

function endTurn(entries: Entry[], event: Extract<AgentEvent, { type: 'turn_ended' }>): void {
  for (const entry of entries) {
    // A turn stopped while asking: the question is void.
    if (entry.kind === 'approval' && !entry.decision) entry.decision = 'deny';
    if (entry.kind === 'question') cancelOpenQuestions([entry]);
    if (entry.kind === 'tool' && entry.status === 'running') entry.status = 'failed';
    if ((entry.kind === 'assistant' || entry.kind === 'reasoning') && !entry.done) entry.done = true;
  }
  if (event.reason === 'aborted') add(entries, { kind: 'note', text: 'Stopped.' });
  else if (event.reason === 'failed') add(entries, { kind: 'error', error: event.error ?? { kind: 'internal', message: 'unknown error' } });
  add(entries, { kind: 'turn', reason: event.reason, usage: event.usage, changes: null });
}

function finishItem(entries: Entry[], item: ResponseItem): void {
  if (isOtherItem(item)) {
    finishOther(entries, item);
    return;
  }
  if (item.type === 'message') finishText(entries, 'assistant', messageText(item));
  else if (item.type === 'reasoning')
    finishText(
      entries,
      'reasoning',
      item.summary
        .map((s) => s.text)
        .join('\n\n')
        .trim(),
    );
}

/**
 * The finished item is the truth: its text replaces what streamed in (deltas may be missing,
 * as some servers send none, or disagree with it); with nothing streaming it is shown now.
 */
function finishText(entries: Entry[], kind: 'assistant' | 'reasoning', text: string): void {
  const open = openEntry(entries, kind);
  if (open) {
    if (text) open.text = text;
    open.done = true;
  } else if (text) {
    pushOutput(entries, { kind, text, done: true });
  }
}

/** A finished item kept verbatim: a message's text as any message's, then its undrawable parts as rows of their own. */
function finishOther(entries: Entry[], item: OtherItem): void {
  if (isSearchCall(item)) {
    pushOutput(entries, searchEntry(item));
    return;
  }
  if (!isMessageLike(item)) {
    pushOutput(entries, unknownEntry(item, 'item'));
    return;
  }
  finishText(entries, 'assistant', messageText(item));
  pushOutput(entries, ...unknownParts(item));
}

/**
 * Entries shown from the output of the response now streaming, per list: void when the round
 * is retried (`round_retry`), kept once the response completes. Held by identity, as read
 * back from the list (a `$state` list hands out its own proxies of what was pushed).
 */
const attemptOutput = new WeakMap<Entry[], Entry[]>();

/** The round is sent again: what its attempt showed, partial or finished, is void. */
function voidAttempt(entries: Entry[]): void {
  const shown = attemptOutput.get(entries) ?? [];
  attemptOutput.delete(entries);
  for (let i = entries.length - 1; i >= 0; i--) if (isPartial(entries[i]) || shown.includes(entries[i]!)) entries.splice(i, 1);
}

function pushOutput(entries: Entry[], ...added: Entry[]): void {
  if (added.length === 0) return;
  const at = add(entries, ...added);
  const shown = attemptOutput.get(entries) ?? [];
  shown.push(...entries.slice(at, at + added.length));
  attemptOutput.set(entries, shown);
}

/**
 * Adds what the turn shows next, above the messages queued at the end: a queued message stays
 * below everything shown before it and takes its place once sent (`markSent`), so the
 * transcript reads in the order things happened. Returns where the entries went.
 */
function add(entries: Entry[], ...added: Entry[]): number {
  let at = entries.length;
  while (at > 0 && isQueued(entries[at - 1]!)) at--;
  if (at === entries.length) entries.push(...added);
  else entries.splice(at, 0, ...added);
  return at;
}

function isQueued(entry: Entry): boolean {
  return entry.kind === 'user' && entry.pending === true;
}

/**
 * The entry still streaming, if any. Usually the last one, but a command's output (/status)
 * may have been added after it while the turn runs.
 */
function openEntry<K extends 'assistant' | 'reasoning'>(entries: Entry[], kind: K): Extract<Entry, { kind: K }> | undefined {
  for (let i = entries.length - 1; i >= 0 && i >= entries.length - 8; i--) {
    const entry = entries[i]!;
    if (entry.kind === 'tool' || entry.kind === 'turn' || entry.kind === 'approval' || entry.kind === 'question') return undefined;
    if (entry.kind === kind && !(entry as { done: boolean }).done) return entry as Extract<Entry, { kind: K }>;
  }
  return undefined;
}

function isPartial(entry: Entry | undefined): boolean {
  return (entry?.kind === 'assistant' || entry?.kind === 'reasoning') && !entry.done;
}

export function isUserInput(item: ResponseItem): boolean {
  return item.type === 'message' && item.role === 'user' && !isContextMessage(item);
}

/**
 * The answer just appended is the oldest of the last response's not yet placed in history:
 * its messages (a note, then the answer) enter history in order once it completes.
 */
function placeAnswer(entries: Entry[], seq: number): void {
  let answer: Extract<Entry, { kind: 'assistant' }> | undefined;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.kind === 'user' ? !entry.pending : RESPONSE_BOUNDARY.has(entry.kind) || (entry.kind === 'assistant' && entry.seq !== undefined)) break;
    if (entry.kind === 'assistant') answer = entry;
  }
  if (answer) answer.seq = seq;
}

/** Entries that never come between the messages of one response (nor does a sent user message). */
const RESPONSE_BOUNDARY = new Set<Entry['kind']>(['tool', 'turn', 'approval', 'question', 'compaction', 'step']);

/** A typed message entered history: the oldest one not yet placed there is on its way. */
function markSent(entries: Entry[], seq: number): void {
  const sent = entries.find((e) => e.kind === 'user' && (e.pending || e.seq === undefined));
  if (sent?.kind !== 'user') return;
  delete sent.pending;
  sent.seq = seq;
}

function findTool(entries: Entry[], callId: string): ToolEntry | undefined {
  const entry = entries.findLast((e) => e.kind === 'tool' && e.callId === callId);
  return entry?.kind === 'tool' ? entry : undefined;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const DROPPED_TEXT: Record<UnsupportedFeature, string> = {
  custom_tools: 'The server accepts only function tools: apply_patch is sent as a function tool from now on.',
  reasoning: 'The server refused the reasoning settings: they are left out from now on.',
  web_search: 'The server does not host web search: it is left out from now on.',
};

/** What the chat says of a skill handed to the model (`$name`): its instructions went along. */
export function skillNote(item: ResponseItem): string | undefined {
  if (item.type !== 'message' || item.role !== 'user' || isOtherItem(item)) return undefined;
  const first = item.content[0];
  const name =
    first?.type === 'input_text' && first.text.startsWith('<skill>\n<name>') ? /^<skill>\n<name>([^<\n]*)<\/name>/.exec(first.text)?.[1] : undefined;
  return name === undefined ? undefined : `The $${name} skill's instructions went to the model with this message.`;
}
