import { afterEach, describe, expect, it } from 'vitest';
import { messageText, type MessageItem, type ResponseItem } from '../../../src/core/items';
import type { McpCaller, McpToolInfo } from '../../../src/core/ports';
import { mcpTools, mcpToolName } from '../../../src/core/tools/mcp';
import { defaultTools } from '../../../src/core/tools/registry';
import { webSearchTool } from '../../../src/core/tools/web-search';
import { refusedFeature } from '../../../src/model/errors';
import { reply, sequence } from '../../../src/model/scripted/build';
import { eventsOf, startHarness, type Harness } from '../../support/harness';

// A 1×1 transparent PNG.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='), (c) =>
  c.charCodeAt(0),
);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const names = (body: { tools?: unknown }) => (body.tools as { type: string; name?: string }[]).map((t) => t.name ?? t.type);

describe('view_image', () => {
  it('attaches the image in a message after every output of the round; refuses what is not an image or outside the workspace', async () => {
    h = await startHarness({
      script: sequence([
        [
          reply.call('view_image', { path: 'dot.png' }, 'call_img'),
          reply.call('view_image', { path: 'notes.txt' }, 'call_txt'),
          reply.call('view_image', { path: '/etc/passwd' }, 'call_out'),
        ],
        reply.text('I see a dot.'),
      ]),
      files: { 'notes.txt': 'hello' },
    });
    await h.bash.fs.writeFile('/workspace/dot.png', PNG);
    const result = await h.agent.runTurn('look at dot.png');
    expect(result.reason).toBe('completed');
    expect(h.problems()).toEqual([]);
    const input = h.bodies()[1]!.input! as ResponseItem[];
    const tail = input.slice(-4);
    expect(tail.slice(0, 3).map((i) => [i.type, (i as { call_id?: string }).call_id])).toEqual([
      ['function_call_output', 'call_img'],
      ['function_call_output', 'call_txt'],
      ['function_call_output', 'call_out'],
    ]);
    expect((tail[0] as { output: string }).output).toBe('attached image /workspace/dot.png');
    expect((tail[1] as { output: string }).output).toMatch(/is not a PNG, JPEG, GIF or WebP image/);
    expect((tail[2] as { output: string }).output).toMatch(/outside the workspace/);
    const images = tail[3] as MessageItem;
    expect(images.role).toBe('user');
    expect(images.content[0]).toEqual({ type: 'input_text', text: expect.stringMatching(/^<tool_images call_id="call_img" tool="view_image">/) });
    expect(images.content[1]).toEqual({ type: 'input_image', image_url: `data:image/png;base64,${btoa(String.fromCharCode(...PNG))}` });
  });
});

describe('request_user_input', () => {
  const question = {
    questions: [
      {
        id: 'style',
        header: 'Style',
        question: 'Tabs or spaces?',
        options: [
          { label: 'Spaces', description: 'Two spaces' },
          { label: 'Tabs', description: 'One tab' },
        ],
      },
    ],
  };

  it('waits for the answer, which becomes the output as JSON', async () => {
    h = await startHarness({ script: sequence([reply.call('request_user_input', question, 'call_q'), reply.text('Spaces it is.')]) });
    h.agent.on((event) => {
      if (event.type === 'user_input_requested') setTimeout(() => h!.agent.answerUser(event.id, { style: 'Spaces' }), 5);
    });
    await h.agent.runTurn('format it');
    const requested = eventsOf(h.events, 'user_input_requested')[0]!;
    expect(requested.questions).toEqual([{ id: 'style', header: 'Style', question: 'Tabs or spaces?', options: question.questions[0]!.options }]);
    expect(eventsOf(h.events, 'user_input_answered')[0]).toMatchObject({ id: requested.id, answers: { style: 'Spaces' } });
    const output = h.agent.history.items.find((i) => i.type === 'function_call_output') as { output: string };
    expect(JSON.parse(output.output)).toEqual({ answers: { style: { answers: ['Spaces'] } } });
    expect(h.problems()).toEqual([]);
  });

  it('an interrupt while waiting answers "aborted by user" and keeps every call paired', async () => {
    h = await startHarness({ script: sequence([reply.call('request_user_input', question), reply.text('after')]) });
    const controller = new AbortController();
    let asked = 0;
    h.agent.on((event) => {
      // The first question is interrupted; the same question in the next turn is answered.
      if (event.type === 'user_input_requested' && asked++ === 0) setTimeout(() => controller.abort(), 5);
      else if (event.type === 'user_input_requested') setTimeout(() => h!.agent.answerUser(event.id, { style: 'Tabs' }), 5);
    });
    const result = await h.agent.runTurn('format it', { signal: controller.signal });
    expect(result.reason).toBe('aborted');
    const output = h.agent.history.items.find((i) => i.type === 'function_call_output') as { output: string };
    expect(output.output).toBe('aborted by user');
    // A late answer changes nothing.
    h.agent.answerUser(eventsOf(h.events, 'user_input_requested')[0]!.id, { style: 'Tabs' });
    expect(eventsOf(h.events, 'user_input_answered')).toHaveLength(0);
    await h.agent.runTurn('go on');
    expect(eventsOf(h.events, 'user_input_answered')).toHaveLength(1);
    expect(h.problems()).toEqual([]);
  });

  it('tells the model what is wrong with a question it cannot show', async () => {
    h = await startHarness({
      script: sequence([
        reply.call('request_user_input', {
          questions: [{ id: 'x', header: '', question: 'Pick', options: [{ label: 'only one', description: '' }] }],
        }),
        reply.text('ok'),
      ]),
    });
    await h.agent.runTurn('go');
    const output = h.agent.history.items.find((i) => i.type === 'function_call_output') as { output: string };
    expect(output.output).toBe('request_user_input: questions[0] needs 2 to 4 options, each {label, description}.');
  });
});

