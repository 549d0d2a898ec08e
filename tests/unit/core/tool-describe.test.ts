import { describe, expect, it } from 'vitest';
import { callHeader } from '../../../cli/transcript';
import { toolTitle } from '../../../src/app/inspector/labels';
import { stepCallText, toolEntry } from '../../../src/app/tool-entries';
import type { ToolCallItem } from '../../../src/core/items';
import { describeCall, describeToolCall } from '../../../src/core/tools/describe';
import { mcpToolName } from '../../../src/core/tools/mcp';
import { describeWebSearch } from '../../../src/core/tools/web-search';

const PATCH = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** Update File: src/b.ts\n@@\n-x\n+y\n*** Delete File: old.md\n*** End Patch';
const QUESTION = {
  id: 'pick',
  header: 'Colour',
  question: 'Which colour?',
  options: [
    { label: 'Red', description: 'warm' },
    { label: 'Blue', description: 'cool' },
  ],
};

const fn = (name: string, args: unknown): ToolCallItem => ({
  type: 'function_call',
  call_id: 'c1',
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
});
const custom = (name: string, input: string): ToolCallItem => ({ type: 'custom_tool_call', call_id: 'c1', name, input });

describe('describeToolCall', () => {
  it('describes exec_command by its command line and workdir', () => {
    expect(describeToolCall('exec_command', JSON.stringify({ cmd: 'ls -la', workdir: 'src' }))).toEqual({
      title: '$ ls -la',
      summary: 'ls -la',
      detail: { kind: 'exec_command', command: 'ls -la', workdir: 'src' },
    });
    expect(describeToolCall('exec_command', '{"cmd":"pwd","workdir":""}').detail).toEqual({ kind: 'exec_command', command: 'pwd' });
  });

  it('describes write_stdin by its session and characters; a poll sends none', () => {
    expect(describeToolCall('write_stdin', JSON.stringify({ session_id: 3, chars: 'y\n' }))).toEqual({
      title: 'stdin → session 3',
      summary: 'session 3 ← "y\\n"',
      detail: { kind: 'write_stdin', session: '3', chars: 'y\n' },
    });
    expect(describeToolCall('write_stdin', '{"session_id":3}')).toMatchObject({ title: 'stdin → session 3', summary: 'session 3' });
    expect(describeToolCall('write_stdin', '{}')).toMatchObject({ title: 'stdin → session ?', summary: 'session ?' });
  });

  it('describes apply_patch by the files its patch names, in both forms', () => {
    const files = [
      { action: 'add', path: 'a.txt' },
      { action: 'update', path: 'src/b.ts' },
      { action: 'delete', path: 'old.md' },
    ];
    const expected = {
      title: 'apply_patch a.txt, src/b.ts, old.md',
      summary: 'A a.txt, U src/b.ts, D old.md',
      detail: { kind: 'apply_patch', patch: PATCH, files },
    };
    expect(describeToolCall('apply_patch', JSON.stringify({ input: PATCH }))).toEqual(expected);
    expect(describeCall(custom('apply_patch', PATCH))).toEqual(expected);
    // The function form with the patch as its whole text, as the tool itself takes it.
    expect(describeToolCall('apply_patch', PATCH)).toEqual(expected);
    expect(describeToolCall('apply_patch', '{"input":"not\\na patch"}')).toMatchObject({ title: 'apply_patch', summary: '(2 lines)' });
  });

  it('describes update_plan by its steps, with no summary (views show the plan itself)', () => {
    const plan = [
      { step: 'read', status: 'completed' },
      { step: 'write', status: 'in_progress' },
      { step: 'broken', status: 'someday' },
    ];
    expect(describeToolCall('update_plan', JSON.stringify({ explanation: 'Small steps', plan }))).toEqual({
      title: 'update_plan',
      summary: '',
      detail: { kind: 'update_plan', plan: plan.slice(0, 2), explanation: 'Small steps' },
    });
    expect(describeToolCall('update_plan', '{}')).toEqual({ title: 'update_plan', summary: '' });
  });

  it('describes request_user_input by its input, keeping usable questions', () => {
    const input = JSON.stringify({ questions: [QUESTION] });
    expect(describeToolCall('request_user_input', input)).toEqual({
      title: 'request_user_input',
      summary: input,
      detail: { kind: 'request_user_input', questions: [QUESTION] },
    });
    expect(describeToolCall('request_user_input', '{"questions":[]}')).toEqual({ title: 'request_user_input', summary: '{"questions":[]}' });
  });

  it('describes view_image by its input, keeping the path', () => {
    expect(describeToolCall('view_image', '{"path":" shot.png "}')).toEqual({
      title: 'view_image',
      summary: '{"path":" shot.png "}',
      detail: { kind: 'view_image', path: 'shot.png' },
    });
  });

  it('describes a hosted web search by its query, or the page it opened', () => {
    expect(describeToolCall('web_search', '{"type":"search","query":"weather in Lyon"}')).toEqual({
      title: 'web_search',
      summary: 'weather in Lyon',
      detail: { kind: 'web_search', query: 'weather in Lyon' },
    });
    expect(describeWebSearch({ type: 'open_page', url: 'https://example.com' }).summary).toBe('https://example.com');
    expect(describeWebSearch(undefined).summary).toBe('');
  });

  it('describes an MCP tool by its name and arguments, naming its server and tool', () => {
    const name = mcpToolName('docs', 'search');
    expect(describeToolCall(name, '{"command":"find","q":"x"}')).toEqual({
      title: 'mcp__docs__search',
      summary: '{"command":"find","q":"x"}',
      detail: { kind: 'mcp', server: 'docs', tool: 'search', args: { command: 'find', q: 'x' } },
    });
    expect(describeToolCall('mcp__docs__search', 'oops')).toEqual({ title: 'mcp__docs__search', summary: 'oops' });
  });

  it('describes an unknown tool by its name and input, or the command of a shell-like call', () => {
    expect(describeToolCall('frobnicate', '{"level":11}')).toEqual({ title: 'frobnicate', summary: '{"level":11}' });
    expect(describeToolCall('shell', '{"command":["bash","-lc","ls"]}')).toEqual({ title: 'shell', summary: 'bash -lc ls' });
    expect(describeToolCall('mcp__', '{}')).toEqual({ title: 'mcp__', summary: '{}' });
  });

  it('never throws on malformed input: the call is shown by its name and text', () => {
    for (const name of ['exec_command', 'write_stdin', 'apply_patch', 'update_plan', 'request_user_input', 'view_image', 'mcp__a__b', 'nope']) {
      expect(describeToolCall(name, '{"cmd": "ls"')).toEqual({ title: name, summary: '{"cmd": "ls"' });
      expect(() => describeToolCall(name, undefined as unknown as string)).not.toThrow();
    }
    expect(describeToolCall('exec_command', 'null')).toEqual({ title: 'exec_command', summary: 'null' });
    expect(describeToolCall('write_stdin', '[1, 2]')).toEqual({ title: 'write_stdin', summary: '[1, 2]' });
  });
});

