/**
 * MCP tools in the real loop: the Agent over HTTP to the scripted model, its MCP tools served
 * by a real MCP server through McpHub. The tool list is part of the cached prefix, so it stays
 * frozen until applied; vanished and failing tools become tool outputs, never a broken loop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FunctionCallOutputItem } from '../../../src/core/items';
import { mcpTools } from '../../../src/core/tools/mcp';
import { defaultTools } from '../../../src/core/tools/registry';
import { McpHub } from '../../../src/mcp/index';
import { reply, sequence, type Script } from '../../../src/model/scripted/index';
import { eventsOf, startHarness, type Harness } from '../../support/harness';
import { hubUntil } from '../../support/mcp-helpers';
import { startMcpTestServer, type McpTestServer } from '../../support/mcp-server';
import { textTool } from '../../support/mcp-test-tools';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BUILT_INS = ['exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'view_image'];
const MCP_NAMES = ['add', 'echo', 'fail', 'image', 'readme', 'slow', 'stats'].map((n) => `mcp__demo__${n}`);

async function setup(script: Script): Promise<{ h: Harness; hub: McpHub; mcp: McpTestServer; tools: () => ReturnType<typeof mcpTools> }> {
  const mcp = await startMcpTestServer();
  cleanups.push(() => mcp.close());
  const hub = new McpHub();
  cleanups.push(() => hub.close());
  await hub.setServers([{ name: 'demo', url: mcp.url }]);
  await mcp.listening();
  const tools = () => [...defaultTools({ questions: false }), ...mcpTools(hub.tools(), hub)];
  const h = await startHarness({ script, agent: { tools: tools() }, config: { approvalPolicy: 'never' } });
  cleanups.push(() => h.close());
  return { h, hub, mcp, tools };
}

const toolNames = (body: { tools?: unknown[] }) => (body.tools ?? []).map((t) => (t as { name: string }).name);
const outputs = (h: Harness) => h.agent.history.items.filter((i): i is FunctionCallOutputItem => i.type === 'function_call_output');

describe('MCP tools in the loop', () => {
  it('lists the MCP tools sorted after the built-ins, the same for every connection', async () => {
    const first = await setup(sequence([reply.call('mcp__demo__echo', { text: 'hi' }), (ctx) => reply.text(`got ${ctx.lastToolOutput}`)]));
    const result = await first.h.agent.runTurn('say hi through MCP');
    expect(result.lastMessage).toBe('got echo: hi');
    expect(toolNames(first.h.bodies()[0]!)).toEqual([...BUILT_INS, ...MCP_NAMES]);

    // A second connection (the server shuffles its list every time) sends byte-identical tools.
    const second = await setup(sequence([reply.text('ok')]));
    await second.h.agent.runTurn('hello');
    expect(JSON.stringify(second.h.bodies()[0]!.tools)).toBe(JSON.stringify(first.h.bodies()[0]!.tools));
  });

  it('keeps the tool list frozen after tools/list_changed until the change is applied', async () => {
    let offered = false;
    const firstTurn = sequence([
      reply.call('mcp__demo__echo', { text: 'one' }),
      async () => {
        // Mid-turn, the server adds a tool; the hub re-lists it and the host offers the new list.
        ctx.mcp.addTool(textTool('zeta', 'from zeta'));
        await hubUntil(ctx.hub, () => offered);
        return reply.call('mcp__demo__echo', { text: 'two' });
      },
      reply.text('done'),
    ]);
    const ctx = await setup((script) => (script.lastUserText === 'echo twice' ? firstTurn(script) : reply.text('ok')));
    const { h, hub, tools } = ctx;
    hub.onChange(() => {
      h.agent.tools.offer(tools());
      offered = hub.tools().some((t) => t.name === 'zeta');
    });
    const frozen = h.agent.tools.hash();

    expect((await h.agent.runTurn('echo twice')).lastMessage).toBe('done');
    expect(outputs(h).map((o) => o.output)).toEqual(['echo: one', 'echo: two']);
    await h.agent.runTurn('and again');
    expect(h.bodies()).toHaveLength(4);
    expect(h.agent.tools.names).not.toContain('mcp__demo__zeta');
    expect(h.problems()).toEqual([]);
    for (const body of h.bodies()) expect(toolNames(body)).not.toContain('mcp__demo__zeta');
    expect(h.agent.tools.hash()).toBe(frozen);

    const change = h.agent.tools.change();
    expect(change).toMatchObject({ added: ['mcp__demo__zeta'], removed: [] });
    expect(change!.miss_bytes).toBeGreaterThan(0);
    expect(change!.prefix_bytes).toBeGreaterThan(0);

    expect(h.agent.tools.apply()).toBe(true);
    expect(eventsOf(h.events, 'tools_changed').at(-1)).toMatchObject({ reason: 'applied', hash: change!.hash });
    await h.agent.runTurn('use zeta');
    const last = h.bodies().at(-1)!;
    expect(toolNames(last)).toEqual([...BUILT_INS, ...[...MCP_NAMES, 'mcp__demo__zeta'].sort()]);
    // The applied list is the only thing that changed: the history still extends exactly.
    expect(h.problems()).toEqual([`request ${h.bodies().length - 1}: tools changed`]);
  });

  it('answers a call to a tool the server removed with a clear tool error, and goes on', async () => {
    const { h, hub, mcp } = await setup(
      sequence([reply.call('mcp__demo__add', { a: 1, b: 2 }), (ctx) => reply.text(`the tool said: ${ctx.lastToolOutput}`)]),
    );
    mcp.removeTool('add');
    await hubUntil(hub, () => !hub.tools().some((t) => t.name === 'add'));

    const result = await h.agent.runTurn('add 1 and 2');
    expect(result.reason).toBe('completed');
    const message = 'mcp__demo__add: the tool "add" is no longer offered by the MCP server "demo"';
    expect(outputs(h).map((o) => o.output)).toEqual([message]);
    expect(result.lastMessage).toBe(`the tool said: ${message}`);
    expect(eventsOf(h.events, 'tool_finished').map((e) => e.success)).toEqual([false]);
    expect(toolNames(h.bodies()[1]!)).toContain('mcp__demo__add');
    expect(h.problems()).toEqual([]);
  });

  it('reports an isError result as a failed call with the server’s text', async () => {
    const { h } = await setup(sequence([reply.call('mcp__demo__fail', {}), reply.text('noted')]));
    const result = await h.agent.runTurn('try the failing tool');
    expect(result.lastMessage).toBe('noted');
    expect(outputs(h).map((o) => o.output)).toEqual(['the tool failed on purpose']);
    expect(eventsOf(h.events, 'tool_finished').map((e) => e.success)).toEqual([false]);
    expect(h.problems()).toEqual([]);
  });

  it('shows the model the images a tool returned', async () => {
    const { h } = await setup(sequence([reply.call('mcp__demo__image', {}), reply.text('a red pixel it is')]));
    await h.agent.runTurn('show me the image');
    const input = JSON.stringify(h.bodies()[1]!.input);
    expect(input).toContain('data:image/png;base64,');
    expect(outputs(h).map((o) => o.output)).toEqual(['a red pixel']);
  });
});
