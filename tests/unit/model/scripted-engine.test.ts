import { describe, expect, it } from 'vitest';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import {
  canonicalRequest,
  chunkText,
  createScriptContext,
  reply,
  ScriptedHttpError,
  ScriptedModel,
  sequence,
  sseFrame,
  whenLastOutput,
  type ScriptContext,
} from '../../../src/model/scripted/index';
import { createRng } from '../../../src/model/scripted/rng';
import { checkStream, PREAMBLE, request, types } from '../../support/scripted-helpers';

const call = (name: string, id: string): ResponseItem => ({ type: 'function_call', call_id: id, name, arguments: '{}' });
const out = (id: string, output: string): ResponseItem => ({ type: 'function_call_output', call_id: id, output });

describe('chunkText', () => {
  it('reassembles exactly, is deterministic per seed, and yields small pieces', () => {
    const text = 'Hello there, this is a longer sentence with some  double spaces,\nnewlines and émojis 🎉🎉 at the end. ';
    const a = chunkText(text, createRng(7));
    expect(a.join('')).toBe(text);
    expect(chunkText(text, createRng(7))).toEqual(a);
    expect(chunkText(text, createRng(8))).not.toEqual(a);
    expect(a.length).toBeGreaterThan(8);
    for (const piece of a) expect(piece.length).toBeLessThanOrEqual(24);
    expect(chunkText('', createRng(1))).toEqual([]);
  });

  it('never splits a surrogate pair', () => {
    const text = '🎉'.repeat(40);
    for (let seed = 0; seed < 20; seed++) {
      for (const piece of chunkText(text, createRng(seed))) expect(piece.length % 2).toBe(0);
    }
  });
});

