/**
 * Local servers beyond Ollama and LM Studio (vLLM, llama.cpp's server): presets, their CORS
 * advice, a clear message when a server has no /responses endpoint, and the context length a
 * server states in /v1/models taking the place of a guess from the model name.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Settings } from '../../../src/app/settings.svelte';
import { createModelClient, modelInfo } from '../../../src/model/client';
import { corsMessage } from '../../../src/model/connectivity';
import type { ModelError } from '../../../src/model/errors';
import { streamFailure } from '../../support/model-fixtures';
import { capabilitiesFor, PRESET_IDS, presetForBaseURL, PROVIDER_PRESETS } from '../../../src/model/providers';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A plain HTTP server answering every request with `status` and `body` (CORS open). */
async function serve(handler: (path: string) => { status: number; type: string; body: string }): Promise<string> {
  server = createServer((req, res) => {
    const answer = handler(req.url ?? '/');
    res.writeHead(answer.status, { 'content-type': answer.type, 'access-control-allow-origin': '*' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`;
}

function firstError(baseURL: string, preset?: 'ollama' | 'llamacpp'): Promise<ModelError> {
  return streamFailure(createModelClient({ baseURL, ...(preset ? { preset } : {}) }), { model: 'qwen' });
}

describe('vLLM and llama.cpp presets', () => {
  it('are offered, keyless, local, with function tools only', () => {
    expect(PRESET_IDS).toEqual(expect.arrayContaining(['vllm', 'llamacpp']));
    expect(PROVIDER_PRESETS.vllm).toMatchObject({ baseURL: 'http://localhost:8000/v1', needsKey: false });
    expect(PROVIDER_PRESETS.llamacpp).toMatchObject({ baseURL: 'http://localhost:8080/v1', needsKey: false });
    expect(presetForBaseURL('http://localhost:8000/v1')).toBe('vllm');
    expect(presetForBaseURL('http://127.0.0.1:8080/v1')).toBe('llamacpp');
    expect(capabilitiesFor('vllm', 'openai/gpt-oss-20b')).toMatchObject({ customTools: false, reasoning: true, contextWindow: 32_768 });
    expect(capabilitiesFor('llamacpp', 'qwen2.5-coder')).toMatchObject({ customTools: false, reasoning: false });
  });

  it('say how to allow this origin on each server', () => {
    expect(corsMessage({ baseURL: 'http://localhost:8000/v1', origin: 'https://app.example' })).toContain(
      '--allowed-origins \'["https://app.example"]\'',
    );
    expect(corsMessage({ baseURL: 'http://localhost:8080/v1', origin: 'https://app.example' })).toContain("llama-server's CORS options");
  });
});

describe('a server without /responses', () => {
  it('an old Ollama: says which version serves it', async () => {
    const url = await serve(() => ({ status: 404, type: 'text/plain', body: '404 page not found' }));
    const error = await firstError(url, 'ollama');
    expect(error).toMatchObject({ kind: 'not_found', status: 404 });
    expect(error.message).toMatch(/^This Ollama has no \/v1\/responses \(404\): Ollama serves it from version 0\.13\.3/);
  });

  it('an old llama-server (its JSON 404): says to update llama.cpp', async () => {
    const url = await serve(() => ({
      status: 404,
      type: 'application/json',
      body: '{"code":404,"message":"File Not Found","type":"not_found_error"}',
    }));
    const error = await firstError(url, 'llamacpp');
    expect(error.message).toMatch(/^This llama-server has no \/v1\/responses \(404\)/);
    expect(error.message).toContain('File Not Found');
  });

  it('any other server: says the endpoint is missing; a 404 about the model still names the model', async () => {
    const url = await serve(() => ({ status: 404, type: 'text/html', body: '<html><title>404 Not Found</title></html>' }));
    expect((await firstError(url)).message).toContain('has no /responses endpoint (404)');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const url2 = await serve(() => ({
      status: 404,
      type: 'application/json',
      body: '{"error":{"message":"The model `qwen` does not exist","type":"invalid_request_error","code":"model_not_found"}}',
    }));
    expect((await firstError(url2)).message).toContain('check the base URL and that the model "qwen" exists there');
  });
});

describe('context length from /v1/models', () => {
  it('reads what vLLM, llama.cpp, LM Studio and OpenRouter say', () => {
    expect(modelInfo({ id: 'a', max_model_len: 40_960 })).toEqual({ id: 'a', contextWindow: 40_960 });
    expect(modelInfo({ id: 'b', meta: { n_ctx_train: 131_072 } })).toEqual({ id: 'b', contextWindow: 131_072 });
    expect(modelInfo({ id: 'c', max_context_length: 8_192 })).toEqual({ id: 'c', contextWindow: 8_192 });
    expect(modelInfo({ id: 'd', context_length: 200_000 })).toEqual({ id: 'd', contextWindow: 200_000 });
    expect(modelInfo({ id: 'e', max_model_len: 'lots' })).toEqual({ id: 'e' });
    expect(modelInfo({ nope: 1 })).toBeUndefined();
  });

  it('takes the place of the guess once the models are fetched, and is forgotten with the server', async () => {
    const url = await serve(() => ({
      status: 200,
      type: 'application/json',
      body: JSON.stringify({
        object: 'list',
        data: [
          { id: 'openai/gpt-oss-20b', object: 'model', max_model_len: 65_536 },
          { id: 'other', object: 'model' },
        ],
      }),
    }));
    const settings = new Settings({ local: null, session: null });
    expect(settings.reachesLocalNetwork).toBe(false); // the demo answers: nothing to connect to
    settings.preset = 'vllm';
    settings.baseURL = url;
    settings.model = 'openai/gpt-oss-20b';
    expect(settings.contextWindowInEffect).toBe(32_768);
    // A server on this machine, set up from a page that is not on it (here, none): Connect.
    expect(settings.reachesLocalNetwork).toBe(true);
    await settings.fetchModels();
    expect(settings.models).toEqual(['openai/gpt-oss-20b', 'other']);
    expect(settings.contextWindowInEffect).toBe(65_536);
    expect(settings.sessionConfigPatch().capabilities?.contextWindow).toBe(65_536);
    settings.baseURL = 'http://localhost:9000/v1';
    expect(settings.contextWindowInEffect).toBe(32_768);
  });
});

describe('Local Network Access', () => {
  it('a refusal reads as such, not as CORS or a dead server, for a local server seen from a public page', async () => {
    const { refineNetworkError, isLocalTarget } = await import('../../../src/model/connectivity');
    const { ModelError } = await import('../../../src/model/errors');
    const failed = new ModelError({ kind: 'network', message: 'Could not reach http://localhost:11434/v1.' });
    const refused = await refineNetworkError(failed, {
      baseURL: 'http://localhost:11434/v1',
      origin: 'https://unroll.example',
      localNetworkAccess: async () => 'denied',
      probe: async () => true,
    });
    expect(refused).toMatchObject({ kind: 'cors', retryable: false });
    expect(refused.message).toContain('Local Network Access was refused');
    // Allowed (or a page on localhost itself): the usual diagnosis (here the probe says CORS).
    const allowed = await refineNetworkError(failed, {
      baseURL: 'http://localhost:11434/v1',
      origin: 'https://unroll.example',
      localNetworkAccess: async () => 'granted',
      probe: async () => true,
    });
    expect(allowed.message).toContain('(CORS)');
    const fromLocal = await refineNetworkError(failed, {
      baseURL: 'http://localhost:11434/v1',
      origin: 'http://localhost:5173',
      localNetworkAccess: async () => 'denied',
      probe: async () => true,
    });
    expect(fromLocal.message).toContain('(CORS)');
    expect(['http://192.168.1.9:8000/v1', 'http://[::1]:8080', 'http://box.local/v1', 'http://172.20.0.2/v1'].every(isLocalTarget)).toBe(true);
    expect(['https://api.openai.com/v1', 'http://172.32.0.1/v1', 'not a url'].some(isLocalTarget)).toBe(false);
  });
});
