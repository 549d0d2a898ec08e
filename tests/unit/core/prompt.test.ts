import { describe, expect, it } from 'vitest';
import { defaultConfig, type SessionConfig } from '../../../src/core/config';
import type { ResponseItem } from '../../../src/core/items';
import type { ToolSpec } from '../../../src/core/ports';
import { buildRequest } from '../../../src/core/prompt';
import { defaultTools, toolSpecs } from '../../../src/core/tools/registry';
import { REASONING_REQUEST_KEYS } from '../../support/model-fixtures';

function config(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return defaultConfig({ timezone: 'UTC', ...overrides });
}

function user(text: string): ResponseItem {
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] };
}

const TOOLS: ToolSpec[] = toolSpecs(defaultTools(), config().capabilities);

describe('buildRequest', () => {
  it('lays the body out in Codex key order for a reasoning model', () => {
    const request = buildRequest({ config: config(), tools: TOOLS, history: [user('hi')], sessionId: 'sess-1' });
    expect(Object.keys(request)).toEqual(REASONING_REQUEST_KEYS);
    expect(request).toEqual({
      model: 'gpt-5.1-codex',
      input: [user('hi')],
      tools: TOOLS,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'sess-1',
    });
    expect(Object.keys(request.reasoning ?? {})).toEqual(['effort', 'summary']);
  });

  it('leaves out reasoning and include for a model without reasoning, keeping the order', () => {
    const request = buildRequest({
      config: config({ capabilities: { customTools: false, reasoning: false, compact: false }, reasoningEffort: 'high' }),
      tools: [],
      history: [],
      sessionId: 's',
    });
    expect(Object.keys(request)).toEqual(REASONING_REQUEST_KEYS.filter((k) => k !== 'reasoning' && k !== 'include'));
    expect('reasoning' in request).toBe(false);
    expect('include' in request).toBe(false);
  });

  it('omits effort when none is configured, and defaults the summary to auto', () => {
    const base = config();
    delete base.reasoningEffort;
    delete base.reasoningSummary;
    const request = buildRequest({ config: base, tools: [], history: [], sessionId: 's' });
    expect(request.reasoning).toEqual({ summary: 'auto' });
    expect(request.reasoning && 'effort' in request.reasoning).toBe(false);
  });

  it('passes the configured effort, summary, model and parallel setting through', () => {
    const request = buildRequest({
      config: config({ model: 'gpt-x', reasoningEffort: 'minimal', reasoningSummary: 'detailed', parallelToolCalls: false }),
      tools: [],
      history: [],
      sessionId: 'abc',
    });
    expect(request).toMatchObject({
      model: 'gpt-x',
      parallel_tool_calls: false,
      reasoning: { effort: 'minimal', summary: 'detailed' },
      prompt_cache_key: 'abc',
    });
  });

  it('sends no instructions field: the base instructions travel in the developer message', () => {
    const request = buildRequest({ config: config(), tools: TOOLS, history: [], sessionId: 's' });
    expect('instructions' in request).toBe(false);
  });

  it('snapshots input and tools: later appends do not reach an already-built request', () => {
    const history: ResponseItem[] = [user('one')];
    const tools: ToolSpec[] = [...TOOLS];
    const request = buildRequest({ config: config(), tools, history, sessionId: 's' });
    history.push(user('two'));
    tools.pop();
    expect(request.input).toEqual([user('one')]);
    expect(request.tools).toEqual(TOOLS);
    expect(request.input).not.toBe(history);
    expect(request.tools).not.toBe(tools);
  });

  it('shares the history items rather than copying or serialising them', () => {
    let touched = 0;
    // Any read of an item's properties (a deep copy, JSON.stringify, structuredClone) counts.
    const watched = new Proxy(user('watched'), {
      get(target, prop, receiver) {
        touched++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
      ownKeys(target) {
        touched++;
        return Reflect.ownKeys(target);
      },
    });
    const request = buildRequest({ config: config(), tools: TOOLS, history: [watched], sessionId: 's' });
    expect(request.input[0]).toBe(watched);
    expect(touched).toBe(0);
  });

  it('builds 5 000 growing requests, each a correct snapshot of its moment', () => {
    const cfg = config();
    const history: ResponseItem[] = [];
    const kept = new Map<number, ReturnType<typeof buildRequest>>();
    for (let i = 0; i < 5000; i++) {
      history.push(user(`message ${i}`));
      const request = buildRequest({ config: cfg, tools: TOOLS, history, sessionId: 'long' });
      if (request.input.length !== i + 1 || request.input[i] !== history[i]) throw new Error(`request ${i} is wrong`);
      if (i % 1000 === 0 || i === 4999) kept.set(i, request);
    }
    // Requests built earlier still hold exactly what history held then, item for item.
    for (const [i, request] of kept) {
      expect(request.input).toHaveLength(i + 1);
      expect(request.input.every((item, j) => item === history[j])).toBe(true);
    }
    expect(kept.size).toBe(6);
  });

  it('does not modify its arguments', () => {
    const cfg = config();
    const before = JSON.stringify(cfg);
    const history = Object.freeze([user('frozen')]);
    const tools = Object.freeze([...TOOLS]);
    const request = buildRequest({ config: cfg, tools, history, sessionId: 's' });
    expect(JSON.stringify(cfg)).toBe(before);
    expect(request.input).toEqual([user('frozen')]);
    // The copies belong to the request: a transport may add to them without touching history.
    request.input.push(user('extra'));
    expect(history).toHaveLength(1);
  });
});
