/** The offline demo model's lessons, and the script that routes a prompt to one of them. */
import type { Script, ScriptContext } from '../types';
import { compactionLesson, COMPACTION_PROMPT } from './compaction';
import { fallbackReply } from './fallback';
import { FIX_TEST_PROMPT, fixTestLesson } from './fix-test';
import { HELLO_PROMPT, helloLesson } from './hello';
import { PREFIX_PROMPT, prefixLesson } from './prefix';
import { WEB_PAGE_PROMPT, webPageLesson } from './web-page';
import { toolOrderLesson } from './tool-order';
import { TOOL_ORDER_PROMPT, TOOL_ORDER_REVERSED_REQUEST } from './tool-order-prompt';

export { HELLO_PROMPT, helloLesson, looksFailed, commandOutput } from './hello';
export { FIX_TEST_PROMPT } from './fix-test';
export { PREFIX_PROMPT } from './prefix';
export { COMPACTION_PROMPT } from './compaction';
export { WEB_PAGE_PROMPT } from './web-page';
export { TOOL_ORDER_PROMPT } from './tool-order';

export type LessonId = 'hello' | 'fix-test' | 'prefix' | 'compaction' | 'web-page' | 'tool-order';

/** A built-in lesson as the UI lists it. */
export interface LessonInfo {
  id: LessonId;
  title: string;
  /** One sentence. */
  summary: string;
  /** The exact text the UI sends to start the lesson. */
  prompt: string;
  /** Short notes a teacher can show beside the inspector, in the order of the lesson's rounds. */
  notes: readonly string[];
  /** The request of the lesson's turn (1-based) whose tools the app lists in reverse, to show the cost. */
  reverseToolsAt?: number;
}

export const LESSONS: readonly LessonInfo[] = [
  {
    id: 'hello',
    title: 'Lesson 1: the agent loop',
    summary: 'The agent lists the workspace, writes a small program with apply_patch, runs it and explains each round trip.',
    prompt: HELLO_PROMPT,
    notes: [
      'Request 1: the model answers with a tool call (ls -la) instead of text; the agent runs it in the sandbox.',
      'Request 2 resends everything plus the listing; the model answers with an apply_patch call that adds a file.',
      'Request 3: the model asks to run the program; its output goes back into the conversation.',
      'Request 4: a message with no tool call ends the turn and hands control back to you.',
    ],
  },
  {
    id: 'fix-test',
    title: 'Lesson 2: a failing test, fixed',
    summary: 'The agent writes a module with a bug and a test, watches the test fail, reads the assertion and fixes the bug with a patch.',
    prompt: FIX_TEST_PROMPT,
    notes: [
      'update_plan only records a checklist for you to see; the model calls it again as steps finish.',
      'One apply_patch call adds both files: the module (with a deliberate bug) and its test.',
      'The test fails: the exit code and the assertion come back as an ordinary tool output, not as an error of the loop.',
      'The next request carries that failure; the model reads actual and expected values and patches one line.',
      'The Update File hunk finds its place by its context lines, not by line numbers.',
      'The test passes, the plan is marked complete, and a message without tool calls ends the turn.',
    ],
  },
  {
    id: 'prefix',
    title: 'Lesson 3: the prompt is an exact prefix',
    summary: 'A three-request turn shows that each request resends the whole history and begins byte for byte with the one before.',
    prompt: PREFIX_PROMPT,
    notes: [
      'Request 1 holds the instructions, the tools and the conversation; the model answers with a small command.',
      'Request 2 resends all of it, with the command and its output appended at the end.',
      'Each request begins with the previous one, so most of it is read from the prompt cache: compare cached and input tokens.',
      'The final message rebuilds each request size from the conversation and says what a cache miss would cost.',
      'Change a setting (/approvals never) and send again: the change is appended as a new message, so the prefix survives.',
    ],
  },
  {
    id: 'compaction',
    title: 'Lesson 4: context compaction',
    summary: 'Commands print a few KB of output so the context grows, then the model explains compaction and invites you to run /compact.',
    prompt: COMPACTION_PROMPT,
    notes: [
      'Each command prints a few KB; every later request carries that output again, so the context meter rises.',
      'Near the context window (by default 90 %), the agent replaces the history with a shorter one.',
      'Remote compaction calls POST /responses/compact; local compaction asks the model for a hand-off note.',
      'After compaction, earlier messages stay on screen, greyed, and are no longer sent.',
      'Type /compact to compact now and watch the meter drop.',
    ],
  },
  {
    id: 'web-page',
    title: 'Lesson 5: a web page, previewed and fixed',
    summary:
      'The agent builds a small page (HTML, a TypeScript module, CSS), opens it in the Preview pane, reads the error the page throws, fixes it and sees the console clear.',
    prompt: WEB_PAGE_PROMPT,
    notes: [
      'One apply_patch call adds the three files; the module has a deliberate bug (a selector the page lacks).',
      '`serve DIR` opens the folder in the Preview pane: no server runs, the app serves the files and compiles the TypeScript itself.',
      "The page throws. Its console shows the error with file and line, and the app appends it to the output of the model's next command.",
      'The model patches one line; the preview reloads by itself when the file changes.',
      'The next output carries no error: the console is clean, and a message without tool calls ends the turn.',
    ],
  },
  {
    id: 'tool-order',
    title: 'Lesson 6: why tool order matters',
    summary:
      'For one request the app lists the same tools in another order; the Inspector shows the prompt cache missing from the tools on, and what it costs.',
    prompt: TOOL_ORDER_PROMPT,
    reverseToolsAt: TOOL_ORDER_REVERSED_REQUEST,
    notes: [
      'Request 1: the tools in their fixed order, then the conversation.',
      'Request 2 is shuffled on purpose: the same tools in reverse. Its reuse drops to the few bytes before the tool list.',
      'Request 3 has the usual order again; the cache here remembers only the last request, so it misses as well.',
      'This is why the tool list is fixed and frozen per conversation: a changed MCP list waits for a compaction, a new conversation or /mcp apply.',
    ],
  },
];

