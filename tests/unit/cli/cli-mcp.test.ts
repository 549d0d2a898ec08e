/**
 * The headless runner with `--mcp`: options parsed into server configs (tokens from a flag
 * or the environment), servers connected before the turn, their tools offered after the
 * built-ins, a failing server noted and left out, and MCP approvals asked like the others.
 */
import { describe, expect, it } from 'vitest';
import { mcpTokenVariable, parseRunnerArgs, type RunnerArgs } from '../../../cli/args';
import { runAgent } from '../../../cli/runner';
import { DEFAULT_SCRIPTED_MODEL_ID, reply, sequence, type Script } from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';
import { startMcpTestServer, type McpTestServer } from '../../support/mcp-server';
import { capture, cleanupsForEachTest } from '../../support/runner-fixtures';

const { defer, tempDir } = cleanupsForEachTest('unroll-cli-mcp-');

async function setup(script: Script, token?: string): Promise<{ model: ScriptedServer; mcp: McpTestServer; cwd: string }> {
  const model = await startScriptedServer({ script });
  defer(() => model.close());
  const mcp = await startMcpTestServer(token ? { token } : {});
  defer(() => mcp.close());
  const cwd = await tempDir();
  return { model, mcp, cwd };
}

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): RunnerArgs {
  const parsed = parseRunnerArgs(argv, env);
  if ('help' in parsed) throw new Error('unexpected --help');
  return parsed;
}

/** The arguments of a run against the scripted server in `cwd` with the test MCP server as "demo". */
function runArgv(prompt: string, model: ScriptedServer, mcp: McpTestServer, cwd: string, ...extra: string[]): string[] {
  return [
    prompt,
    '--base-url',
    model.url,
    '--api-key',
    'k',
    '--model',
    DEFAULT_SCRIPTED_MODEL_ID,
    '--cwd',
    cwd,
    '--mcp',
    `demo=${mcp.url}`,
    ...extra,
  ];
}

const echoScript = sequence([reply.call('mcp__demo__echo', { text: 'hi' }), (ctx) => reply.text(`MCP said: ${ctx.lastToolOutput}`)]);

describe('--mcp options', () => {
  it('parses servers and takes tokens from --mcp-token or the environment', () => {
    expect(parse(['hi']).mcp).toBeUndefined();
    expect(
      parse(['hi', '--mcp', 'docs=http://127.0.0.1:9/mcp', '--mcp', 'my-tools=https://t.example/mcp', '--mcp-token', 'docs=tok1'], {
        [mcpTokenVariable('my-tools')]: 'tok2',
      }).mcp,
    ).toEqual([
      { name: 'docs', url: 'http://127.0.0.1:9/mcp', bearerToken: 'tok1' },
      { name: 'my-tools', url: 'https://t.example/mcp', bearerToken: 'tok2' },
    ]);
    expect(mcpTokenVariable('my-tools')).toBe('UNROLL_MCP_TOKEN_MY_TOOLS');
    // The flag wins over the variable.
    expect(parse(['hi', '--mcp', 'd=http://x/', '--mcp-token', 'd=flag'], { UNROLL_MCP_TOKEN_D: 'env' }).mcp).toEqual([
      { name: 'd', url: 'http://x/', bearerToken: 'flag' },
    ]);
  });

  it('refuses bad server names, duplicates and tokens for unknown servers', () => {
    expect(() => parse(['hi', '--mcp', 'my.docs=http://x/'])).toThrow(
      '--mcp: the MCP server name "my.docs" may only hold letters, digits, "_" and "-"',
    );
    expect(() => parse(['hi', '--mcp', 'http://x/'])).toThrow('--mcp: expected NAME=URL');
    expect(() => parse(['hi', '--mcp', 'a=http://x/', '--mcp', 'a=http://y/'])).toThrow('--mcp: two servers are named "a"');
    expect(() => parse(['hi', '--mcp', 'a=http://x/', '--mcp-token', 'b=t'])).toThrow('--mcp-token b: no --mcp server is named "b"');
  });
});

describe('runAgent with --mcp', () => {
  it('connects before the turn, offers the tools after the built-ins and calls them', async () => {
    const { model, mcp, cwd } = await setup(echoScript, 'mcp-secret');
    const io = capture();
    const args = parse(runArgv('echo hi', model, mcp, cwd, '--approval', 'never'), {
      UNROLL_MCP_TOKEN_DEMO: 'mcp-secret',
    });
    const outcome = await runAgent(args, io);

    expect(outcome.exitCode).toBe(0);
    expect(outcome.result?.lastMessage).toBe('MCP said: echo: hi');
    expect(io.err()).toBe('unroll: MCP server demo: 7 tools (add, echo, fail, image, readme, slow, stats)\n');
    const posts = model.requests.filter((r) => r.method === 'POST');
    const names = ((posts[0]!.body as { tools: { name: string }[] }).tools ?? []).map((t) => t.name);
    expect(names).toEqual([
      'exec_command',
      'write_stdin',
      'apply_patch',
      'update_plan',
      'view_image',
      ...['add', 'echo', 'fail', 'image', 'readme', 'slow', 'stats'].map((n) => `mcp__demo__${n}`),
    ]);
    expect(mcp.requests.some((r) => r.rpc.includes('tools/call'))).toBe(true);
    expect(mcp.sessionCount()).toBe(0); // the session was ended after the turn
  });

  it('leaves a failing server out, says why on stderr, and still runs the turn', async () => {
    const { model, mcp, cwd } = await setup(sequence([reply.text('no tools needed')]), 'mcp-secret');
    const io = capture();
    const args = parse(runArgv('hi', model, mcp, cwd, '--mcp-token', 'demo=wrong-token'));
    const outcome = await runAgent(args, io);

    expect(outcome.exitCode).toBe(0);
    expect(io.err()).toBe('unroll: MCP server demo is left out: the server refused the bearer token (HTTP 401)\n');
    const body = model.requests.find((r) => r.method === 'POST')!.body as { tools: { name: string }[] };
    expect(body.tools.map((t) => t.name).filter((n) => n.startsWith('mcp__'))).toEqual([]);
  });

  it('asks before calling an MCP tool, and without a terminal denies it', async () => {
    const { model, mcp, cwd } = await setup(echoScript);
    const io = capture();
    const args = parse(runArgv('echo hi', model, mcp, cwd, '--quiet'));
    const outcome = await runAgent(args, io);

    expect(outcome.result?.lastMessage).toBe('MCP said: MCP tool call rejected by user');
    expect(io.err()).toBe(
      'unroll: denied a request to call demo › echo {"text":"hi"}: no terminal to ask (use --approval never to run without asking)\n',
    );
    expect(mcp.requests.some((r) => r.rpc.includes('tools/call'))).toBe(false);

    const asked: string[] = [];
    const yes = capture({ ask: async (q) => (asked.push(q), 'y') });
    const again = await runAgent(args, yes);
    expect(again.result?.lastMessage).toBe('MCP said: echo: hi');
    expect(asked).toEqual([expect.stringMatching(/Call the MCP tool demo › echo \{"text":"hi"\}\? \[y\]es \/ \[a\]lways this tool \/ \[n\]o: $/)]);
  });
});
