/**
 * `request_user_input` in the transcript: the model's questions as a card the person answers
 * (instead of a tool card). Live, the card appears when the call starts, becomes answerable
 * with `user_input_requested` (its id is what `ChatSession.answerQuestion` takes), shows the
 * answers after `user_input_answered`, and is cancelled when the turn is stopped. From stored
 * history it is rebuilt from the call's arguments and its output JSON.
 */
import type { AgentEvent } from '../core/events';
import { ABORTED_BY_USER } from '../core/tools/exec-command';
import { describeToolCall } from '../core/tools/describe';
import type { UserInputAnswers, UserInputQuestion } from '../core/tools/request-user-input';
import type { Entry } from './chat-entries';

export const QUESTION_TOOL = 'request_user_input';

export interface QuestionEntry {
  kind: 'question';
  callId: string;
  /** The request's id once the agent waits for the answer (what `answerQuestion` takes). */
  id?: string;
  questions: UserInputQuestion[];
  /** `asking`: shown, not yet (or no longer) answerable; `failed`: the call ended otherwise (see `note`). */
  state: 'asking' | 'open' | 'answered' | 'cancelled' | 'failed';
  answers?: UserInputAnswers;
  note?: string;
}

/** The card for a call's arguments; null when they are not usable questions (a tool card shows the error). */
export function questionEntry(callId: string, args: string): QuestionEntry | null {
  const detail = describeToolCall(QUESTION_TOOL, args).detail;
  return detail?.kind === 'request_user_input' ? { kind: 'question', callId, questions: detail.questions, state: 'asking' } : null;
}

/**
 * Folds the question events; true when `event` was one of them (or finished a question's call).
 * `place` adds a card the call did not get when it started.
 */
export function foldQuestionEvent(entries: Entry[], event: AgentEvent, place: (entry: QuestionEntry) => void): boolean {
  switch (event.type) {
    case 'user_input_requested': {
      const entry = findByCall(entries, event.call_id);
      if (entry) {
        entry.id = event.id;
        entry.state = 'open';
      } else {
        place({ kind: 'question', callId: event.call_id, id: event.id, questions: event.questions, state: 'open' });
      }
      return true;
    }
    case 'user_input_answered': {
      const entry = entries.findLast((e): e is QuestionEntry => e.kind === 'question' && e.id === event.id);
      if (!entry) return false;
      entry.answers = { ...event.answers };
      entry.state = 'answered';
      return true;
    }
    case 'tool_finished': {
      const entry = findByCall(entries, event.call_id);
      if (!entry) return false;
      finishQuestion(entry, event.output);
      return true;
    }
    default:
      return false;
  }
}

/** The call's output settles the card: answers, a cancellation, or what went wrong. */
export function finishQuestion(entry: QuestionEntry, output: string): void {
  const answers = answersFromOutput(output);
  if (answers) {
    entry.answers = answers;
    entry.state = 'answered';
  } else if (output.trim() === ABORTED_BY_USER || output.trim() === 'aborted') {
    entry.state = 'cancelled';
  } else {
    entry.state = 'failed';
    entry.note = output;
  }
}

/** A turn that ends leaves no question waiting. */
export function cancelOpenQuestions(entries: Entry[]): void {
  for (const entry of entries) if (entry.kind === 'question' && (entry.state === 'open' || entry.state === 'asking')) entry.state = 'cancelled';
}

/** The answers in a call's output (`{"answers":{"<id>":{"answers":["…"]}}}`); null when it is none. */
function answersFromOutput(output: string): UserInputAnswers | null {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return null;
  }
  const answers = (value as { answers?: unknown } | null)?.answers;
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return null;
  const out: UserInputAnswers = {};
  for (const [id, entry] of Object.entries(answers)) {
    const list = (entry as { answers?: unknown } | null)?.answers;
    if (Array.isArray(list) && typeof list[0] === 'string') out[id] = list[0];
  }
  return out;
}

function findByCall(entries: Entry[], callId: string): QuestionEntry | undefined {
  return entries.findLast((e): e is QuestionEntry => e.kind === 'question' && e.callId === callId);
}
