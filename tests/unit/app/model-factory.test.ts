import { afterEach, describe, expect, it } from 'vitest';
import { createModel, DEMO_BASE_URL } from '../../../src/app/model-factory';
import { createDemoModel } from '../../../src/model/factory';
import { DEMO_CAPABILITIES, DEMO_MODEL_ID, type ModelSettings } from '../../../src/app/settings-rules';
import { demoScript } from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';
import { collect, request, signal } from '../../support/model-fixtures';

function settings(overrides: Partial<ModelSettings> = {}): ModelSettings {
  return { preset: 'openai', baseURL: '', apiKey: '', model: '', headers: [], query: [], ...overrides };
}

const hello = (model: string) =>
  request({ model, input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What are you?' }] }] });

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createModel: the offline demo', () => {
  it('answers through the scripted model in-process when there is no key', async () => {
    const made = createModel(settings(), { demoEventDelayMs: 0 });
    expect(made).toMatchObject({ demo: true, model: DEMO_MODEL_ID, capabilities: DEMO_CAPABILITIES, label: 'Offline demo model' });
    expect(made.client.compact).toBeTypeOf('function');
    const events = await collect(made.client.stream(hello(made.model), { signal: signal() }));
    expect(events.at(-1)?.type).toBe('response.completed');
    expect(await made.client.listModels()).toEqual([DEMO_MODEL_ID]);
    expect(DEMO_BASE_URL).toMatch(/\.invalid\//);
  });

  it('uses the demo for a provider that needs a key even when a base URL is set', () => {
    expect(createModel(settings({ baseURL: 'https://api.openai.com/v1' })).demo).toBe(true);
  });

  it('is the demo the headless runner makes too (model/factory.ts): same model, capabilities and label', () => {
    const shared = createDemoModel({ eventDelayMs: 0 });
    expect(shared).toMatchObject({ model: DEMO_MODEL_ID, capabilities: DEMO_CAPABILITIES, label: 'Offline demo model' });
  });
});

describe('createModel: a real endpoint', () => {
  it('sends the bearer key, the extra headers and the extra query parameters', async () => {
    server = await startScriptedServer({ script: demoScript, requireKey: 'sk-test-123' });
    const made = createModel(
      settings({
        preset: 'custom',
        baseURL: server.url,
        apiKey: 'sk-test-123',
        model: 'my-model',
        headers: [
          { name: 'X-Team', value: 'blue' },
          { name: '', value: '' },
        ],
        query: [{ name: 'api-version', value: 'preview' }],
      }),
    );
    expect(made).toMatchObject({ demo: false, model: 'my-model', label: 'Custom (OpenAI-compatible) · my-model' });
    expect(made.capabilities).toEqual({ customTools: false, reasoning: false, compact: false, contextWindow: 128_000 });

    const events = await collect(made.client.stream(hello(made.model), { signal: signal() }));
    expect(events.at(-1)?.type).toBe('response.completed');
    expect(await made.client.listModels()).toEqual(['unroll-scripted']);

    expect(server.requests.map((r) => r.method + ' ' + r.path)).toEqual([
      'POST /v1/responses?api-version=preview',
      'GET /v1/models?api-version=preview',
    ]);
    for (const sent of server.requests) {
      expect(sent.headers.authorization).toBe('Bearer sk-test-123');
      expect(sent.headers['x-team']).toBe('blue');
    }
    expect((server.requests[0]?.body as { model?: string }).model).toBe('my-model');
  });

  it('sends an Azure key in the api-key header and no bearer token', async () => {
    server = await startScriptedServer({ script: demoScript });
    const made = createModel(settings({ preset: 'azure', baseURL: server.url, apiKey: 'azure-key', model: 'my-deployment' }));
    expect(made.client.compact).toBeUndefined();
    await collect(made.client.stream(hello(made.model), { signal: signal() }));
    const sent = server.requests[0];
    expect(sent?.headers['api-key']).toBe('azure-key');
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('talks to a keyless local server and falls back to the preset model', async () => {
    server = await startScriptedServer({ script: demoScript });
    const made = createModel(settings({ preset: 'ollama', baseURL: server.url }));
    expect(made).toMatchObject({ demo: false, model: 'gpt-oss:20b', label: 'Ollama (local) · gpt-oss:20b' });
    expect(made.capabilities.reasoning).toBe(true);
    await collect(made.client.stream(hello(made.model), { signal: signal() }));
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a base URL that is not http(s), with the reason', () => {
    expect(() => createModel(settings({ preset: 'custom', apiKey: 'k', baseURL: 'file:///etc/passwd' }))).toThrow(/http:\/\/ or https:\/\//);
  });
});
