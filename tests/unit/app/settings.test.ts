import { afterEach, describe, expect, it } from 'vitest';
import {
  API_KEY_STORAGE_KEY,
  DEMO_CAPABILITIES,
  DEMO_MODEL_ID,
  SETTINGS_STORAGE_KEY,
  Settings,
  type SettingsOptions,
} from '../../../src/app/settings.svelte';
import { rowsToRecord, tokenCount } from '../../../src/app/settings-rules';
import { Layout, LAYOUT_STORAGE_KEY } from '../../../src/app/layout.svelte';
import { DEFAULT_SCRIPTED_MODEL_ID, demoScript, ScriptedModel } from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';

/** A Storage-like map; `failWrites`/`failReads` make it throw the way browsers do. */
class FakeStorage {
  readonly items = new Map<string, string>();
  failWrites = false;
  failReads = false;

  getItem(key: string): string | null {
    if (this.failReads) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    if (this.failWrites) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.delete(key);
  }
}

function storages() {
  const local = new FakeStorage();
  const session = new FakeStorage();
  const open = (extra: SettingsOptions = {}) => new Settings({ local, session, ...extra });
  return { local, session, open };
}

/** Every string stored anywhere, to look for the key. */
function everything(...areas: FakeStorage[]): string {
  return areas.flatMap((area) => [...area.items.entries()].map(([key, value]) => `${key}=${value}`)).join('\n');
}

describe('Settings: defaults and the demo model', () => {
  it('starts on the OpenAI preset without a key, so the offline demo answers', () => {
    const { open } = storages();
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
    const { open } = storages();
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
    const settings = storages().open();
    settings.apiKey = 'sk-live';
    expect(settings.usingDemo).toBe(false);
    expect(settings.effectiveModel).toBe('gpt-5.1-codex');
    expect(settings.capabilities).toEqual({ customTools: true, reasoning: true, compact: true, contextWindow: 272_000, webSearch: true });
  });
});

describe('Settings: persistence', () => {
  it('saves everything but the key under unroll.settings.v1 and reads it back', () => {
    const { local, open } = storages();
    const first = open();
    first.preset = 'openrouter';
    first.model = 'anthropic/claude-sonnet-4.5';
    first.apiKey = 'sk-or-secret';
    first.reasoningEffort = 'high';
    first.approvalPolicy = 'never';
    first.sandboxMode = 'read-only';
    first.developerInstructions = 'Prefer TypeScript.';
    first.addRow('headers');
    first.updateRow('headers', 0, { name: 'X-Title', value: 'Unroll' });
    first.addRow('query');
    first.updateRow('query', 0, { name: 'debug', value: '1' });
    first.contextWindow = 32_000;
    first.autoCompactLimit = 28_000;

    const saved = JSON.parse(local.items.get(SETTINGS_STORAGE_KEY) ?? 'null') as Record<string, unknown>;
    expect(saved).toMatchObject({ preset: 'openrouter', model: 'anthropic/claude-sonnet-4.5', approvalPolicy: 'never' });
    expect(JSON.stringify(saved)).not.toContain('sk-or-secret');
    expect(local.items.get(API_KEY_STORAGE_KEY)).toBe('sk-or-secret');

    const second = open();
    expect(second.toJSON()).toEqual(first.toJSON());
    expect(second.sessionConfigPatch()).toMatchObject({ contextWindow: 32_000, autoCompactLimit: 28_000 });
    expect(second.apiKey).toBe('sk-or-secret');
    expect(second.baseURL).toBe('https://openrouter.ai/api/v1');
    expect(second.headers).toEqual([{ name: 'X-Title', value: 'Unroll' }]);
    expect(second.query).toEqual([{ name: 'debug', value: '1' }]);
  });

  it('never puts the key into JSON.stringify(settings)', () => {
    const settings = storages().open();
    settings.apiKey = 'sk-do-not-leak-1234';
    settings.keyInTabOnly = true;
    const text = JSON.stringify(settings);
    expect(text).not.toContain('sk-do-not-leak-1234');
    expect(JSON.parse(text)).not.toHaveProperty('apiKey');
    expect(JSON.stringify(settings.sessionConfigPatch())).not.toContain('sk-do-not-leak-1234');
    expect(settings.snapshot().apiKey).toBe('sk-do-not-leak-1234');
  });

  it('keeps the key in sessionStorage only when it is for this tab, moving it both ways', () => {
    const { local, session, open } = storages();
    const settings = open();
    settings.apiKey = 'sk-tab';
    expect(local.items.get(API_KEY_STORAGE_KEY)).toBe('sk-tab');

    settings.keyInTabOnly = true;
    expect(session.items.get(API_KEY_STORAGE_KEY)).toBe('sk-tab');
    expect(everything(local)).not.toContain('sk-tab');

    settings.apiKey = 'sk-tab-2';
    expect(everything(local)).not.toContain('sk-tab');
    const reloaded = open();
    expect(reloaded.keyInTabOnly).toBe(true);
    expect(reloaded.apiKey).toBe('sk-tab-2');

    reloaded.keyInTabOnly = false;
    expect(local.items.get(API_KEY_STORAGE_KEY)).toBe('sk-tab-2');
    expect(session.items.has(API_KEY_STORAGE_KEY)).toBe(false);
  });

  it('deletes a stale localStorage copy when loading with the key kept for this tab', () => {
    const { local, session, open } = storages();
    local.items.set(SETTINGS_STORAGE_KEY, JSON.stringify({ keyInTabOnly: true }));
    local.items.set(API_KEY_STORAGE_KEY, 'sk-stale');
    session.items.set(API_KEY_STORAGE_KEY, 'sk-session');
    const settings = open();
    expect(settings.apiKey).toBe('sk-session');
    expect(local.items.has(API_KEY_STORAGE_KEY)).toBe(false);
  });

  it('removes the stored key when the field is cleared', () => {
    const { local, open } = storages();
    const settings = open();
    settings.apiKey = 'sk-gone';
    settings.apiKey = '';
    expect(local.items.has(API_KEY_STORAGE_KEY)).toBe(false);
    expect(settings.usingDemo).toBe(true);
  });

  it('ignores unknown or malformed saved values field by field', () => {
    const { local, open } = storages();
    local.items.set(
      SETTINGS_STORAGE_KEY,
      JSON.stringify({ preset: 'nope', approvalPolicy: 'sometimes', sandboxMode: 'workspace-write', headers: 'x', model: 7 }),
    );
    const settings = open();
    expect(settings.preset).toBe('openai');
    expect(settings.approvalPolicy).toBe('on-request');
    expect(settings.sandboxMode).toBe('workspace-write');
    expect(settings.headers).toEqual([]);
    expect(settings.model).toBe('gpt-5.1-codex');
    expect(settings.storageProblem).toBe('');
  });
});

