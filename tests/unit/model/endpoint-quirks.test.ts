/**
 * Responses servers that differ from OpenAI's, each reproduced by a mode of the scripted model
 * server and met by the real loop over the real `openai` SDK and HTTP: servers that refuse
 * custom tools or reasoning (the feature is left out and the round sent again), that send no
 * usage (tokens are estimated, compaction still triggers), that end streams without
 * `response.completed` (retried as a broken stream), and error bodies in every shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { foldEvent, type Entry } from '../../../src/app/chat-entries';
import { InspectorTimeline } from '../../../src/app/inspector/timeline';
import { createModelClient } from '../../../src/model/client';
import { normalizeErrorBody } from '../../../src/model/error-body';
import { refusedFeature } from '../../../src/model/errors';
import { reply, sequence, type Script } from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';
import { eventsOf, startHarness, type Harness } from '../../support/harness';
import { streamFailure } from '../../support/model-fixtures';

let h: Harness | undefined;
let server: ScriptedServer | undefined;
afterEach(async () => {
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
});

const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n';
/** Writes a file with apply_patch (in whichever form the request offered it), then answers. */
const patchThenAnswer: Script = sequence([(ctx) => [reply.patch(ctx, PATCH)], [reply.text('Done.')]]);

const toolTypes = (body: { tools?: unknown[] }) => ((body.tools ?? []) as { type: string; name?: string }[]).map((t) => `${t.type}:${t.name}`);

describe('a server that accepts only function tools (llama.cpp)', () => {
  it('gets apply_patch as a function tool after its refusal, and the turn completes', async () => {
    h = await startHarness({
      script: patchThenAnswer,
      server: { quirks: { rejectCustomTools: true } },
      config: { capabilities: { customTools: true, reasoning: false, compact: false } },
    });
    const entries: Entry[] = [];
    h.agent.on((event) => foldEvent(entries, event));
    const result = await h.agent.runTurn('write hello.txt');

    expect(result.reason).toBe('completed');
    expect(await h.readFile('hello.txt')).toBe('hi\n');
    const [refused, ...rest] = h.bodies();
    expect(toolTypes(refused!)).toContain('custom:apply_patch');
    for (const body of rest) expect(toolTypes(body).every((t) => t.startsWith('function:'))).toBe(true);
    expect(toolTypes(rest[0]!)).toContain('function:apply_patch');
    const dropped = eventsOf(h.events, 'capability_dropped');
    expect(dropped.map((e) => e.feature)).toEqual(['custom_tools']);
    expect(dropped[0]!.error.message).toContain("'type' of tool must be 'function'");
    expect(h.agent.config.capabilities.customTools).toBe(false);
    expect(entries.some((e) => e.kind === 'note' && e.text.startsWith('The server accepts only function tools'))).toBe(true);
    // The next turn starts without the refused feature: one refusal in all.
    await h.agent.runTurn('again');
    expect(h.bodies().filter((b) => toolTypes(b).includes('custom:apply_patch'))).toHaveLength(1);
  });
});

describe('a server that refuses reasoning', () => {
  it('gets no reasoning or include after its refusal', async () => {
    h = await startHarness({
      script: () => [reply.text('Plain answer.')],
      server: { quirks: { noReasoningItems: true } },
      config: { capabilities: { customTools: false, reasoning: true, compact: false } },
    });
    const result = await h.agent.runTurn('hi');
    expect(result).toMatchObject({ reason: 'completed', lastMessage: 'Plain answer.' });
    const [refused, accepted] = h.bodies() as { include?: unknown; reasoning?: unknown }[];
    expect(refused).toHaveProperty('include');
    expect(accepted).not.toHaveProperty('include');
    expect(accepted).not.toHaveProperty('reasoning');
    expect(eventsOf(h.events, 'capability_dropped').map((e) => e.feature)).toEqual(['reasoning']);
  });

  it('a refusal that persists without the feature is reported, not retried forever', async () => {
    h = await startHarness({
      script: patchThenAnswer,
      server: { quirks: { rejectCustomTools: true } },
      config: { capabilities: { customTools: false, reasoning: false, compact: false } },
    });
    // Nothing custom is sent, so nothing is refused: the quirk stays silent and the turn completes.
    expect((await h.agent.runTurn('go')).reason).toBe('completed');
    expect(eventsOf(h.events, 'capability_dropped')).toEqual([]);
  });
});

