/** Settings in storage: what is saved where (the key apart), and reads and writes that fail. */
import { describe, expect, it } from 'vitest';
import { API_KEY_STORAGE_KEY, SETTINGS_STORAGE_KEY, Settings } from '../../../src/app/settings.svelte';
import { settingsStorages, type FakeStorage } from '../../support/fake-storage';

/** Every string stored anywhere, to look for the key. */
function everything(...areas: FakeStorage[]): string {
  return areas.flatMap((area) => [...area.items.entries()].map(([key, value]) => `${key}=${value}`)).join('\n');
}

describe('Settings: persistence', () => {
  it('saves everything but the key under unroll.settings.v1 and reads it back', () => {
    const { local, open } = settingsStorages();
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
    const settings = settingsStorages().open();
    settings.apiKey = 'sk-do-not-leak-1234';
    settings.keyInTabOnly = true;
    const text = JSON.stringify(settings);
    expect(text).not.toContain('sk-do-not-leak-1234');
    expect(JSON.parse(text)).not.toHaveProperty('apiKey');
    expect(JSON.stringify(settings.sessionConfigPatch())).not.toContain('sk-do-not-leak-1234');
    expect(settings.snapshot().apiKey).toBe('sk-do-not-leak-1234');
  });

  it('keeps the key in sessionStorage only when it is for this tab, moving it both ways', () => {
    const { local, session, open } = settingsStorages();
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
    const { local, session, open } = settingsStorages();
    local.items.set(SETTINGS_STORAGE_KEY, JSON.stringify({ keyInTabOnly: true }));
    local.items.set(API_KEY_STORAGE_KEY, 'sk-stale');
    session.items.set(API_KEY_STORAGE_KEY, 'sk-session');
    const settings = open();
    expect(settings.apiKey).toBe('sk-session');
    expect(local.items.has(API_KEY_STORAGE_KEY)).toBe(false);
  });

  it('removes the stored key when the field is cleared', () => {
    const { local, open } = settingsStorages();
    const settings = open();
    settings.apiKey = 'sk-gone';
    settings.apiKey = '';
    expect(local.items.has(API_KEY_STORAGE_KEY)).toBe(false);
    expect(settings.usingDemo).toBe(true);
  });

  it('ignores unknown or malformed saved values field by field', () => {
    const { local, open } = settingsStorages();
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
    const { local, open } = settingsStorages();
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
    const { local, open } = settingsStorages();
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
    const { local, open } = settingsStorages();
    local.items.set(SETTINGS_STORAGE_KEY, '{not json');
    const settings = open();
    expect(settings.preset).toBe('openai');
    expect(settings.storageProblem).toMatch(/unreadable/);
  });
});