describe('Settings: storage failures never throw', () => {
  it('keeps working in memory when writes fail (quota), and says so', () => {
    const { local, open } = storages();
    const settings = open();
    local.failWrites = true;
    expect(() => (settings.model = 'gpt-5.1')).not.toThrow();
    expect(settings.model).toBe('gpt-5.1');
    expect(settings.storageProblem).toMatch(/QuotaExceededError/);
    local.failWrites = false;
    settings.model = 'gpt-5.1-mini';
    expect(settings.storageProblem).toBe('');
  });

  it('starts with defaults when reads throw, and when there is no storage at all', () => {
    const { local, open } = storages();
    local.failReads = true;
    const blocked = open();
    expect(blocked.preset).toBe('openai');
    expect(blocked.storageProblem).toMatch(/SecurityError/);

    const none = new Settings({ local: null, session: null });
    expect(none.storageProblem).toMatch(/last until this tab closes/);
    none.apiKey = 'sk-memory';
    none.keyInTabOnly = true;
    expect(none.apiKey).toBe('sk-memory');
    expect(none.usingDemo).toBe(false);
  });

  it('replaces unreadable saved settings with defaults and reports it', () => {
    const { local, open } = storages();
    local.items.set(SETTINGS_STORAGE_KEY, '{not json');
    const settings = open();
    expect(settings.preset).toBe('openai');
    expect(settings.storageProblem).toMatch(/unreadable/);
  });
});

