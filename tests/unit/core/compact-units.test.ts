/**
 * The pieces of compaction on their own: History.replaceAll, trimming a compaction's input,
 * rebuilding a history around a hand-off note, context windows per model, and the scripted
 * model's window, hand-off answers and missing endpoint.
 */
import { describe, expect, it } from 'vitest';
import { rebuildWithSummary } from '../../../src/core/compact/local';
import { dropOldest, fitTo } from '../../../src/core/compact/trim';
import { isContextMessage, isPrefixContext } from '../../../src/core/context/index';
import { HANDOFF_REQUEST, isHandoffRequest, SUMMARY_OPEN, summaryMessageText } from '../../../src/core/context/summary';
import { History } from '../../../src/core/history';
import { developerMessage, messageText, userMessage, type ResponseItem } from '../../../src/core/items';
import { estimateItemsTokens, estimateTokens } from '../../../src/core/tokens';
import { createModelClient } from '../../../src/model/client';
import { capabilitiesFor, contextWindowFor, LOCAL_CONTEXT_WINDOW, openAIContextWindow } from '../../../src/model/providers';
import { createScriptedFetch, reply, ScriptedHttpError, ScriptedModel } from '../../../src/model/scripted/index';

const env = userMessage('<environment_context>\n  <cwd>/workspace</cwd>\n</environment_context>');
const docs = userMessage('# AGENTS.md instructions for /workspace\n\n<INSTRUCTIONS>\nbe nice\n</INSTRUCTIONS>');
const prefix: ResponseItem[] = [developerMessage('base', '<permissions instructions>…</permissions instructions>'), docs, env];
const call = (id: string): ResponseItem => ({ type: 'function_call', call_id: id, name: 'exec_command', arguments: '{"cmd":"ls"}' });
const out = (id: string, size = 400): ResponseItem => ({ type: 'function_call_output', call_id: id, output: 'o'.repeat(size) });
const said = (item: ResponseItem) =>
  item.type === 'message' ? messageText(item) : item.type === 'function_call' ? `call ${item.call_id}` : item.type;

describe('History.replaceAll', () => {
  it('tells replace listeners, not append listeners, and leaves the previous list intact', () => {
    const history = new History([userMessage('a'), userMessage('b')]);
    const appended: number[] = [];
    const replaced: Array<[number, number]> = [];
    history.onAppend((_item, index) => appended.push(index));
    history.onReplace((items, previous) => replaced.push([items.length, previous.length]));
    const before = history.items;
    history.replaceAll([{ type: 'compaction', encrypted_content: 'x', id: 'cmp_1' }]);
    expect(replaced).toEqual([[1, 2]]);
    expect(appended).toEqual([]);
    expect(before.map(said)).toEqual(['a', 'b']);
    expect(history.items).toEqual([{ type: 'compaction', encrypted_content: 'x' }]);
    history.append(userMessage('c'));
    expect(appended).toEqual([1]);
  });
});

describe('trimming a compaction input', () => {
  const items: ResponseItem[] = [...prefix, userMessage('task'), call('a'), out('a'), call('b'), out('b'), userMessage('more'), call('c'), out('c')];

  it('drops the oldest items after the context, a call together with its output', () => {
    expect(dropOldest(items, 1).map(said)).toEqual([
      ...prefix.map(said),
      'task',
      'call b',
      'function_call_output',
      'more',
      'call c',
      'function_call_output',
    ]);
    expect(dropOldest(items, 150).map(said)).toEqual([...prefix.map(said), 'task', 'more', 'call c', 'function_call_output']);
  });

  it("keeps the user's messages until nothing else is left", () => {
    const onlyTyped = dropOldest(items, 10_000);
    expect(onlyTyped.map(said)).toEqual([...prefix.map(said), 'task', 'more']);
    expect(dropOldest(onlyTyped, 1).map(said)).toEqual([...prefix.map(said), 'more']);
    const bare = dropOldest(dropOldest(onlyTyped, 1), 1);
    expect(bare.map(said)).toEqual(prefix.map(said));
    expect(dropOldest(bare, 1)).toBe(bare);
  });

  it('cuts to a budget', () => {
    const fitted = fitTo(items, estimateItemsTokens(items) - 150, estimateItemsTokens);
    expect(estimateItemsTokens(fitted)).toBeLessThanOrEqual(estimateItemsTokens(items) - 150);
    expect(fitted.map(said)).toEqual([...prefix.map(said), 'task', 'more', 'call c', 'function_call_output']);
    expect(fitTo(items, 1, estimateItemsTokens).map(said)).toEqual(prefix.map(said));
  });
});

