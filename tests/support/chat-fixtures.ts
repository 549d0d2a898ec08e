/** ChatSessions for the tests: on the offline demo model, or on a custom endpoint served by a script. */
import { ChatSession } from '../../src/app/chat.svelte';
import { Settings } from '../../src/app/settings.svelte';
import type { ResponseItem } from '../../src/core/items';
import { createScriptedFetch } from '../../src/model/scripted/index';
import type { Script } from '../../src/model/scripted/types';
import { createEmbeddedSandbox } from '../../src/sandbox/embedded';

/** A ChatSession on the offline demo model, without pauses, over an embedded sandbox holding `files`. */
export function demoChat(files: Record<string, string> = {}) {
  const sandbox = createEmbeddedSandbox({ files });
  const settings = new Settings({ local: null, session: null });
  const chat = new ChatSession(sandbox, settings, { modelOptions: { demoEventDelayMs: 0 } });
  return { sandbox, settings, chat };
}

/**
 * A ChatSession on a custom endpoint (http://models.test/v1) whose `fetch` is `script`, without
 * pauses, over an empty embedded sandbox. `inputs` keeps every request's input, in order;
 * `beforeFetch` runs before each request and may throw, as an unreachable endpoint does.
 */
export function scriptedChat(script: Script, beforeFetch: () => void = () => {}) {
  const scripted = createScriptedFetch(script, { eventDelayMs: 0 });
  const inputs: ResponseItem[][] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    beforeFetch();
    const body = JSON.parse(String(init?.body ?? '{}')) as { input?: ResponseItem[] };
    if (body.input) inputs.push(body.input);
    return scripted(input, init);
  }) as typeof globalThis.fetch;
  const settings = new Settings({ local: null, session: null });
  settings.preset = 'custom';
  settings.baseURL = 'http://models.test/v1';
  settings.apiKey = 'sk-test';
  settings.model = 'unroll-scripted';
  const sandbox = createEmbeddedSandbox();
  const chat = new ChatSession(sandbox, settings, { modelOptions: { fetch } });
  return { chat, sandbox, settings, inputs };
}