describe('a server that reports no usage', () => {
  it('completes, the meter estimates from bytes, and auto-compaction still triggers on the estimate', async () => {
    const long = 'x'.repeat(20_000);
    h = await startHarness({
      script: () => [reply.text(`An answer of some length. ${long}`)],
      server: { quirks: { noUsage: true } },
      config: { capabilities: { customTools: false, reasoning: false, compact: false }, contextWindow: 8_000, autoCompactLimit: 4_000 },
    });
    const timeline = new InspectorTimeline();
    let t = 0;
    h.agent.on((event) => timeline.record(event, t++));
    expect((await h.agent.runTurn('first')).reason).toBe('completed');
    const status = eventsOf(h.events, 'token_status').at(-1)!;
    expect(status.last_usage).toBeUndefined();
    expect(status.used).toBeGreaterThan(5_000);
    expect(timeline.rounds[0]!.response.usage).toBeNull();
    expect(timeline.rounds[0]!.response.tokensPerSecond).toBeNull();

    expect((await h.agent.runTurn('second')).reason).toBe('completed');
    expect(eventsOf(h.events, 'compaction_started').length).toBeGreaterThan(0);
  });
});

describe('a server whose streams end without response.completed', () => {
  it('is retried as a broken stream, then reported', async () => {
    h = await startHarness({
      script: () => [reply.text('Never completed.')],
      server: { quirks: { noCompleted: true } },
      agent: { maxStreamRetries: 2 },
    });
    const result = await h.agent.runTurn('hi');
    expect(result.reason).toBe('failed');
    expect(result.error?.message).toBe('The stream ended before the response completed.');
    const retries = eventsOf(h.events, 'round_retry');
    expect(retries).toHaveLength(2);
    expect(retries.every((r) => r.error.kind === 'stream')).toBe(true);
    expect(h.bodies()).toHaveLength(3);
  });
});

describe('error bodies in every shape', () => {
  const MESSAGE = 'The model `nope` does not exist.';
  for (const shape of ['openai', 'llama', 'plain', 'vllm'] as const) {
    it(`${shape}: the server's message reaches the error, its body is kept`, async () => {
      server = await startScriptedServer({ script: () => [reply.text('unused')], quirks: { errorShape: shape } });
      server.faults.push({
        route: 'responses',
        status: 400,
        body: { error: { message: MESSAGE, type: 'invalid_request_error', param: null, code: null } },
      });
      const client = createModelClient({ baseURL: server.url, apiKey: 'sk-test' });
      const error = await streamFailure(client);
      expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
      expect(error.message).toBe(`The server rejected the request (400): ${MESSAGE.replace(/\.$/, '')}.`);
      expect(error.body).toContain(MESSAGE);
    });
  }

  it("html: a proxy's 502 page reads as its title and is retried as a server failure", async () => {
    server = await startScriptedServer({ script: () => [reply.text('unused')], quirks: { errorShape: 'html' } });
    server.faults.push({ route: 'responses', status: 502 });
    const error = await streamFailure(createModelClient({ baseURL: server.url, apiKey: 'sk-test' }));
    expect(error).toMatchObject({ kind: 'server', status: 502, retryable: true });
    expect(error.message).toBe('The server failed (502): 502 Bad Gateway.');
    expect(error.body).toContain('<center>nginx</center>');
  });

  it('normalises each shape, an empty body and plain text', () => {
    expect(normalizeErrorBody('{"error":{"code":400,"message":"bad tool","type":"invalid_request_error"}}').error).toMatchObject({
      message: 'bad tool',
      type: 'invalid_request_error',
    });
    expect(normalizeErrorBody('{"error":{"code":400,"message":"bad tool"}}').error).not.toHaveProperty('code');
    expect(normalizeErrorBody('{"error":"plain words"}').error.message).toBe('plain words');
    expect(normalizeErrorBody('{"object":"error","message":"vllm says no","type":"BadRequestError","code":400}').error).toMatchObject({
      message: 'vllm says no',
      type: 'BadRequestError',
    });
    expect(normalizeErrorBody('{"detail":"Not Found"}').error.message).toBe('Not Found');
    expect(normalizeErrorBody('').error).toEqual({ message: '', raw_body: '' });
    expect(normalizeErrorBody('upstream timed out').error.message).toBe('upstream timed out');
    expect(normalizeErrorBody('x'.repeat(5000)).error.raw_body).toHaveLength(4097);
  });

  it('names the refused feature from the words servers use', () => {
    expect(refusedFeature("'type' of tool must be 'function'")).toBe('custom_tools');
    expect(refusedFeature('Custom tools are not supported')).toBe('custom_tools');
    expect(refusedFeature("Unsupported parameter: 'include'")).toBe('reasoning');
    expect(refusedFeature("Invalid input item type: 'reasoning'")).toBe('reasoning');
    expect(refusedFeature('reasoning is not supported for this model')).toBe('reasoning');
    expect(refusedFeature('The model `nope` does not exist.')).toBeUndefined();
    expect(refusedFeature("This model's maximum context length is 8192 tokens")).toBeUndefined();
  });
});