describe('encoding a reply', () => {
  it('emits every item kind in order with the documented shapes', async () => {
    const model = new ScriptedModel(() => [
      reply.reasoning(['**One**\n\nFirst part.', '**Two**\n\nSecond part.']),
      reply.note('Working on it.'),
      reply.call('exec_command', { cmd: 'ls -la' }),
      reply.custom('apply_patch', '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch'),
    ]);
    const { events } = await model.respond(request([...PREAMBLE, userMessage('go')]));
    const items = checkStream(events);
    expect(items.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call', 'custom_tool_call']);

    const [reasoning, message, fn, custom] = items;
    expect(reasoning?.id).toMatch(/^rs_[0-9a-f]{24}$/);
    expect(reasoning?.summary).toEqual([
      { type: 'summary_text', text: '**One**\n\nFirst part.' },
      { type: 'summary_text', text: '**Two**\n\nSecond part.' },
    ]);
    expect(reasoning?.encrypted_content).toMatch(/^gAAAAA/);
    expect(message).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', phase: 'commentary' });
    expect(message?.id).toMatch(/^msg_/);
    expect(message?.content).toEqual([{ type: 'output_text', annotations: [], text: 'Working on it.' }]);
    expect(fn).toMatchObject({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls -la"}', status: 'completed' });
    expect(fn?.id).toMatch(/^fc_/);
    expect(fn?.call_id).toMatch(/^call_/);
    expect(custom?.id).toMatch(/^ctc_/);
    expect(custom?.call_id).toMatch(/^call_/);
    expect(custom?.input).toContain('*** Add File: a.txt');

    const kinds = types(events);
    const summaryEvents = kinds.filter((type) => type.startsWith('response.reasoning_summary_part'));
    expect(summaryEvents).toEqual([
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_part.done',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_part.done',
    ]);
    const messageStart = kinds.indexOf('response.content_part.added');
    expect(kinds[messageStart - 1]).toBe('response.output_item.added');
    expect(kinds.indexOf('response.output_text.done')).toBeLessThan(kinds.indexOf('response.content_part.done'));
    expect(kinds).toContain('response.function_call_arguments.delta');
    expect(kinds).toContain('response.custom_tool_call_input.delta');

    const added = events.filter((event) => event.type === 'response.output_item.added').map((event) => event.item);
    expect(added[0]).toEqual({ id: reasoning?.id, type: 'reasoning', summary: [] });
    expect(added[2]).toMatchObject({ status: 'in_progress', arguments: '' });

    const completed = events[events.length - 1]?.response as Record<string, unknown>;
    expect(completed).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-test' });
    expect(completed.id).toMatch(/^resp_/);
    const usage = completed.usage as Record<string, any>;
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeGreaterThan(usage.output_tokens_details.reasoning_tokens);
  });

  it('is deterministic for the same request and seed', async () => {
    const script = () => reply.text('The same words every time, chunked the same way.');
    const body = request([userMessage('x')]);
    const a = await new ScriptedModel({ script, now: () => 0 }).respond(body);
    const b = await new ScriptedModel({ script, now: () => 0 }).respond(body);
    const c = await new ScriptedModel({ script, now: () => 0, seed: 3 }).respond(body);
    expect(a.events).toEqual(b.events);
    expect(a.events).not.toEqual(c.events);
  });

  it('leaves encrypted_content null when the request did not include it', async () => {
    const model = new ScriptedModel(() => reply.reasoning('thinking'));
    const { include: _unused, ...body } = request([userMessage('x')]);
    const { response } = await model.respond(body);
    expect((response.output as Array<Record<string, unknown>>)[0]?.encrypted_content).toBeNull();
  });

  it('ends with response.failed or response.incomplete and ignores later parts', async () => {
    const failed = await new ScriptedModel(() => [reply.text('partial'), reply.fail('server_error', 'boom'), reply.text('never')]).respond(
      request([userMessage('x')]),
    );
    const items = checkStream(failed.events);
    expect(items).toHaveLength(1);
    expect(failed.response).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'boom' } });
    expect(types(failed.events).at(-1)).toBe('response.failed');

    const incomplete = await new ScriptedModel(() => reply.incomplete('max_output_tokens')).respond(request([userMessage('x')]));
    expect(types(incomplete.events)).toEqual(['response.created', 'response.in_progress', 'response.incomplete']);
    expect(incomplete.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('frames events as SSE', () => {
    const frame = sseFrame({ type: 'response.output_text.delta', sequence_number: 4, delta: 'a\nb' });
    expect(frame).toBe('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"delta":"a\\nb"}\n\n');
  });

  it('rejects bodies the API would refuse and reports script errors as 500', async () => {
    const model = new ScriptedModel(() => {
      throw new Error('script bug');
    });
    await expect(model.respond({ input: [] })).rejects.toMatchObject({ status: 400, body: { error: { param: 'model' } } });
    await expect(model.respond({ model: 'm', input: 5 })).rejects.toBeInstanceOf(ScriptedHttpError);
    await expect(model.respond(request([userMessage('x')]))).rejects.toMatchObject({ status: 500 });
  });
});

describe('usage and prompt caching', () => {
  const usageOf = (response: Record<string, unknown>) => response.usage as Record<string, any>;

  it('caches the shared prefix of consecutive requests', async () => {
    const model = new ScriptedModel(() => reply.text('ok'));
    const first = [...PREAMBLE, userMessage('list the files please')];
    const a = usageOf((await model.respond(request(first))).response);
    expect(a.input_tokens_details.cached_tokens).toBe(0);
    expect(a.input_tokens).toBe(Math.ceil(new TextEncoder().encode(JSON.stringify(request(first))).length / 4));

    const second = [...first, call('exec_command', 'call_1'), out('call_1', 'a.txt\nb.txt')];
    const b = usageOf((await model.respond(request(second))).response);
    expect(b.input_tokens).toBeGreaterThan(a.input_tokens);
    // Everything but the closing `]}` of the first request's canonical form is shared.
    const previous = new TextEncoder().encode(canonicalRequest(request(first))).length;
    expect(b.input_tokens_details.cached_tokens).toBe(Math.floor((previous - 2) / 4));
    expect(b.input_tokens_details.cached_tokens).toBeLessThanOrEqual(a.input_tokens);

    const edited: ResponseItem[] = [userMessage('An edited first item.'), ...second.slice(1)];
    const c = usageOf((await model.respond(request(edited))).response);
    expect(c.input_tokens_details.cached_tokens).toBeLessThan(b.input_tokens / 2);
  });

  it('keeps one previous request per prompt_cache_key', async () => {
    const model = new ScriptedModel(() => reply.text('ok'));
    const input = [...PREAMBLE, userMessage('hello')];
    await model.respond(request(input, { key: 'a' }));
    const other = usageOf((await model.respond(request([userMessage('unrelated')], { key: 'b' }))).response);
    expect(other.input_tokens_details.cached_tokens).toBeLessThan(40);
    const again = usageOf((await model.respond(request([...input, userMessage('more')], { key: 'a' }))).response);
    expect(again.input_tokens_details.cached_tokens).toBeGreaterThan(100);
  });
});

describe('compact', () => {
  it('keeps the real user messages and adds one compaction item', () => {
    const model = new ScriptedModel(() => reply.text('unused'));
    const input = [...PREAMBLE, userMessage('first ask'), call('exec_command', 'c1'), out('c1', 'x'), userMessage('second ask')];
    const result = model.compact({ model: 'gpt-test', input });
    expect(result.id).toMatch(/^cmp_/);
    expect(result.object).toBe('response.compaction');
    expect(result.output.slice(0, 2)).toEqual([userMessage('first ask'), userMessage('second ask')]);
    const compaction = result.output[2];
    expect(compaction?.type).toBe('compaction');
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob((compaction as { encrypted_content: string }).encrypted_content), (ch) => ch.charCodeAt(0)),
    );
    expect(decoded).toContain('second ask');
    expect(result.usage?.input_tokens).toBeGreaterThan(0);
  });
});

describe('script context and combinators', () => {
  const ctxFor = (input: ResponseItem[], custom = true): ScriptContext => createScriptContext(request(input, { custom }), 0);

  it('exposes the conversation state', () => {
    const ctx = ctxFor([
      ...PREAMBLE,
      userMessage('do it'),
      { type: 'reasoning', summary: [] },
      call('exec_command', 'c1'),
      out('c1', 'first'),
      call('exec_command', 'c2'),
      { type: 'custom_tool_call_output', call_id: 'c2', output: 'second' },
    ]);
    expect(ctx.lastUserText).toBe('do it');
    expect(ctx.round).toBe(2);
    expect(ctx.toolOutputs).toEqual(['first', 'second']);
    expect(ctx.lastToolOutput).toBe('second');
    expect(ctx.cwd).toBe('/workspace');
    expect(ctx.customTools).toBe(true);
    expect(ctx.hasTool('exec_command')).toBe(true);
    expect(ctx.hasTool('view_image')).toBe(false);
    expect(ctx.contextText).toContain('<environment_context>');

    const fresh = ctxFor([...PREAMBLE, userMessage('next')], false);
    expect(fresh.round).toBe(0);
    expect(fresh.lastToolOutput).toBeUndefined();
    expect(fresh.customTools).toBe(false);
  });

  it('reply.patch follows the apply_patch tool form', () => {
    expect(reply.patch({ customTools: true }, 'P')).toEqual({ type: 'custom_tool_call', name: 'apply_patch', input: 'P' });
    expect(reply.patch({ customTools: false }, 'P')).toEqual({ type: 'function_call', name: 'apply_patch', arguments: { input: 'P' } });
    expect(reply.exec('ls', { workdir: undefined })).toEqual({ type: 'function_call', name: 'exec_command', arguments: { cmd: 'ls' } });
  });

  it('sequence answers by round and lets rules take over', async () => {
    const script = sequence([reply.text('zero'), (ctx) => reply.text(`one after ${ctx.lastToolOutput}`)], {
      rules: [whenLastOutput(/exited with code [1-9]/, reply.text('failed'))],
      after: reply.text('over'),
    });
    const texts = async (input: ResponseItem[]) => {
      const { response } = await new ScriptedModel(script).respond(request(input));
      return ((response.output as any[])[0].content[0] as { text: string }).text;
    };
    const base = [...PREAMBLE, userMessage('go')];
    expect(await texts(base)).toBe('zero');
    expect(await texts([...base, call('x', 'c1'), out('c1', 'fine')])).toBe('one after fine');
    expect(await texts([...base, call('x', 'c1'), out('c1', 'Process exited with code 2')])).toBe('failed');
    expect(await texts([...base, call('x', 'c1'), out('c1', 'a'), call('x', 'c2'), out('c2', 'b')])).toBe('over');
  });
});