describe('rebuilding around a hand-off note', () => {
  const typed = (n: number, size = 40) => userMessage(`typed ${n} `.padEnd(size, '.'));
  const history: ResponseItem[] = [
    ...prefix,
    typed(1),
    call('a'),
    out('a'),
    userMessage(summaryMessageText('an older note')),
    typed(2),
    userMessage('<turn_aborted>\nstopped\n</turn_aborted>'),
    typed(3),
  ];

  it("keeps the user's newest messages in order, then the note; no context, no older notes", () => {
    const rebuilt = rebuildWithSummary(history, 'the new note', 1_000);
    expect(rebuilt.slice(0, -1).map(said)).toEqual([typed(1), typed(2), typed(3)].map(said));
    const note = messageText(rebuilt[rebuilt.length - 1]!);
    expect(note.startsWith(`${SUMMARY_OPEN}\n`)).toBe(true);
    expect(note).toContain('\nthe new note\n</compaction_summary>');
  });

  it('stops at the budget, newest first, cutting the oldest kept message', () => {
    const long: ResponseItem[] = [typed(1, 4_000), typed(2, 4_000), typed(3, 400)];
    const rebuilt = rebuildWithSummary(long, 'note', 1_000);
    expect(rebuilt).toHaveLength(3);
    expect(said(rebuilt[1]!)).toBe(said(typed(3, 400)));
    expect(said(rebuilt[0]!)).toMatch(/^typed 2 \.+\n\[… the rest of this message was cut when the conversation was compacted\]$/);
    expect(estimateTokens(rebuilt[0]) + estimateTokens(rebuilt[1])).toBeLessThanOrEqual(1_000);
    expect(rebuildWithSummary(long, 'note', 0).map(said)).toEqual([said(userMessage(summaryMessageText('note')))]);
  });

  it('marks the note as engine context and the request for it as such', () => {
    expect(isContextMessage(userMessage(summaryMessageText('x')))).toBe(true);
    expect(isPrefixContext(userMessage(summaryMessageText('x')))).toBe(false);
    expect(prefix.every(isPrefixContext)).toBe(true);
    expect(isPrefixContext(userMessage('<turn_aborted>\n</turn_aborted>'))).toBe(false);
    expect(isHandoffRequest(userMessage(HANDOFF_REQUEST))).toBe(true);
    expect(isHandoffRequest(userMessage('write a summary'))).toBe(false);
  });
});

describe('context windows per model', () => {
  it('knows the OpenAI families', () => {
    expect(openAIContextWindow('gpt-5.1-codex')).toBe(272_000);
    expect(openAIContextWindow('openai/gpt-5-mini')).toBe(272_000);
    expect(openAIContextWindow('gpt-5-chat-latest')).toBe(128_000);
    expect(openAIContextWindow('gpt-4.1-mini')).toBe(1_047_576);
    expect(openAIContextWindow('o3')).toBe(200_000);
    expect(openAIContextWindow('o4-mini')).toBe(200_000);
    expect(openAIContextWindow('gpt-4o')).toBe(128_000);
    expect(openAIContextWindow('gpt-oss-120b')).toBe(131_072);
    expect(openAIContextWindow('llama-3')).toBeUndefined();
  });

  it("assumes local servers' small defaults and 128 000 for the unknown", () => {
    expect(contextWindowFor('ollama', 'gpt-oss:20b')).toBe(LOCAL_CONTEXT_WINDOW);
    expect(contextWindowFor('lmstudio', 'qwen2.5-coder-7b')).toBe(32_768);
    expect(contextWindowFor('custom', 'llama-3')).toBe(128_000);
    expect(contextWindowFor('openrouter', 'anthropic/claude-sonnet-4')).toBe(128_000);
    expect(capabilitiesFor('openai', 'o3').contextWindow).toBe(200_000);
  });
});

describe('the scripted model and compaction', () => {
  const body = (text: string) => ({ model: 'm', input: [userMessage(text)], tools: [], stream: true });

  it("refuses a request over its window with the API's 400 context_length_exceeded", async () => {
    const model = new ScriptedModel({ script: () => reply.text('ok'), contextWindow: 100 });
    await expect(model.respond(body('short'))).resolves.toBeDefined();
    const refused = await model.respond(body('x'.repeat(500))).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ScriptedHttpError);
    expect(refused).toMatchObject({
      status: 400,
      body: { error: { code: 'context_length_exceeded', type: 'invalid_request_error', param: 'input' } },
    });
    expect(() => model.compact(body('x'.repeat(500)))).toThrow(ScriptedHttpError);
    expect(model.requestCount).toBe(1);
  });

  it('which the client reports as context_overflow; a missing compact endpoint as not_found', async () => {
    const fetch = createScriptedFetch(new ScriptedModel({ script: () => reply.text('ok'), contextWindow: 100 }), {
      eventDelayMs: 0,
      compactEndpoint: false,
    });
    const client = createModelClient({ baseURL: 'https://scripted.invalid/v1', fetch, compact: true });
    const signal = new AbortController().signal;
    const request = { ...body('x'.repeat(500)), tool_choice: 'auto' as const, parallel_tool_calls: false, store: false, stream: true as const };
    const streamed = (async () => {
      for await (const _ of client.stream(request, { signal })) void _;
    })();
    await expect(streamed).rejects.toMatchObject({ kind: 'context_overflow', code: 'context_length_exceeded', status: 400 });
    await expect(client.compact!({ model: 'm', input: [userMessage('hi')] }, { signal })).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('answers the hand-off request itself, without the script', async () => {
    let asked = 0;
    const model = new ScriptedModel(() => {
      asked++;
      return reply.text('script');
    });
    const handoff = {
      model: 'm',
      input: [userMessage('task'), { type: 'function_call_output', call_id: 'c', output: 'x' }, userMessage(HANDOFF_REQUEST)],
      tools: [],
      stream: true,
    };
    const answered = await model.respond(handoff);
    const output = answered.response.output as Array<{ content: Array<{ text: string }> }>;
    expect(output[0]!.content[0]!.text).toMatch(/^Compacted 2 items: 1 user messages, 0 tool calls\. Last request: task Tool outputs seen: 1\.$/);
    expect(asked).toBe(0);
    expect(model.requestCount).toBe(0);
  });
});
