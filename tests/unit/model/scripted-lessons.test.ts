import { createNodeCommand } from '../../../src/sandbox/embedded/node-command';
import { Bash } from 'just-bash';
import { afterEach, describe, expect, it } from 'vitest';
import { isToolCall, messageText, outputFor, toHistoryItem, userMessage, type ResponseItem, type ToolCallItem } from '../../../src/core/items';
import { demoScript, HELLO_PROMPT, helloLesson, looksFailed, type Script } from '../../../src/model/scripted/index';
import { commandOutput } from '../../../src/model/scripted/lessons/common';
import { openFace, streamAll, type Face } from '../../support/scripted-faces';
import { checkStream, PREAMBLE, request } from '../../support/scripted-helpers';

type ToolRunner = (call: ToolCallItem) => Promise<string>;

/** A tiny stand-in for the engine's tools: exec_command and Add-File patches over just-bash. */
function sandboxTools(files: Record<string, string> = {}, override?: (call: ToolCallItem) => string | undefined): ToolRunner {
  const bash = new Bash({
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [`/workspace/${k}`, v])),
    cwd: '/workspace',
    customCommands: [createNodeCommand()],
  });
  return async (call) => {
    const forced = override?.(call);
    if (forced !== undefined) return forced;
    if (call.name === 'exec_command' && call.type === 'function_call') {
      const args = JSON.parse(call.arguments) as { cmd: string; workdir?: string };
      const result = await bash.exec(args.cmd, { cwd: args.workdir ?? '/workspace' });
      return `Wall time: 0.0100 seconds\nProcess exited with code ${result.exitCode}\nOutput:\n${result.stdout}${result.stderr}`;
    }
    if (call.name === 'apply_patch') {
      const patch = call.type === 'custom_tool_call' ? call.input : (JSON.parse(call.arguments) as { input: string }).input;
      const lines = patch.split('\n');
      const path = /^\*\*\* Add File: (.+)$/.exec(lines[1] ?? '')?.[1];
      if (!path || lines[0] !== '*** Begin Patch' || lines.at(-1) !== '*** End Patch') return 'error: invalid patch';
      const content =
        lines
          .slice(2, -1)
          .map((line) => line.slice(1))
          .join('\n') + '\n';
      await bash.fs.writeFile(`/workspace/${path}`, content);
      return `Success. Updated the following files:\nA ${path}\n`;
    }
    return `unknown tool ${call.name}`;
  };
}

/** Runs one user turn like the agent loop: sample, run the calls, append, until a message. */
async function runTurn(face: Face, history: ResponseItem[], tools: ToolRunner, custom = true) {
  const calls: ToolCallItem[] = [];
  for (let round = 0; round < 8; round++) {
    const events = await streamAll(face, request(history, { custom }));
    const items = checkStream(events).map((item) => toHistoryItem(item as unknown as ResponseItem));
    history.push(...items);
    const pending = items.filter(isToolCall);
    if (pending.length === 0) {
      const last = items.at(-1);
      return { calls, requests: round + 1, answer: last ? messageText(last) : '', phase: (last as { phase?: string }).phase };
    }
    for (const call of pending) {
      calls.push(call);
      history.push(outputFor(call, await tools(call)));
    }
  }
  throw new Error('the turn did not end');
}

const describeCall = (call: ToolCallItem) =>
  call.type === 'custom_tool_call'
    ? `${call.name}(custom)`
    : `${call.name} ${String((JSON.parse(call.arguments) as { cmd?: string }).cmd ?? '')}`.trim();