describe('the views word one description', () => {
  it.each([
    [
      fn('exec_command', { cmd: 'npm test\nnpm run build', workdir: 'pkg' }),
      '$ npm test\nnpm run build',
      'npm test npm run build',
      'exec_command $ npm test … (+1 lines) (in pkg)',
    ],
    [fn('write_stdin', { session_id: 7, chars: 'q' }), 'stdin → session 7', 'session 7 ← "q"', 'write_stdin session 7 ← "q"'],
    [
      custom('apply_patch', PATCH),
      'apply_patch a.txt, src/b.ts, old.md',
      'A a.txt, U src/b.ts, D old.md',
      'apply_patch A a.txt, U src/b.ts, D old.md',
    ],
    [fn('update_plan', { plan: [] }), 'update_plan', '', 'update_plan'],
    [fn('mcp__docs__search', { q: 'x' }), 'mcp__docs__search', '{"q":"x"}', 'mcp__docs__search {"q":"x"}'],
    [fn('exec_command', '{"cmd":'), 'exec_command', '{"cmd":', 'exec_command {"cmd":'],
  ])('%#: chat, Inspector and CLI', (call, chat, inspector, cli) => {
    expect(toolEntry(call, call.name).title).toBe(chat);
    expect(toolTitle(call)).toBe(inspector);
    expect(callHeader(call, '/workspace')).toBe(cli);
  });

  it('leaves out a workdir that is the session directory', () => {
    expect(callHeader(fn('exec_command', { cmd: 'ls', workdir: '/workspace' }), '/workspace')).toBe('exec_command $ ls');
  });

  it('gives the chat the patch to draw, and step-through the exact input', () => {
    expect(toolEntry(custom('apply_patch', PATCH), 'apply_patch').patch?.files.map((f) => f.kind)).toEqual(['add', 'update', 'delete']);
    expect(toolEntry(fn('apply_patch', '{"input":"nope"}'), 'apply_patch').patch).toBeUndefined();
    expect(stepCallText(fn('exec_command', { cmd: 'ls' }))).toBe('$ ls');
    expect(stepCallText(fn('view_image', { path: 'a.png' }))).toBe('view_image {"path":"a.png"}');
    expect(stepCallText(custom('apply_patch', PATCH))).toBe(`apply_patch\n${PATCH}`);
  });
});
