/** Settings checked before use: addresses, headers, the compaction limit and token counts. */
import { describe, expect, it } from 'vitest';
import { SETTINGS_STORAGE_KEY } from '../../../src/app/settings.svelte';
import { rowsToRecord, tokenCount } from '../../../src/app/settings-rules';
import { settingsStorages } from '../../support/fake-storage';

describe('Settings: validation', () => {
  it('accepts only http(s) base URLs', () => {
    const settings = settingsStorages().open();
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
    const settings = settingsStorages().open();
    settings.preset = 'azure';
    settings.apiKey = 'azure-key';
    expect(settings.baseURLError).toMatch(/\{resource\}/);
    settings.preset = 'custom';
    settings.baseURL = '';
    expect(settings.baseURLError).toMatch(/Enter the base URL/);
  });

  it('checks header names are tokens a page may send', () => {
    const settings = settingsStorages().open();
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
    const settings = settingsStorages().open();
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

describe('Settings: the compaction limit against the window', () => {
  it('refuses a limit at or above the window: says so, and neither saves nor sends it', () => {
    const { local, open } = settingsStorages();
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
    const settings = settingsStorages().open();
    settings.preset = 'ollama';
    settings.baseURL = 'http://localhost:11434/v1';
    expect(settings.contextWindowInEffect).toBe(32_768);
    settings.autoCompactLimit = 40_000;
    expect(settings.compactLimitError).toMatch(/32,768 tokens/);
    settings.autoCompactLimit = 30_000;
    expect(settings.compactLimitError).toBe('');
  });
});

describe('token counts in settings', () => {
  it('keeps positive whole numbers and treats anything else as "the default"', () => {
    expect(tokenCount('32000')).toBe(32_000);
    expect(tokenCount(8192)).toBe(8192);
    for (const bad of ['', ' ', '-5', '1.5', 'lots', 0, null, undefined, {}, Number.NaN]) expect(tokenCount(bad)).toBeNull();
  });
});
