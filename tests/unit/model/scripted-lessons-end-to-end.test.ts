/**
 * Lessons 2–4 end to end through the real engine: ChatSession, the real agent loop, the SDK
 * over the in-page scripted fetch, and the embedded sandbox with its QuickJS node.
 */
import { describe, expect, it } from 'vitest';
import type { ChatSession } from '../../../src/app/chat.svelte';
import type { Entry, ToolEntry } from '../../../src/app/chat-entries';
import { messageText, userMessage } from '../../../src/core/items';
import {
  COMPACTION_PROMPT,
  createScriptContext,
  demoScript,
  FIX_TEST_PROMPT,
  HELLO_PROMPT,
  LESSONS,
  lessonFor,
  lessons,
  PREFIX_PROMPT,
  runStep,
} from '../../../src/model/scripted/index';
import { demoChat } from '../../support/chat-fixtures';
import { PREAMBLE, request } from '../../support/scripted-helpers';

const of = <K extends Entry['kind']>(entries: Entry[], kind: K) => entries.filter((e): e is Extract<Entry, { kind: K }> => e.kind === kind);
const finalText = (chat: ChatSession) => of(chat.entries, 'assistant').at(-1)?.text ?? '';
const tokensIn = (text: string, pattern: RegExp) => Number((pattern.exec(text)?.[1] ?? 'NaN').replace(/,/g, ''));

describe('lesson 2: a failing test, fixed', () => {
  it('writes code and a test, sees it fail, patches the bug with an update hunk and sees it pass', async () => {
    const { chat, sandbox } = demoChat({ 'README.md': '# class demo\n' });
    await chat.submit(FIX_TEST_PROMPT);
    const tools = of(chat.entries, 'tool') as ToolEntry[];
    expect(tools.map((t) => t.name)).toEqual(['exec_command', 'apply_patch', 'exec_command', 'apply_patch', 'exec_command']);

    const [, add, firstRun, fix, secondRun] = tools;
    expect(add!.patch!.files.map((f) => [f.path, f.kind])).toEqual([
      ['math.js', 'add'],
      ['math.test.js', 'add'],
    ]);
    expect(firstRun!.title + firstRun!.output).toContain('node math.test.js');
    expect(firstRun!.exitCode).not.toBe(0);
    expect(firstRun!.output).toMatch(/AssertionError/);
    expect(fix!.patch!.files).toHaveLength(1);
    expect(fix!.patch!.files[0]).toMatchObject({ path: 'math.js', kind: 'update', added: 1, removed: 1 });
    expect(fix!.patch!.files[0]!.lines.some((l) => l.kind === 'context')).toBe(true);
    expect(secondRun!.exitCode).toBe(0);
    expect(secondRun!.output).toContain('all tests passed');
    expect(await sandbox.fs.readFile('/workspace/math.js')).toContain('return sum(numbers) / numbers.length;');

    const plans = of(chat.entries, 'plan');
    expect(plans.length).toBeGreaterThanOrEqual(4);
    expect(plans[0]!.steps.map((s) => s.status)).toEqual(['in_progress', 'pending', 'pending', 'pending']);
    expect(plans.at(-1)!.steps.every((s) => s.status === 'completed')).toBe(true);

    const turn = of(chat.entries, 'turn')[0]!;
    expect(turn.reason).toBe('completed');
    expect(turn.usage.requests).toBe(7);
    const text = finalText(chat);
    expect(text).toContain('What just happened');
    expect(text).toMatch(/failures included/);
    expect(text).toContain('context lines');
    expect(text).toContain('*** Update File: math.js');
  });

  it('run again in the same workspace, it picks free names instead of failing on existing files', async () => {
    const { chat } = demoChat();
    await chat.submit(FIX_TEST_PROMPT);
    await chat.submit(FIX_TEST_PROMPT);
    const adds = (of(chat.entries, 'tool') as ToolEntry[]).filter((t) => t.patch?.files[0]?.kind === 'add');
    expect(adds.map((t) => t.patch!.files[0]!.path)).toEqual(['math.js', 'math2.js']);
    expect(of(chat.entries, 'turn').map((t) => t.reason)).toEqual(['completed', 'completed']);
    expect(finalText(chat)).toContain('math2.test.js');
  });
});

