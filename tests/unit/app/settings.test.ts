/** Settings: the demo model, presets and providers, the engine config and the model list. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CAPABILITIES, DEMO_MODEL_ID } from '../../../src/app/settings.svelte';
import { DEFAULT_SCRIPTED_MODEL_ID, demoScript, ScriptedModel } from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';
import { settingsStorages } from '../../support/fake-storage';

describe('Settings: defaults and the demo model', () => {
  it('starts on the OpenAI preset without a key, so the offline demo answers', () => {
    const { open } = settingsStorages();
    const settings = open();
    expect(settings.preset).toBe('openai');
    expect(settings.baseURL).toBe('https://api.openai.com/v1');
    expect(settings.usingDemo).toBe(true);
    expect(settings.effectiveModel).toBe(DEMO_MODEL_ID);
    expect(DEMO_MODEL_ID).toBe(DEFAULT_SCRIPTED_MODEL_ID);
    expect(settings.capabilities).toEqual(DEMO_CAPABILITIES);
    expect(settings.storageProblem).toBe('');
  });

  it('uses the demo with no key and no base URL; a keyless provider with a base URL is real', () => {
    const { open } = settingsStorages();
    const settings = open();
    settings.preset = 'custom';
    expect(settings.baseURL).toBe('');
    expect(settings.usingDemo).toBe(true);
    settings.preset = 'ollama';
    settings.baseURL = 'http://localhost:11434/v1';
    expect(settings.usingDemo).toBe(false);
    expect(settings.effectiveModel).toBe('gpt-oss:20b');
    // A local server does not host web search.
    expect(settings.capabilities).toEqual({ customTools: false, reasoning: true, compact: false, contextWindow: 32_768, webSearch: false });
  });

  it('leaves the demo as soon as a key is entered', () => {
    const settings = settingsStorages().open();
    settings.apiKey = 'sk-live';
    expect(settings.usingDemo).toBe(false);
    expect(settings.effectiveModel).toBe('gpt-5.1-codex');
    expect(settings.capabilities).toEqual({ customTools: true, reasoning: true, compact: true, contextWindow: 272_000, webSearch: true });
  });
});

describe('Settings: presets', () => {
  it('fills the base URL and model of a new preset unless the user typed their own', () => {
    const settings = settingsStorages().open();
    settings.preset = 'ollama';
    settings.baseURL = 'http://localhost:11434/v1';
    settings.preset = 'lmstudio';
    expect(settings.baseURL).toBe('http://localhost:1234/v1');
    expect(settings.model).toBe('openai/gpt-oss-20b');

    settings.baseURL = 'http://192.168.1.20:1234/v1';
    settings.model = 'qwen3-coder';
    settings.preset = 'ollama';
    expect(settings.baseURL).toBe('http://192.168.1.20:1234/v1');
    expect(settings.model).toBe('qwen3-coder');
    expect(settings.presetInfo.setupHint).toMatch(/OLLAMA_ORIGINS/);
  });
});

describe('Settings: switching providers and the demo', () => {
  it("moves the demo model, or the old provider's default, to the new provider's default", () => {
    const settings = settingsStorages().open();
    settings.preset = 'custom';
    settings.baseURL = 'http://localhost:8000/v1';
    settings.model = DEMO_MODEL_ID;
    settings.preset = 'openai';
    expect(settings.model).toBe('gpt-5.1-codex');
    settings.preset = 'openrouter';
    expect(settings.model).toBe('openai/gpt-5.1-codex');
    // A name the user chose stays.
    settings.model = 'anthropic/claude-sonnet-4.5';
    settings.preset = 'openai';
    expect(settings.model).toBe('anthropic/claude-sonnet-4.5');
  });

  it('looking through the providers leaves the demo answering until an address or key is set', () => {
    const settings = settingsStorages().open();
    expect(settings.usingDemo).toBe(true);
    for (const preset of ['ollama', 'lmstudio', 'custom', 'azure', 'ollama'] as const) {
      settings.preset = preset;
      expect(settings.usingDemo).toBe(true);
      expect(settings.effectiveModel).toBe(DEMO_MODEL_ID);
    }
    // The keyless provider's address is its placeholder, not a value the user has not given.
    expect(settings.baseURL).toBe('');
    expect(settings.baseURLError).toBe('');
    settings.baseURL = settings.presetInfo.baseURL;
    expect(settings.usingDemo).toBe(false);
    expect(settings.effectiveModel).toBe('gpt-oss:20b');
    // Once a real model answers, switching between local servers fills their addresses.
    settings.preset = 'lmstudio';
    expect(settings.baseURL).toBe('http://localhost:1234/v1');
    expect(settings.usingDemo).toBe(false);
  });
});

describe('Settings: the engine config', () => {
  it('gives model, capabilities, policies and instructions', () => {
    const settings = settingsStorages().open();
    settings.apiKey = 'sk';
    settings.model = 'gpt-4.1';
    settings.approvalPolicy = 'untrusted';
    settings.sandboxMode = 'read-only';
    settings.reasoningEffort = 'low';
    expect(settings.sessionConfigPatch()).toEqual({
      model: 'gpt-4.1',
      capabilities: { customTools: false, reasoning: false, compact: true, contextWindow: 1_047_576, webSearch: true },
      approvalPolicy: 'untrusted',
      sandboxMode: 'read-only',
      reasoningEffort: 'low',
      developerInstructions: undefined,
    });
    settings.developerInstructions = 'Answer in French.';
    expect(settings.sessionConfigPatch().developerInstructions).toBe('Answer in French.');
  });

  it('asks for a model name where the preset has none', () => {
    const settings = settingsStorages().open();
    settings.preset = 'custom';
    settings.baseURL = 'http://localhost:8000/v1';
    expect(settings.model).toBe('');
    expect(settings.modelError).toMatch(/model name/);
    expect(settings.valid).toBe(false);
  });
});

describe('Settings: fetching the model list', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lists the models of the configured server', async () => {
    server = await startScriptedServer({ model: new ScriptedModel({ script: demoScript, models: ['b-model', 'a-model'] }) });
    const settings = settingsStorages().open();
    settings.preset = 'custom';
    settings.baseURL = server.url;
    await settings.fetchModels();
    expect(settings.modelsError).toBe('');
    expect(settings.models).toEqual(['a-model', 'b-model']);
    expect(settings.modelsLoading).toBe(false);
  });

  it('lists the demo model offline, and shows a failure instead of throwing', async () => {
    const settings = settingsStorages().open();
    await settings.fetchModels();
    expect(settings.models).toEqual([DEMO_MODEL_ID]);

    settings.preset = 'custom';
    settings.baseURL = 'http://127.0.0.1:9/v1';
    expect(settings.models).toEqual([]);
    await settings.fetchModels();
    expect(settings.models).toEqual([]);
    expect(settings.modelsError).not.toBe('');
  });
});
