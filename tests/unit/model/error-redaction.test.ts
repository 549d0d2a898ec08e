/**
 * A server that echoes the rejected key in its error body must not get it into the error card,
 * the session log or the inspector: every error the model client throws is scrubbed of the
 * configured key and of anything shaped like one, and the card scrubs once more.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shownMessage } from '../../../src/app/error-advice';
import { REDACTED, scrubErrorText } from '../../../src/core/redact';
import { createModelClient } from '../../../src/model/client';
import { classifyStreamFailure } from '../../../src/model/errors';
import { demoScript } from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';
import { collect, failure, request, signal } from '../../support/model-fixtures';

const KEY = 'sk-proj-Q7c2LEAKx9Tz4mWv0bN8aR5yHs3dKf6g';
/** Not shaped like an OpenAI key: only knowing the configured key catches it. */
const PLAIN_KEY = 'plain-key-Zq81LEAKvb';

let server: ScriptedServer;
beforeEach(async () => {
  server = await startScriptedServer({ script: demoScript });
});
afterEach(async () => {
  await server.close();
});

function echo(key: string) {
  return {
    status: 401,
    body: {
      error: {
        message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    },
  };
}

describe('errors never carry the key', () => {
  it('a 401 echoing the configured key is an auth error without the key', async () => {
    server.faults.push(echo(KEY));
    const { error } = await failure(createModelClient({ baseURL: server.url, apiKey: KEY }).stream(request(), { signal: signal() }));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/rejected the API key/);
    expect(error.message).not.toContain('LEAK');
    expect(error.message).toContain(REDACTED);
  });

  it('catches a key of any shape when it is the configured one, and one in a credential header', async () => {
    server.faults.push(echo(PLAIN_KEY), echo(PLAIN_KEY));
    const byKey = await failure(createModelClient({ baseURL: server.url, apiKey: PLAIN_KEY }).stream(request(), { signal: signal() }));
    expect(byKey.error.message).not.toContain('LEAK');
    const byHeader = await failure(
      createModelClient({ baseURL: server.url, headers: { 'x-api-key': PLAIN_KEY } }).stream(request(), { signal: signal() }),
    );
    expect(byHeader.error.message).not.toContain('LEAK');
  });

  it('catches a key shaped like one even when it is not the configured key', async () => {
    server.faults.push(echo(KEY));
    const { error } = await failure(
      createModelClient({ baseURL: server.url, apiKey: 'sk-other-key-entirely-000' }).stream(request(), { signal: signal() }),
    );
    expect(error.message).not.toContain('LEAK');
  });

  it('scrubs a response.failed event echoing the key, which the engine turns into the error', async () => {
    server.faults.push({ failWith: { code: 'server_error', message: `Upstream rejected credential ${PLAIN_KEY} for this model` } });
    const events = await collect(createModelClient({ baseURL: server.url, apiKey: PLAIN_KEY }).stream(request(), { signal: signal() }));
    const failed = events.find((event) => event.type === 'response.failed')!;
    const error = (failed.response as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('server_error');
    expect(error.message).toBe(`Upstream rejected credential ${REDACTED} for this model`);
    expect(classifyStreamFailure(failed)!.message).not.toContain('LEAK');
  });

  it('scrubs the compact endpoint errors too', async () => {
    server.faults.push({ ...echo(KEY), route: 'compact' as const });
    const client = createModelClient({ baseURL: server.url, apiKey: KEY, compact: true });
    const err = await client.compact!({ model: 'm', input: [] }, { signal: signal() }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/rejected the API key/);
    expect(err?.message).not.toContain('LEAK');
  });
});

describe('scrubErrorText', () => {
  it.each([
    ['an OpenAI key', `bad key ${KEY} here`],
    ['a legacy key', 'Incorrect API key provided: sk-abcdefLEAK1234567890abcd.'],
    ['a bearer token', 'Authorization: Bearer eyJhbGciLEAK.eyJzdWIiOiIx.c2lnbmF0dXJl'],
    ['a hex token after "token"', 'invalid token 9f86d081884c7d659a2feaa0c55ad015LEAKa3bf4f1b2b0b822cd15d6c15b0f00a08'],
    ['a base64 token after "key="', 'rejected key=QUJDREVGR0hJSktMTU5PUExEAKFSU1RVVldY'],
    ['an api_key in JSON', '{"api_key": "a1b2c3d4e5f6LEAKg7h8i9j0k1l2m3"}'],
  ])('takes out %s', (_, text) => {
    const out = scrubErrorText(text, []);
    expect(out).not.toContain('LEAK');
    expect(out).toContain(REDACTED);
  });

  it('leaves ordinary error prose alone', () => {
    for (const text of [
      'Check the key in Settings.',
      "The model 'gpt-5.1-codex' does not exist or you do not have access to it.",
      'Rate limit reached for gpt-5 on tokens per min. Please try again in 1.2s.',
      "This model's maximum context length is 128000 tokens.",
      'token: the_configuration_value_for_this',
    ])
      expect(scrubErrorText(text, [])).toBe(text);
  });

  it('the error card shows a stored message without a key in it', () => {
    expect(shownMessage({ kind: 'auth', message: `The server rejected the API key (401): Incorrect API key provided: ${KEY}` })).not.toContain(
      'LEAK',
    );
  });
});