describe('Settings: validation', () => {
  it('accepts only http(s) base URLs', () => {
    const settings = storages().open();
    settings.apiKey = 'sk';
    settings.baseURL = 'ftp://example.com/v1';
    expect(settings.baseURLError).toMatch(/http:\/\/ or https:\/\//);
    expect(settings.valid).toBe(false);
    settings.baseURL = 'not a url';
    expect(settings.baseURLError).toMatch(/http:\/\/ or https:\/\//);
    settings.baseURL = 'https://proxy.example.com/v1';
    expect(settings.baseURLError).toBe('');
    expect(settings.valid).toBe(true);
  });

  it('asks for the Azure resource name and for a base URL where there is no default', () => {
    const settings = storages().open();
    settings.preset = 'azure';
    settings.apiKey = 'azure-key';
    expect(settings.baseURLError).toMatch(/\{resource\}/);
    settings.preset = 'custom';
    settings.baseURL = '';
    expect(settings.baseURLError).toMatch(/Enter the base URL/);
  });

  it('checks header names are tokens a page may send', () => {
    const settings = storages().open();
    settings.apiKey = 'sk';
    settings.addRow('headers');
    settings.addRow('headers');
    settings.addRow('headers');
    settings.addRow('headers');
    settings.updateRow('headers', 0, { name: 'X-Good', value: 'yes' });
    settings.updateRow('headers', 1, { name: 'Bad Name', value: 'x' });
    settings.updateRow('headers', 2, { name: 'Host', value: 'x' });
    settings.updateRow('headers', 3, { name: 'X-Multi', value: 'a\r\nb' });
    expect(settings.headerErrors[0]).toBe('');
    expect(settings.headerErrors[1]).toMatch(/not a valid header name/);
    expect(settings.headerErrors[2]).toMatch(/Browsers do not let/);
    expect(settings.headerErrors[3]).toMatch(/line breaks/);
    expect(settings.valid).toBe(false);
    settings.apiKey = '';
    expect(settings.valid).toBe(true); // the demo sends no extra headers
    settings.apiKey = 'sk';
    settings.removeRow('headers', 3);
    settings.removeRow('headers', 2);
    settings.removeRow('headers', 1);
    expect(settings.valid).toBe(true);
  });

  it('ignores blank rows, needs names for filled ones, and turns rows into records', () => {
    const settings = storages().open();
    settings.addRow('query');
    expect(settings.queryErrors).toEqual(['']);
    settings.updateRow('query', 0, { value: 'orphan' });
    expect(settings.queryErrors[0]).toMatch(/name/);
    expect(
      rowsToRecord([
        { name: ' a ', value: '1' },
        { name: '', value: '' },
        { name: 'a', value: '2' },
      ]),
    ).toEqual({ a: '2' });
  });
});

describe('Settings: presets', () => {
  it('fills the base URL and model of a new preset unless the user typed their own', () => {
    const settings = storages().open();
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
    const settings = storages().open();
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
    const settings = storages().open();
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

describe('Settings: the compaction limit against the window', () => {
  it('refuses a limit at or above the window: says so, and neither saves nor sends it', () => {
    const { local, open } = storages();
    const settings = open();
    settings.contextWindow = 1000;
    settings.autoCompactLimit = 5000;
    expect(settings.autoCompactLimit).toBe(5000);
    expect(settings.compactLimitError).toMatch(/must be below the context window \(1,000 tokens\)/);
    expect(settings.compactLimitError).toMatch(/not saved/);
    expect(settings.sessionConfigPatch()).not.toHaveProperty('autoCompactLimit');
    expect(settings.sessionConfigPatch()).toMatchObject({ contextWindow: 1000 });
    const saved = () => JSON.parse(local.items.get(SETTINGS_STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    expect(saved()).toMatchObject({ contextWindow: 1000, autoCompactLimit: null });

    settings.contextWindow = 8000;
    expect(settings.compactLimitError).toBe('');
    expect(settings.sessionConfigPatch()).toMatchObject({ contextWindow: 8000, autoCompactLimit: 5000 });
    expect(saved()).toMatchObject({ contextWindow: 8000, autoCompactLimit: 5000 });
  });

  it("checks against the model's known window when none is typed", () => {
    const settings = storages().open();
    settings.preset = 'ollama';
    settings.baseURL = 'http://localhost:11434/v1';
    expect(settings.contextWindowInEffect).toBe(32_768);
    settings.autoCompactLimit = 40_000;
    expect(settings.compactLimitError).toMatch(/32,768 tokens/);
    settings.autoCompactLimit = 30_000;
    expect(settings.compactLimitError).toBe('');
  });
});

describe('Settings: the engine config', () => {
  it('gives model, capabilities, policies and instructions', () => {
    const settings = storages().open();
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
    const settings = storages().open();
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
    const settings = storages().open();
    settings.preset = 'custom';
    settings.baseURL = server.url;
    await settings.fetchModels();
    expect(settings.modelsError).toBe('');
    expect(settings.models).toEqual(['a-model', 'b-model']);
    expect(settings.modelsLoading).toBe(false);
  });

  it('lists the demo model offline, and shows a failure instead of throwing', async () => {
    const settings = storages().open();
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

describe('Layout', () => {
  it('saves split sizes and tabs under unroll.layout.v1 and restores them', () => {
    const local = new FakeStorage();
    const layout = new Layout(local);
    layout.setSize('chat', 41.26);
    layout.setSize('editor', 3);
    layout.narrowTab = 'preview';
    expect(layout.size('chat')).toBe(41.3);
    expect(layout.size('editor')).toBe(10);
    expect(layout.topTab).toBe('preview');
    const restored = new Layout(local);
    expect(restored.toJSON()).toEqual(layout.toJSON());
    expect(JSON.parse(local.items.get(LAYOUT_STORAGE_KEY) ?? '{}')).toEqual(layout.toJSON());
  });

  it('keeps working when storage fails', () => {
    const local = new FakeStorage();
    local.failWrites = true;
    const layout = new Layout(local);
    expect(() => layout.setSize('files', 30)).not.toThrow();
    expect(layout.size('files')).toBe(30);
    expect(layout.storageProblem).toMatch(/QuotaExceededError/);
    local.items.set(LAYOUT_STORAGE_KEY, JSON.stringify({ sizes: { chat: 'wide' }, topTab: 'nope' }));
    const fallback = new Layout(local);
    expect(fallback.size('chat')).toBe(44);
    expect(fallback.topTab).toBe('editor');
  });
});

describe('token counts in settings', () => {
  it('keeps positive whole numbers and treats anything else as "the default"', () => {
    expect(tokenCount('32000')).toBe(32_000);
    expect(tokenCount(8192)).toBe(8192);
    for (const bad of ['', ' ', '-5', '1.5', 'lots', 0, null, undefined, {}, Number.NaN]) expect(tokenCount(bad)).toBeNull();
  });
});