describe('lesson 3: the prompt is an exact prefix', () => {
  it('takes three requests and puts a token estimate matching the request size in the final message', async () => {
    const { chat } = demoChat();
    await chat.submit(PREFIX_PROMPT);
    const turn = of(chat.entries, 'turn')[0]!;
    expect(turn.reason).toBe('completed');
    expect(turn.usage.requests).toBeGreaterThanOrEqual(2);
    expect(turn.usage.requests).toBe(3);

    const text = finalText(chat);
    const last = chat.lastRequest!;
    const size = tokensIn(text, /This request is about \*\*([\d,]+) tokens\*\*/);
    expect(Math.abs(size - last.input_tokens)).toBeLessThanOrEqual(2);
    const missed = tokensIn(text, /about \*\*([\d,]+) tokens would have been processed again instead of read from the cache/);
    expect(missed).toBeGreaterThan(0);
    expect(Math.abs(missed - last.cached_tokens)).toBeLessThanOrEqual(2);
    expect(text).toContain('/approvals never');
    expect(text).toContain('appended');
  });

  it('after /approvals never, the next run sees the permissions message appended and the cache still hits', async () => {
    const { chat, settings } = demoChat();
    await chat.submit(PREFIX_PROMPT);
    await chat.submit('/approvals never');
    expect(settings.approvalPolicy).toBe('never');
    await chat.submit(PREFIX_PROMPT);
    const developer = chat.history.filter((item) => item.type === 'message' && item.role === 'developer');
    // The base instructions and the opening permissions, then the appended change.
    expect(developer.length).toBe(3);
    expect(messageText(developer[2]!)).toContain('Approval policy: `never`');
    const text = finalText(chat);
    expect(text).toContain('You changed a setting');
    expect(text).toContain('`/approvals on-request`');
    expect(chat.lastRequest!.cached_tokens).toBeGreaterThan(chat.lastRequest!.input_tokens * 0.8);
  });
});

describe('lesson 4: context compaction', () => {
  it('grows the context with three commands, explains compaction, and /compact then works', async () => {
    const { chat } = demoChat();
    await chat.submit(COMPACTION_PROMPT);
    const tools = of(chat.entries, 'tool') as ToolEntry[];
    expect(tools).toHaveLength(3);
    expect(tools.every((t) => t.name === 'exec_command' && t.exitCode === 0)).toBe(true);
    expect(tools.reduce((sum, t) => sum + t.output.length, 0)).toBeGreaterThan(6000);
    expect(tools[0]!.output).toContain('1125899906842624');
    const text = finalText(chat);
    expect(text).toContain('/compact');
    expect(text).toContain('/responses/compact');
    expect(text).toMatch(/greyed/);
    expect(text).toMatch(/context meter/);

    await chat.submit('/compact');
    const compaction = of(chat.entries, 'compaction').at(-1)!;
    expect(compaction.state).toBe('done');
    expect(compaction.tokensAfter!).toBeLessThan(compaction.tokensBefore);

    // The next run notices, from the conversation alone, that it was compacted.
    await chat.submit(COMPACTION_PROMPT);
    expect(finalText(chat)).toContain('already been compacted');
  });
});

describe('the lesson registry and routing', () => {
  it('lists the six lessons with 3–6 notes each', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['hello', 'fix-test', 'prefix', 'compaction', 'web-page', 'tool-order']);
    expect(LESSONS[0]!.prompt).toBe(HELLO_PROMPT);
    for (const lesson of LESSONS) {
      expect(lesson.notes.length).toBeGreaterThanOrEqual(3);
      expect(lesson.notes.length).toBeLessThanOrEqual(6);
      expect(lesson.summary).toMatch(/^[^.]+\.$/);
    }
  });

  it.each(LESSONS.map((l) => [l.id, l.prompt] as const))('the prompt of %s starts that lesson', async (id, prompt) => {
    expect(lessonFor(prompt)).toBe(id);
    const ctx = createScriptContext(request([...PREAMBLE, userMessage(prompt)]), 0);
    expect(await runStep(demoScript, ctx)).toEqual(await runStep(lessons[id]!, ctx));
  });

  it.each([
    ['Give me the hello demo', 'hello'],
    ['hello again', 'hello'],
    ['lesson 1', 'hello'],
    ['lesson 2', 'fix-test'],
    ['lesson: fix a failing test', 'fix-test'],
    ['Lesson three please', 'prefix'],
    ['teach me about the prompt cache', 'prefix'],
    ['lesson 4', 'compaction'],
    ['compaction', 'compaction'],
    ['How do I deploy this?', undefined],
  ] as const)('routes %j to %s', (prompt, id) => {
    expect(lessonFor(prompt)).toBe(id);
  });

  it('the fallback lists every lesson with its prompt', async () => {
    const ctx = createScriptContext(request([...PREAMBLE, userMessage('What can you do?')]), 0);
    const text = JSON.stringify(await runStep(demoScript, ctx));
    for (const lesson of LESSONS) {
      expect(text).toContain(lesson.title);
      expect(text).toContain(lesson.prompt);
    }
  });
});
