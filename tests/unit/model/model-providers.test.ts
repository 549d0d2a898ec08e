import { describe, expect, it } from 'vitest';
import { azureBaseURL, capabilitiesFor, getPreset, PRESET_IDS, presetForBaseURL, PROVIDER_PRESETS } from '../../../src/model/providers';
import { normalizeUsage } from '../../../src/model/usage';

describe('presets', () => {
  it('are complete and consistent', () => {
    for (const id of PRESET_IDS) {
      const p = PROVIDER_PRESETS[id];
      expect(p.id).toBe(id);
      expect(p.label.length).toBeGreaterThan(0);
      expect(p.setupHint.length).toBeGreaterThan(0);
    }
    expect(PROVIDER_PRESETS.openai).toMatchObject({ baseURL: 'https://api.openai.com/v1', needsKey: true, authStyle: 'bearer' });
    expect(PROVIDER_PRESETS.openai.capabilities).toEqual({ customTools: true, reasoning: true, compact: true });
    expect(PROVIDER_PRESETS.azure).toMatchObject({ authStyle: 'api-key', storeResponses: true });
    expect(PROVIDER_PRESETS.openrouter.capabilities.customTools).toBe(false);
    expect(PROVIDER_PRESETS.ollama).toMatchObject({ baseURL: 'http://localhost:11434/v1', needsKey: false });
    expect(PROVIDER_PRESETS.ollama.setupHint).toMatch(/OLLAMA_ORIGINS/);
    expect(PROVIDER_PRESETS.lmstudio).toMatchObject({ baseURL: 'http://localhost:1234/v1', needsKey: false });
    expect(PROVIDER_PRESETS.lmstudio.setupHint).toMatch(/--cors/);
    expect(getPreset('nope').id).toBe('custom');
  });

  it('builds Azure URLs and recognises base URLs', () => {
    expect(azureBaseURL('my-res')).toBe('https://my-res.openai.azure.com/openai/v1');
    expect(presetForBaseURL('https://api.openai.com/v1')).toBe('openai');
    expect(presetForBaseURL('https://x.openai.azure.com/openai/v1')).toBe('azure');
    expect(presetForBaseURL('https://openrouter.ai/api/v1')).toBe('openrouter');
    expect(presetForBaseURL('http://127.0.0.1:11434/v1')).toBe('ollama');
    expect(presetForBaseURL('http://localhost:1234/v1')).toBe('lmstudio');
    expect(presetForBaseURL('not a url')).toBe('custom');
  });
});

describe('capabilitiesFor', () => {
  it('follows OpenAI model families', () => {
    expect(capabilitiesFor('openai', 'gpt-5.1-codex')).toEqual({ customTools: true, reasoning: true, compact: true, contextWindow: 272_000 });
    expect(capabilitiesFor('openai', 'gpt-5-mini')).toEqual({ customTools: true, reasoning: true, compact: true, contextWindow: 272_000 });
    expect(capabilitiesFor('openai', 'gpt-5-chat-latest')).toMatchObject({ customTools: false, reasoning: false });
    expect(capabilitiesFor('openai', 'o3')).toMatchObject({ customTools: false, reasoning: true });
    expect(capabilitiesFor('openai', 'o4-mini')).toMatchObject({ customTools: false, reasoning: true });
    expect(capabilitiesFor('openai', 'gpt-4.1')).toMatchObject({ customTools: false, reasoning: false });
    expect(capabilitiesFor('openai', 'gpt-4o-mini')).toMatchObject({ customTools: false, reasoning: false });
  });

  it('keeps Azure without compact and trusts the preset for unknown deployment names', () => {
    expect(capabilitiesFor('azure', 'gpt-4o')).toEqual({ customTools: false, reasoning: false, compact: false, contextWindow: 128_000 });
    expect(capabilitiesFor('azure', 'my-deployment')).toEqual({ customTools: true, reasoning: true, compact: false, contextWindow: 128_000 });
  });

  it('never gives OpenRouter custom tools', () => {
    expect(capabilitiesFor('openrouter', 'openai/gpt-5.1-codex')).toEqual({
      customTools: false,
      reasoning: true,
      compact: false,
      contextWindow: 272_000,
    });
    expect(capabilitiesFor('openrouter', 'openai/gpt-4o')).toMatchObject({ reasoning: false });
    expect(capabilitiesFor('openrouter', 'anthropic/claude-sonnet-4')).toMatchObject({ reasoning: true });
  });

  it('lets local servers reason only with gpt-oss', () => {
    expect(capabilitiesFor('ollama', 'gpt-oss:20b')).toEqual({ customTools: false, reasoning: true, compact: false, contextWindow: 32_768 });
    expect(capabilitiesFor('ollama', 'qwen3:8b')).toEqual({ customTools: false, reasoning: false, compact: false, contextWindow: 32_768 });
    expect(capabilitiesFor('lmstudio', 'openai/gpt-oss-20b')).toMatchObject({ reasoning: true, customTools: false });
    expect(capabilitiesFor('lmstudio', 'qwen2.5-coder-7b')).toMatchObject({ reasoning: false });
  });

  it('is conservative for custom servers', () => {
    expect(capabilitiesFor('custom', 'gpt-5.1-codex')).toEqual({ customTools: false, reasoning: true, compact: false, contextWindow: 272_000 });
    expect(capabilitiesFor('custom', 'llama-3')).toEqual({ customTools: false, reasoning: false, compact: false, contextWindow: 128_000 });
  });
});

describe('normalizeUsage', () => {
  it('flattens the nested usage', () => {
    expect(
      normalizeUsage({
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 60 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 8 },
        total_tokens: 120,
      }),
    ).toEqual({ input_tokens: 100, cached_tokens: 60, output_tokens: 20, reasoning_tokens: 8, total_tokens: 120 });
  });

  it('fills gaps with 0 and a computed total', () => {
    expect(normalizeUsage({ input_tokens: 5, output_tokens: 2 })).toEqual({
      input_tokens: 5,
      cached_tokens: 0,
      output_tokens: 2,
      reasoning_tokens: 0,
      total_tokens: 7,
    });
    expect(normalizeUsage(undefined)).toEqual({ input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 });
    expect(normalizeUsage({ input_tokens: 'many', output_tokens: -1, input_tokens_details: null })).toMatchObject({
      input_tokens: 0,
      output_tokens: 0,
    });
  });

  it('accepts chat-style names from compatible servers', () => {
    expect(normalizeUsage({ prompt_tokens: 9, completion_tokens: 3 })).toMatchObject({ input_tokens: 9, output_tokens: 3, total_tokens: 12 });
  });
});
