/**
 * `request_user_input`: the model asks the person a question with a few choices (Codex's
 * shape: `questions`, each with `id`, `header`, `question` and `options` of `{label,
 * description}`). The person picks a choice or writes their own answer; the answers are the
 * call's output, as JSON. An interrupt answers "aborted by user".
 */
import type { FunctionToolSpec } from '../ports';
import { parseArguments } from './arguments';
import { plainDescription, type CallArgs, type CallDescription } from './call-description';
import { ABORTED_BY_USER, errorMessage, isAbort } from './exec-command';
import type { Tool } from './types';

export interface UserInputOption {
  label: string;
  description: string;
}
export interface UserInputQuestion {
  id: string;
  header: string;
  question: string;
  options: UserInputOption[];
}
/** Per question id, the answer the person gave (a choice's label or their own text). */
export type UserInputAnswers = Record<string, string>;

const MIN_OPTIONS = 2;
const MAX_OPTIONS = 4;
const MAX_QUESTIONS = 3;

const SPEC: FunctionToolSpec = {
  type: 'function',
  name: 'request_user_input',
  description:
    'Asks the person a short multiple-choice question and waits for the answer. Use it only when a choice ' +
    'is theirs to make and you cannot reasonably decide yourself. Give 2 to 4 distinct options, the ' +
    'recommended one first; the person may also answer in their own words.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      questions: {
        type: 'array',
        description: `One to ${MAX_QUESTIONS} questions; usually one.`,
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', description: 'A short snake_case id the answer is reported under.' },
            header: { type: 'string', description: 'A label of a few words shown above the question.' },
            question: { type: 'string', description: 'The question, in one sentence.' },
            options: {
              type: 'array',
              description: `${MIN_OPTIONS} to ${MAX_OPTIONS} choices.`,
              items: {
                type: 'object',
                properties: {
                  label: { type: 'string', description: 'The choice, in a few words.' },
                  description: { type: 'string', description: 'What choosing it means, in one sentence.' },
                },
                required: ['label', 'description'],
                additionalProperties: false,
              },
            },
          },
          required: ['id', 'header', 'question', 'options'],
          additionalProperties: false,
        },
      },
    },
    required: ['questions'],
    additionalProperties: false,
  },
};

export const requestUserInputTool: Tool = {
  name: 'request_user_input',
  parallelSafe: false,
  spec: () => SPEC,
  async run(input, ctx) {
    const parsed = readQuestions(input);
    if (typeof parsed === 'string') return { output: parsed, success: false };
    if (!ctx.askUser)
      return { output: 'request_user_input: nobody can answer questions here; decide yourself and say what you chose.', success: false };
    let answers: UserInputAnswers;
    try {
      answers = await ctx.askUser(parsed);
    } catch (err) {
      return { output: isAbort(err, ctx.signal) ? ABORTED_BY_USER : `request_user_input: ${errorMessage(err)}`, success: false };
    }
    const out: Record<string, { answers: string[] }> = {};
    for (const q of parsed) out[q.id] = { answers: answers[q.id] !== undefined ? [answers[q.id]!] : [] };
    return { output: JSON.stringify({ answers: out }), success: true };
  },
  describe: describeRequestUserInput,
};

/** Shown by its input as sent; the questions, when usable, are kept for the card that asks them. */
function describeRequestUserInput(args: CallArgs, input: string): CallDescription {
  const plain = plainDescription('request_user_input', args, input);
  const questions = args && questionsFrom(args);
  return Array.isArray(questions) ? { ...plain, detail: { kind: 'request_user_input', questions } } : plain;
}

/** The call's questions, checked; an error text for the model when they are not usable. */
function readQuestions(input: string): UserInputQuestion[] | string {
  const args = parseArguments(input);
  return args.ok ? questionsFrom(args.value) : args.error;
}

function questionsFrom(args: Record<string, unknown>): UserInputQuestion[] | string {
  const { questions } = args as { questions?: unknown };
  if (!Array.isArray(questions) || questions.length === 0 || questions.length > MAX_QUESTIONS) {
    return `request_user_input needs "questions": 1 to ${MAX_QUESTIONS} of {id, header, question, options}.`;
  }
  const out: UserInputQuestion[] = [];
  for (const [i, raw] of questions.entries()) {
    const q = (raw ?? {}) as Record<string, unknown>;
    if (typeof q.question !== 'string' || !q.question.trim()) return `request_user_input: questions[${i}] needs "question" text.`;
    const options = Array.isArray(q.options) ? q.options : [];
    if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
      return `request_user_input: questions[${i}] needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options, each {label, description}.`;
    }
    const read: UserInputOption[] = [];
    for (const [j, o] of options.entries()) {
      const option = (typeof o === 'string' ? { label: o } : (o ?? {})) as Record<string, unknown>;
      if (typeof option.label !== 'string' || !option.label.trim()) return `request_user_input: questions[${i}].options[${j}] needs a "label".`;
      read.push({ label: option.label.trim(), description: typeof option.description === 'string' ? option.description : '' });
    }
    const id = typeof q.id === 'string' && q.id.trim() ? q.id.trim() : `q${i + 1}`;
    out.push({ id, header: typeof q.header === 'string' ? q.header : '', question: q.question.trim(), options: read });
  }
  return out;
}