describe('web_search (hosted)', () => {
  const searchCall = {
    type: 'web_search_call',
    id: 'ws_123',
    status: 'completed',
    action: { type: 'search', query: 'svelte 5 runes', sources: [{ type: 'url', url: 'https://svelte.dev/docs/svelte/what-are-runes' }] },
  };

  it('is listed after the built-ins where the server hosts it, and its call is kept exactly as received', async () => {
    h = await startHarness({
      script: sequence([[reply.raw(searchCall), reply.text('Runes are …')], reply.text('more')]),
      config: { capabilities: { customTools: true, reasoning: true, compact: true, webSearch: true } },
      agent: { tools: [webSearchTool, ...defaultTools()] },
    });
    await h.agent.runTurn('what are runes?');
    await h.agent.runTurn('and more?');
    const [first, second] = h.bodies();
    expect(names(first!)).toEqual(['exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'request_user_input', 'view_image', 'web_search']);
    expect((first!.tools as unknown[]).at(-1)).toEqual({ type: 'web_search' });
    // Without this the server leaves the sources out.
    expect((first as { include?: unknown }).include).toEqual(['reasoning.encrypted_content', 'web_search_call.action.sources']);
    expect((second!.input as unknown[]).find((i) => (i as { type: string }).type === 'web_search_call')).toEqual(searchCall);
    expect(h.problems()).toEqual([]);
  });

  it('is never sent to a server not known to host it', async () => {
    h = await startHarness({ script: sequence([reply.text('hi')]), agent: { tools: [...defaultTools(), webSearchTool] } });
    await h.agent.runTurn('hello');
    expect(names(h.bodies()[0]!)).not.toContain('web_search');
    expect((h.bodies()[0] as { include?: unknown }).include).toEqual(['reasoning.encrypted_content']);
  });

  it('a server that refuses it is recognised, so it is dropped and the request sent again', () => {
    expect(refusedFeature("Tool type 'web_search' is not supported by this provider")).toBe('web_search');
    expect(refusedFeature('Invalid value: web_search. Supported values are: function and custom.')).toBe('web_search');
  });
});

describe('a frozen tool list', () => {
  const caller: McpCaller = { callTool: async (_server, tool) => ({ text: `ran ${tool}`, isError: false }) };
  const info = (name: string): McpToolInfo => ({
    server: 'docs',
    name,
    description: `The ${name} tool.`,
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
  });

  it('keeps every request an exact extension while a new list waits; a compaction or an explicit apply sends it', async () => {
    h = await startHarness({
      script: sequence([reply.text('1'), reply.text('2'), reply.text('3'), reply.text('4')]),
      agent: { tools: [...defaultTools(), ...mcpTools([info('search')], caller)] },
    });
    await h.agent.runTurn('one');
    const before = h.agent.tools.hash();
    h.agent.tools.offer([...defaultTools(), ...mcpTools([info('search'), info('fetch')], caller)]);
    const change = h.agent.tools.change()!;
    expect(change.added).toEqual([mcpToolName('docs', 'fetch')]);
    expect(change.removed).toEqual([]);
    expect(change.miss_bytes).toBeGreaterThan(1000);
    await h.agent.runTurn('two');
    expect(h.problems()).toEqual([]);
    expect(h.agent.tools.hash()).toBe(before);
    expect(names(h.bodies()[1]!).filter((n) => n.startsWith('mcp__'))).toEqual(['mcp__docs__search']);

    await h.agent.compact();
    await h.agent.runTurn('three');
    expect(names(h.bodies().at(-1)!).filter((n) => n.startsWith('mcp__'))).toEqual(['mcp__docs__fetch', 'mcp__docs__search']);
    expect(eventsOf(h.events, 'tools_changed').map((e) => e.reason)).toEqual(['start', 'compaction']);
    expect(h.agent.tools.change()).toBeUndefined();
  });

  it('applies a waiting list when asked; offering the list in use withdraws it', async () => {
    h = await startHarness({ script: sequence([reply.text('1'), reply.text('2')]), agent: { tools: defaultTools() } });
    await h.agent.runTurn('one');
    h.agent.tools.offer([...defaultTools(), ...mcpTools([info('search')], caller)]);
    h.agent.tools.offer(defaultTools());
    expect(h.agent.tools.change()).toBeUndefined();
    h.agent.tools.offer([...defaultTools(), ...mcpTools([info('search')], caller)]);
    expect(h.agent.tools.apply()).toBe(true);
    await h.agent.runTurn('two');
    expect(names(h.bodies()[1]!)).toContain('mcp__docs__search');
    const event = eventsOf(h.events, 'tools_changed').at(-1)!;
    expect(event).toMatchObject({ reason: 'applied', hash: h.agent.tools.hash() });
  });
});

describe('MCP tool names', () => {
  const caller: McpCaller = { callTool: async (_server, tool) => ({ text: `ran ${tool}`, isError: false }) };
  const info = (name: string): McpToolInfo => ({ server: 'docs', name, inputSchema: { type: 'object' } });
  it('are sanitised, and shortened with a fingerprint past 64 characters', () => {
    expect(mcpToolName('my server', 'get.page')).toBe('mcp__my_server__get_page');
    const long = mcpToolName('documentation', 'a_really_long_tool_name_that_goes_on_and_on_forever');
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^mcp__documentation__a_really_long_tool_name_tha_[0-9a-f]{16}$/);
    expect(mcpToolName('documentation', 'a_really_long_tool_name_that_goes_on_and_on_forever!')).not.toBe(long);
  });

  it('calls a tool with its arguments and returns its text', async () => {
    h = await startHarness({
      script: sequence([reply.call('mcp__docs__search', { q: 'x' }), reply.text('done')]),
      agent: { tools: [...defaultTools(), ...mcpTools([info('search')], caller)] },
      config: { approvalPolicy: 'never' },
    });
    await h.agent.runTurn('search');
    const output = h.agent.history.items.find((i) => i.type === 'function_call_output') as { output: string };
    expect(output.output).toBe('ran search');
    expect(messageText(h.agent.history.items.at(-1) as MessageItem)).toBe('done');
  });
});

describe('images in the token count', () => {
  it('count as a fixed cost, not as the length of their data URL, in the meter and at the scripted server', async () => {
    const { estimateItemsTokens, IMAGE_TOKENS } = await import('../../../src/core/tokens');
    const photo = `data:image/jpeg;base64,${'A'.repeat(400_000)}`;
    const message: MessageItem = {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'look' },
        { type: 'input_image', image_url: photo },
      ],
    };
    expect(estimateItemsTokens([message])).toBeGreaterThan(IMAGE_TOKENS);
    expect(estimateItemsTokens([message])).toBeLessThan(IMAGE_TOKENS + 50);
    h = await startHarness({ script: sequence([reply.text('a photo')]) });
    await h.agent.runTurn(message.content);
    const usage = eventsOf(h.events, 'response_completed')[0]!.usage;
    expect(usage.input_tokens).toBeLessThan(10_000);
    expect(h.agent.tokenStatus().used).toBeLessThan(10_000);
  });
});