const BY_ID: Readonly<Record<LessonId, Script>> = {
  hello: helloLesson,
  'fix-test': fixTestLesson,
  prefix: prefixLesson,
  compaction: compactionLesson,
  'web-page': webPageLesson,
  'tool-order': toolOrderLesson,
};

/** Every lesson's script by id (string-keyed, for callers that look a name up). */
export const lessons: Readonly<Record<string, Script>> = BY_ID;

const NUMBERED: Record<string, LessonId> = {
  '1': 'hello',
  one: 'hello',
  '2': 'fix-test',
  two: 'fix-test',
  '3': 'prefix',
  three: 'prefix',
  '4': 'compaction',
  four: 'compaction',
  '5': 'web-page',
  five: 'web-page',
  '6': 'tool-order',
  six: 'tool-order',
};

/** The demo model's answer to anything no lesson covers: what it is, the lessons, how to leave it. */
function fallbackDemo(ctx: ScriptContext): ReturnType<typeof fallbackReply> {
  return fallbackReply(ctx, LESSONS);
}

/** Which lesson a prompt asks for, decided per turn from the user's last message; undefined for none. */
export function lessonFor(text: string): LessonId | undefined {
  const numbered = /\blesson\s*(?:#|no\.?\s*)?(\d+|one|two|three|four|five|six)\b/i.exec(text)?.[1]?.toLowerCase();
  if (numbered !== undefined) return NUMBERED[numbered];
  if (/\bfix[- ]?test\b|\bfail(?:ing|ed|s)?\s+tests?\b|\bfix(?:ing)?\s+(?:a|the)\s+(?:failing\s+)?(?:test|bug)\b/i.test(text)) return 'fix-test';
  if (/\btool order\b|\border of the tools\b/i.test(text)) return 'tool-order';
  if (/\bprefix\b|\bprompt[- ]cach|\bcach(?:e|ing)\b/i.test(text)) return 'prefix';
  if (/\bcompact(?:ion|ing)?\b|\bcontext window\b/i.test(text)) return 'compaction';
  if (/\bweb ?page\b|\bpreview\b/i.test(text)) return 'web-page';
  if (/\b(hello|demo|tour|lesson)\b/i.test(text)) return 'hello';
  return undefined;
}

/** The offline demo model: the lesson a prompt asks for, an explanation of the demo otherwise. */
export const demoScript: Script = (ctx) => {
  const id = lessonFor(ctx.lastUserText);
  return id === undefined ? fallbackDemo(ctx) : BY_ID[id](ctx);
};
