/** The composer is never typed for the person on a real model; the demo suggests its prompt. */
import { describe, expect, it } from 'vitest';
import { ChatSession, SUGGESTED_PROMPT } from '../../../src/app/chat.svelte';
import { Settings } from '../../../src/app/settings.svelte';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';

describe('the suggested draft', () => {
  it('a new conversation on the offline demo model suggests the demo prompt', () => {
    const chat = new ChatSession(createEmbeddedSandbox(), new Settings({ local: null, session: null }));
    expect(chat.draft).toBe(SUGGESTED_PROMPT);
  });

  it('with a real key set, a new conversation starts empty', () => {
    const settings = new Settings({ local: null, session: null });
    settings.preset = 'openai';
    settings.apiKey = 'sk-test-0123456789';
    expect(settings.usingDemo).toBe(false);
    const chat = new ChatSession(createEmbeddedSandbox(), settings);
    expect(chat.draft).toBe('');
  });
});
