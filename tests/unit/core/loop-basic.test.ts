import { afterEach, describe, expect, it } from 'vitest';
import type { MessageItem, ResponseItem } from '../../../src/core/items';
import { addFilePatch, reply, sequence } from '../../../src/model/scripted/index';
import { eventsOf, startHarness, type Harness } from '../../support/harness';
import { REASONING_REQUEST_KEYS } from '../../support/model-fixtures';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const multiStep = sequence([
  reply.exec('ls -la'),
  (ctx) => reply.patch(ctx, addFilePatch('hello.sh', 'echo "hello from the patch"')),
  reply.exec('bash hello.sh'),
  (ctx) => reply.text(`It printed: ${/hello from the patch/.test(ctx.lastToolOutput ?? '') ? 'the greeting' : 'nothing'}`),
]);

describe('the loop, end to end over HTTP', () => {
  it('runs exec_command → apply_patch → exec_command → answer with every request an exact extension', async () => {
    h = await startHarness({ script: multiStep, files: { 'README.md': '# demo\n' } });
    const result = await h.agent.runTurn('Write hello.sh and run it');

    expect(result.reason).toBe('completed');
    expect(result.lastMessage).toBe('It printed: the greeting');
    expect(await h.readFile('hello.sh')).toBe('echo "hello from the patch"\n');
    expect(h.bodies()).toHaveLength(4);
    expect(h.problems()).toEqual([]);

    const outputs = h.agent.history.items.filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output');
    expect(outputs).toHaveLength(3);
    expect((outputs[0] as { output: string }).output).toMatch(
      /^Chunk ID: [0-9a-f]{6}\nWall time: \d+\.\d{4} seconds\nProcess exited with code 0\nOriginal token count: \d+\nOutput:\n[\s\S]*README\.md/,
    );
    expect((outputs[1] as { output: string }).output).toBe('Success. Updated the following files:\nA hello.sh\n');
    expect((outputs[2] as { output: string }).output).toMatch(/Output:\nhello from the patch/);

    // Usage is summed and later requests are served mostly from the cache.
    expect(result.usage.requests).toBe(4);
    const completed = eventsOf(h.events, 'response_completed');
    expect(completed[0]!.usage.cached_tokens).toBe(0);
    for (const later of completed.slice(1)) expect(later.usage.cached_tokens / later.usage.input_tokens).toBeGreaterThan(0.5);
  });

  it('emits events in loop order', async () => {
    h = await startHarness({ script: multiStep });
    await h.agent.runTurn('go');
    const order = h.events
      .map((e) => e.type)
      .filter((t) => ['turn_started', 'request_started', 'response_completed', 'tool_started', 'tool_finished', 'turn_ended'].includes(t));
    expect(order).toEqual([
      'turn_started',
      ...['request_started', 'response_completed', 'tool_started', 'tool_finished'],
      ...['request_started', 'response_completed', 'tool_started', 'tool_finished'],
      ...['request_started', 'response_completed', 'tool_started', 'tool_finished'],
      'request_started',
      'response_completed',
      'turn_ended',
    ]);
    const deltas = eventsOf(h.events, 'text_delta')
      .map((e) => e.delta)
      .join('');
    expect(deltas).toBe('It printed: the greeting');
    // item_appended reports exactly the history, in order.
    expect(eventsOf(h.events, 'item_appended').map((e) => e.item)).toEqual(h.agent.history.items);
  });

  it('lays out the first request as Codex does', async () => {
    h = await startHarness({
      script: sequence([reply.text('hi')]),
      files: { 'AGENTS.md': 'Use two spaces.', '.git/HEAD': 'ref: refs/heads/main\n' },
      config: { developerInstructions: 'Answer in English.' },
    });
    await h.agent.runTurn('hello');
    const body = h.bodies()[0]! as Record<string, unknown> & { input: ResponseItem[] };
    expect(Object.keys(body)).toEqual(REASONING_REQUEST_KEYS);
    expect(body).toMatchObject({
      tool_choice: 'auto',
      parallel_tool_calls: true,
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'session-test',
      reasoning: { effort: 'medium', summary: 'auto' },
    });
    expect((body.tools as { name: string; type: string }[]).map((t) => `${t.type}:${t.name}`)).toEqual([
      'function:exec_command',
      'function:write_stdin',
      'custom:apply_patch',
      'function:update_plan',
      'function:request_user_input',
      'function:view_image',
    ]);
    // Codex 0.171's layout: the base instructions alone, then permissions and the person's instructions.
    const [base, developer, context, user] = body.input as MessageItem[];
    expect(base!.role).toBe('developer');
    expect(base!.content.map((p) => (p as { text: string }).text)).toEqual([expect.stringMatching(/^You are Unroll/)]);
    expect(developer!.role).toBe('developer');
    const devTexts = developer!.content.map((p) => (p as { text: string }).text);
    expect(devTexts).toHaveLength(2);
    expect(devTexts[0]).toMatch(
      /^<permissions instructions>\nSandbox mode: `workspace-write`[\s\S]*Approval policy: `on-request`[\s\S]*<\/permissions instructions>$/,
    );
    expect(devTexts[1]).toBe('Answer in English.');
    expect(context!.role).toBe('user');
    const ctxTexts = context!.content.map((p) => (p as { text: string }).text);
    expect(ctxTexts[0]).toBe('# AGENTS.md instructions for /workspace\n\n<INSTRUCTIONS>\nUse two spaces.\n</INSTRUCTIONS>');
    expect(ctxTexts[1]).toMatch(
      /^<environment_context>\n {2}<cwd>\/workspace<\/cwd>\n {2}<shell>[^<]+<\/shell>\n {2}<current_date>\d{4}-\d{2}-\d{2}<\/current_date>\n {2}<timezone>UTC<\/timezone>\n<\/environment_context>$/,
    );
    expect(user).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] });
    expect(body.input).toHaveLength(4);
  });

  it('offers apply_patch as a function and leaves out reasoning for models without those capabilities', async () => {
    h = await startHarness({
      script: sequence([(ctx) => reply.patch(ctx, addFilePatch('a.txt', 'A')), reply.text('done')]),
      config: { capabilities: { customTools: false, reasoning: false, compact: false } },
    });
    const result = await h.agent.runTurn('write a.txt');
    expect(result.reason).toBe('completed');
    const body = h.bodies()[0]! as Record<string, unknown>;
    expect(body.reasoning).toBeUndefined();
    expect(body.include).toBeUndefined();
    const patchTool = (body.tools as { name: string; type: string; parameters?: unknown }[]).find((t) => t.name === 'apply_patch')!;
    expect(patchTool.type).toBe('function');
    expect(patchTool.parameters).toMatchObject({ required: ['input'], additionalProperties: false });
    expect(await h.readFile('a.txt')).toBe('A\n');
    expect(h.problems()).toEqual([]);
  });

  it('appends config changes as new messages and keeps the prefix across turns', async () => {
    h = await startHarness({ script: sequence([reply.text('ok')]), files: { 'sub/x.txt': 'x' } });
    await h.agent.runTurn('first');
    const before = h.agent.history.items.length;
    h.agent.updateConfig({ approvalPolicy: 'never', sandboxMode: 'read-only', cwd: '/workspace/sub' });
    await h.agent.runTurn('second');
    await h.agent.runTurn('third');

    expect(h.problems()).toEqual([]);
    const added = h.agent.history.items.slice(before) as MessageItem[];
    expect(added[0]!.role).toBe('developer');
    expect((added[0]!.content[0] as { text: string }).text).toMatch(/Sandbox mode: `read-only`[\s\S]*Approval policy: `never`/);
    expect(added[1]!.role).toBe('user');
    expect((added[1]!.content[0] as { text: string }).text).toMatch(/<cwd>\/workspace\/sub<\/cwd>/);
    expect((added[2]!.content[0] as { text: string }).text).toBe('second');
    // The third turn has nothing new to report.
    const third = h.bodies()[2]!.input!;
    expect(third.filter((i) => i.type === 'message' && i.role === 'developer')).toHaveLength(3);
  });

  it('runs parallel calls together and appends outputs in call order', async () => {
    h = await startHarness({
      script: sequence([
        [
          reply.exec('sleep 0.3; echo first'),
          reply.exec('echo second'),
          reply.call('update_plan', { plan: [{ step: 'one', status: 'in_progress' }] }),
        ],
        reply.text('both done'),
      ]),
    });
    const result = await h.agent.runTurn('run both');
    expect(result.reason).toBe('completed');
    const outputs = h.agent.history.items.filter((i) => i.type === 'function_call_output') as { call_id: string; output: string }[];
    const calls = h.agent.history.items.filter((i) => i.type === 'function_call') as { call_id: string }[];
    expect(outputs.map((o) => o.call_id)).toEqual(calls.map((c) => c.call_id));
    expect(outputs[0]!.output).toMatch(/first/);
    expect(outputs[1]!.output).toMatch(/second/);
    // The second command finished first: they really ran at the same time.
    const finished = eventsOf(h.events, 'tool_finished').map((e) => e.call_id);
    expect(finished.indexOf(calls[1]!.call_id)).toBeLessThan(finished.indexOf(calls[0]!.call_id));
    expect(eventsOf(h.events, 'plan_updated')[0]!.plan).toEqual([{ step: 'one', status: 'in_progress' }]);
  });

  it('turns bad tool input into error outputs and carries on', async () => {
    h = await startHarness({
      script: sequence([
        [
          reply.call('exec_command', '{"cmd": "ls" '),
          reply.call('no_such_tool', {}),
          reply.custom('apply_patch', '*** Begin Patch\n*** Update File: missing.txt\n@@\n-a\n+b\n*** End Patch'),
          reply.exec('ls', { workdir: '../../etc' }),
          reply.call('write_stdin', { session_id: 4242 }),
        ],
        reply.text('recovered'),
      ]),
    });
    const result = await h.agent.runTurn('break things');
    expect(result.reason).toBe('completed');
    expect(result.lastMessage).toBe('recovered');
    const outputs = h.agent.history.items
      .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
      .map((i) => (i as { output: string }).output);
    expect(outputs).toHaveLength(5);
    expect(outputs[0]).toMatch(/failed to parse function arguments/);
    expect(outputs[1]).toMatch(/unsupported call: no_such_tool/);
    expect(outputs[2]).toMatch(/missing\.txt/);
    expect(outputs[3]).toMatch(/outside the workspace/i);
    expect(outputs[4]).toMatch(/4242/);
    expect(h.problems()).toEqual([]);
  });

  it('routes a shell heredoc apply_patch to the patch tool', async () => {
    h = await startHarness({
      script: sequence([reply.exec(`apply_patch <<'EOF'\n${addFilePatch('via-shell.txt', 'ok')}\nEOF`), reply.text('done')]),
    });
    await h.agent.runTurn('patch through the shell');
    expect(await h.readFile('via-shell.txt')).toBe('ok\n');
  });

  it('keeps a long-running command in a session that write_stdin can poll', async () => {
    h = await startHarness({
      script: sequence([
        reply.exec('sleep 1; echo finished', { yield_time_ms: 250 }),
        (ctx) => reply.call('write_stdin', { session_id: Number(/session ID (\d+)/.exec(ctx.lastToolOutput ?? '')?.[1]), yield_time_ms: 5000 }),
        reply.text('done'),
      ]),
    });
    await h.agent.runTurn('start and poll');
    const outputs = h.agent.history.items.filter((i) => i.type === 'function_call_output').map((i) => (i as { output: string }).output);
    expect(outputs[0]).toMatch(/Process running with session ID \d+/);
    expect(outputs[1]).toMatch(/Process exited with code 0[\s\S]*finished/);
  });

  it('sends input queued during a turn before its next request', async () => {
    h = await startHarness({
      script: (ctx) => (ctx.lastUserText === 'also do this' ? reply.text('saw it') : ctx.round === 0 ? reply.exec('echo one') : reply.text('?')),
    });
    h.agent.on((e) => {
      if (e.type === 'tool_started') h!.agent.queueInput('also do this');
    });
    const result = await h.agent.runTurn('start');
    expect(result.lastMessage).toBe('saw it');
    const second = h.bodies()[1]!.input!;
    const last = second[second.length - 1] as MessageItem;
    expect(last).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'also do this' }] });
    expect(second[second.length - 2]!.type).toBe('function_call_output');
    expect(h.problems()).toEqual([]);
  });
});