describe('the hello lesson', () => {
  let face: Face | undefined;
  const open = async (script: Script = helloLesson) => {
    face = await openFace('scripted fetch', script);
    return face;
  };
  afterEach(async () => {
    await face?.close();
    face = undefined;
  });

  it('lists, writes, runs and explains across four requests (custom apply_patch)', async () => {
    const f = await open();
    const history = [...PREAMBLE, userMessage(HELLO_PROMPT)];
    const turn = await runTurn(f, history, sandboxTools({ 'README.md': '# demo\n' }));
    expect(turn.requests).toBe(4);
    expect(turn.calls.map(describeCall)).toEqual(['exec_command ls -la', 'apply_patch(custom)', 'exec_command node hello.js']);
    expect(JSON.parse((turn.calls[0] as { arguments: string }).arguments)).toEqual({ cmd: 'ls -la', workdir: '/workspace' });
    expect(turn.phase).toBe('final_answer');
    // The program really ran in the embedded sandbox; its output is quoted back.
    expect(turn.answer).toContain('Hello, world!');
    expect(turn.answer).toContain('1 + 2 + ... + 10 = 55');
    expect(turn.answer).toMatch(/four requests/);
    expect(turn.answer).toMatch(/tool output/);
    expect(history.filter((item) => item.type === 'reasoning')).toHaveLength(4);
  });

  it('uses the function form of apply_patch when that is what the request offers', async () => {
    const f = await open();
    const turn = await runTurn(f, [...PREAMBLE, userMessage('hello')], sandboxTools(), false);
    expect(turn.calls.map((call) => call.type)).toEqual(['function_call', 'function_call', 'function_call']);
    expect(turn.calls[1]?.name).toBe('apply_patch');
    expect(turn.answer).toContain('Hello, world!');
  });

  it('picks a free file name when hello.js already exists', async () => {
    const f = await open();
    const turn = await runTurn(f, [...PREAMBLE, userMessage('hello')], sandboxTools({ 'hello.js': 'console.log(1)\n' }));
    expect(describeCall(turn.calls[2]!)).toBe('exec_command node hello2.js');
    expect(turn.answer).toContain('hello2.js');
  });

  it.each([
    [
      'the listing fails',
      'exec_command',
      'Wall time: 0.0010 seconds\nProcess exited with code 2\nOutput:\nls: cannot open directory',
      2,
      /listing the workspace/,
    ],
    ['the command is rejected', 'exec_command', 'exec command rejected by user', 2, /not approved/],
    ['the patch fails', 'apply_patch', 'error: hello.js already exists', 3, /writing the program/],
  ])('reports and stops when %s', async (_name, tool, output, requests, pattern) => {
    const f = await open();
    const tools = sandboxTools({}, (call) => (call.name === tool ? output : undefined));
    const turn = await runTurn(f, [...PREAMBLE, userMessage('hello')], tools);
    expect(turn.requests).toBe(requests);
    expect(turn.answer).toMatch(pattern);
    expect(turn.answer).toContain(output.includes('Output:') ? 'ls: cannot open directory' : output);
  });

  it('reports a program that exits non-zero instead of explaining success', async () => {
    const f = await open();
    const tools = sandboxTools({}, (call) =>
      call.type === 'function_call' && call.arguments.includes('node hello') ? 'Process exited with code 127\nOutput:\nnode: not found' : undefined,
    );
    const turn = await runTurn(f, [...PREAMBLE, userMessage('hello')], tools);
    expect(turn.requests).toBe(4);
    expect(turn.answer).toMatch(/running the program/);
    expect(turn.answer).toContain('node: not found');
  });

  it('classifies tool outputs', () => {
    expect(looksFailed('Process exited with code 0\nOutput:\nerror in text is fine')).toBe(false);
    expect(looksFailed('Process exited with code 1\nOutput:\n')).toBe(true);
    expect(looksFailed('aborted by user')).toBe(true);
    expect(looksFailed('Success. Updated the following files:\nA x')).toBe(false);
  });

  it('reads a command’s output under the header exec_command writes', () => {
    const header = 'Chunk ID: 0a1b2c\nWall time: 0.0100 seconds\nProcess exited with code 1\nOriginal token count: 3000\nOutput:\n';
    expect(looksFailed(`${header}ok\n`)).toBe(true);
    expect(commandOutput(`${header}ok\n`)).toBe('ok');
    expect(commandOutput(`${header}Total output lines: 900\n\nhead…2990 tokens truncated…tail\n`)).toBe('head…2990 tokens truncated…tail');
  });
});

describe('the demo script', () => {
  let face: Face | undefined;
  afterEach(async () => {
    await face?.close();
    face = undefined;
  });

  it('explains itself for prompts no lesson covers, without tool calls', async () => {
    face = await openFace('scripted fetch', demoScript);
    const turn = await runTurn(face, [...PREAMBLE, userMessage('Refactor my React app')], sandboxTools());
    expect(turn.requests).toBe(1);
    expect(turn.answer).toContain('offline demo model');
    expect(turn.answer).toContain('Refactor my React app');
    expect(turn.answer).toContain(HELLO_PROMPT);
    expect(turn.answer).toContain('https://api.openai.com/v1');
  });

  it('routes each turn by the latest prompt', async () => {
    face = await openFace('scripted fetch', demoScript);
    const history = [...PREAMBLE, userMessage(HELLO_PROMPT)];
    expect((await runTurn(face, history, sandboxTools())).requests).toBe(4);
    history.push(userMessage('thanks!'));
    expect((await runTurn(face, history, sandboxTools())).calls).toHaveLength(0);
    history.push(userMessage('show me the hello demo again'));
    const again = await runTurn(face, history, sandboxTools({ 'hello.js': 'x' }));
    expect(again.requests).toBe(4);
  });
});
