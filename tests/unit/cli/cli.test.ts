/**
 * The headless runner on real temp directories: in process through `runAgent` against the
 * scripted model over HTTP, and once as a real child process.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../../cli/runner';
import { createTranscript, splitExecOutput } from '../../../cli/transcript';
import type { AgentEvent } from '../../../src/core/events';
import type { MessageItem, ReasoningItem } from '../../../src/core/items';
import {
  addFilePatch,
  commandOutput,
  DEFAULT_SCRIPTED_MODEL_ID,
  HELLO_PROMPT,
  reply,
  sequence,
  type Script,
} from '../../../src/model/scripted/index';
import { startScriptedServer, type ScriptedServer } from '../../../src/model/scripted/server';
import { capture, cleanupsForEachTest, runnerArgs } from '../../support/runner-fixtures';

const { defer, tempDir } = cleanupsForEachTest();

async function server(script: Script, requireKey?: string): Promise<ScriptedServer> {
  const s = await startScriptedServer({ script, ...(requireKey ? { requireKey } : {}) });
  defer(() => s.close());
  return s;
}

/** exec_command → apply_patch → exec_command → answer, with a reasoning summary and a progress note. */
const greetScript = sequence([
  [reply.reasoning('**Looking around**\n\nA listing first.'), reply.note('Listing the files.'), reply.exec('ls')],
  (ctx) => reply.patch(ctx, addFilePatch('greet.sh', 'echo "hi from greet"')),
  reply.exec('bash greet.sh'),
  (ctx) => reply.text(`All done: greet.sh printed "${commandOutput(ctx.lastToolOutput ?? '')}".`, { phase: 'final_answer' }),
]);

const FINAL = 'All done: greet.sh printed "hi from greet".';

describe('runAgent in process', () => {
  it('runs a whole turn on a real directory and prints a readable transcript', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'README.md'), '# demo\n');
    const s = await server(greetScript);
    const io = capture();
    const outcome = await runAgent(runnerArgs(s.url, dir, { headers: { 'X-Team': 'blue' }, query: { tag: 't1' } }), io);

    expect(outcome.exitCode).toBe(0);
    expect(outcome.result?.lastMessage).toBe(FINAL);
    expect(await readFile(join(dir, 'greet.sh'), 'utf8')).toBe('echo "hi from greet"\n');
    expect(io.err()).toBe('');

    const out = io.out();
    // Reasoning, note, tool call and final answer are separate blocks, in order.
    expect(out).toContain('· Looking around\n\n  A listing first.\n\nListing the files.\n\n▶ exec_command $ ls\n  │ README.md\n  ✓ exit 0 · ');
    expect(out).toContain('\n\n▶ apply_patch A greet.sh\n  │ Success. Updated the following files:\n  │ A greet.sh\n  ✓ ');
    expect(out).toContain('\n\n▶ exec_command $ bash greet.sh\n  │ hi from greet\n  ✓ exit 0 · ');
    expect(out).toMatch(new RegExp(`\\n\\n${FINAL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n— completed: 4 requests, \\d+ input tokens`));
    expect(out).not.toMatch(/\x1b\[/); // no colour codes when stdout is not a terminal

    const posts = s.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(4);
    for (const r of posts) {
      expect(r.headers.authorization).toBe('Bearer k');
      expect(r.headers['x-team']).toBe('blue');
      expect(r.path).toMatch(/\?tag=t1$/);
    }
  });

  it('a failing turn exits 1 with exactly one line on stderr naming the problem', async () => {
    const dir = await tempDir();
    const s = await server(greetScript, 'right-key');
    const io = capture();
    const outcome = await runAgent(runnerArgs(s.url, dir, { apiKey: 'wrong-key' }), io);

    expect(outcome.exitCode).toBe(1);
    expect(outcome.result?.reason).toBe('failed');
    const lines = io.err().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unroll: auth: .*rejected the API key \(401\).*Check --api-key or \$OPENAI_API_KEY\.$/);
    expect(lines[0]).not.toMatch(/Settings/);
    expect(io.out()).toMatch(/— failed: 0 requests/);
    expect(io.out()).not.toMatch(/401/); // said once, on stderr
    expect(s.requests.filter((r) => r.method === 'POST')).toHaveLength(1); // not retried
  });

  it('the offline demo model runs the hello lesson on a temp directory', async () => {
    const dir = await tempDir();
    const io = capture();
    const { baseURL: _b, apiKey: _k, model: _m, ...rest } = runnerArgs('unused', dir);
    const outcome = await runAgent({ ...rest, prompt: HELLO_PROMPT, demo: true }, io);

    expect(outcome.exitCode).toBe(0);
    expect(await readFile(join(dir, 'hello.js'), 'utf8')).toMatch(/^\/\/ Written by Unroll's offline demo model/);
    expect(io.out()).toContain('▶ exec_command $ node hello.js\n  │ Hello, world!');
    expect(io.err()).toBe('unroll: using the offline demo model (give --api-key or --base-url to use a real one)\n');
  });

  it('--json prints one JSON event per line, ending with turn_ended', async () => {
    const dir = await tempDir();
    const s = await server(greetScript);
    const io = capture();
    expect((await runAgent(runnerArgs(s.url, dir, { json: true }), io)).exitCode).toBe(0);

    const lines = io.out().trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as AgentEvent);
    expect(events[0]!.type).toBe('turn_started');
    expect(events.filter((e) => e.type === 'tool_finished')).toHaveLength(3);
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ type: 'turn_ended', reason: 'completed', last_message: FINAL });
    expect(io.out().endsWith('\n')).toBe(true);
  });

  it('--quiet prints only the final message', async () => {
    const dir = await tempDir();
    const s = await server(greetScript);
    const io = capture();
    expect((await runAgent(runnerArgs(s.url, dir, { quiet: true }), io)).exitCode).toBe(0);
    expect(io.out()).toBe(`${FINAL}\n`);
  });
});

describe('approvals in the runner', () => {
  const touchScript = sequence([reply.exec('touch blocked.txt'), (ctx) => reply.text(`saw: ${ctx.lastToolOutput ?? ''}`)]);

  it('without a terminal every request is denied, and stderr says so', async () => {
    const dir = await tempDir();
    const s = await server(touchScript);
    const io = capture();
    const outcome = await runAgent(runnerArgs(s.url, dir, { approval: 'untrusted' }), io);

    expect(outcome.exitCode).toBe(0);
    expect(outcome.result?.lastMessage).toBe('saw: exec command rejected by user');
    await expect(readFile(join(dir, 'blocked.txt'))).rejects.toThrow(/ENOENT/);
    expect(io.err()).toBe('unroll: denied a request to run `touch blocked.txt`: no terminal to ask (use --approval never to run without asking)\n');
    expect(io.out()).toContain('▶ exec_command $ touch blocked.txt\n  ? needs approval: ');
    expect(io.out()).toContain('  ✗ denied\n  │ exec command rejected by user\n  ✗ failed · ');
  });

  it('runs parallel calls one at a time, one question each; y / a / anything else map to the decisions', async () => {
    const dir = await tempDir();
    const s = await server(
      sequence([
        [reply.exec('touch one.txt'), reply.exec('touch two.txt'), reply.exec('touch three.txt')],
        reply.exec('touch two.txt'),
        reply.text('ok'),
      ]),
    );
    const answers: Record<string, string> = { one: 'y', two: 'always', three: 'nope' };
    const questions: string[] = [];
    let open = 0;
    let maxOpen = 0;
    const io = capture({
      ask: async (question) => {
        questions.push(question);
        maxOpen = Math.max(maxOpen, ++open);
        await new Promise((resolve) => setTimeout(resolve, 5));
        open--;
        return answers[/touch (\w+)\.txt/.exec(question)?.[1] ?? ''] ?? '';
      },
    });
    const outcome = await runAgent(runnerArgs(s.url, dir, { approval: 'untrusted' }), io);

    expect(outcome.exitCode).toBe(0);
    expect(maxOpen).toBe(1);
    // Concurrent writes deadlock just-bash's ReadWriteFs, so the runner asks for sequential calls.
    expect(
      s.requests.filter((r) => r.method === 'POST').every((r) => (r.body as { parallel_tool_calls?: boolean }).parallel_tool_calls === false),
    ).toBe(true);
    // The repeated `touch two.txt` was approved for the session: three questions, not four.
    expect(questions).toHaveLength(3);
    expect(questions[0]).toBe('Run `touch one.txt` in /workspace? [y]es / [a]lways this command / [n]o: ');
    await expect(readFile(join(dir, 'one.txt'), 'utf8')).resolves.toBe('');
    await expect(readFile(join(dir, 'two.txt'), 'utf8')).resolves.toBe('');
    await expect(readFile(join(dir, 'three.txt'))).rejects.toThrow(/ENOENT/);
    expect(io.err()).toBe('');
  });

  it('shows the patch when asking, and the reason too when no transcript shows it', async () => {
    const dir = await tempDir();
    const patch = addFilePatch('p.md', 'P');
    const s = await server(sequence([(ctx) => reply.patch(ctx, patch), reply.text('patched')]));
    const questions: string[] = [];
    const io = capture({ ask: async (q) => (questions.push(q), 'y') });
    expect((await runAgent(runnerArgs(s.url, dir, { approval: 'untrusted', quiet: true }), io)).exitCode).toBe(0);
    expect(questions).toEqual([
      `The approval policy asks before every file change.\n${patch}\nApply this patch? [y]es / [a]lways, for every patch / [n]o: `,
    ]);
    expect(await readFile(join(dir, 'p.md'), 'utf8')).toBe('P\n');
    expect(io.out()).toBe('patched\n');
  });

  it('a failing question denies; an interrupt while asking exits 130', async () => {
    const dir = await tempDir();
    const s = await server(touchScript);
    const broken = capture({ ask: () => Promise.reject(new Error('stdin closed')) });
    expect((await runAgent(runnerArgs(s.url, dir, { approval: 'untrusted' }), broken)).exitCode).toBe(0);
    expect(broken.err()).toBe('unroll: denied a request to run `touch blocked.txt`: stdin closed\n');

    const controller = new AbortController();
    const interrupted = capture({
      signal: controller.signal,
      ask: () => {
        controller.abort();
        return Promise.reject(new Error('aborted'));
      },
    });
    const outcome = await runAgent(runnerArgs(s.url, dir, { approval: 'untrusted' }), interrupted);
    expect(outcome.exitCode).toBe(130);
    expect(interrupted.err()).toBe('unroll: interrupted\n');
    await expect(readFile(join(dir, 'blocked.txt'))).rejects.toThrow(/ENOENT/);
  });
});

describe('the transcript', () => {
  it('shows output that arrives without deltas once, and streamed output only once', () => {
    let out = '';
    const print = createTranscript({ write: (t) => void (out += t), color: false, showOutput: true });
    const reasoning: ReasoningItem = { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking' }] };
    const streamed: MessageItem = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Live.' }] };
    const silent: MessageItem = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Quiet.' }], phase: 'final_answer' };
    const events: AgentEvent[] = [
      { type: 'output_item_done', round: 1, output_index: 0, item: reasoning },
      { type: 'text_delta', round: 1, output_index: 1, delta: 'Li' },
      { type: 'text_delta', round: 1, output_index: 1, delta: 've.' },
      { type: 'output_item_done', round: 1, output_index: 1, item: streamed },
      { type: 'item_appended', index: 5, item: reasoning },
      { type: 'item_appended', index: 6, item: streamed },
      { type: 'item_appended', index: 7, item: silent },
    ];
    events.forEach(print);
    expect(out).toBe('· Thinking\n\nLive.\n\nQuiet.\n');
  });

  it('shows a command’s output without the header, the token count or the line count of a cut output', () => {
    const cut =
      'Chunk ID: 0a1b2c\nWall time: 0.0100 seconds\nProcess exited with code 0\nOriginal token count: 3000\nOutput:\nTotal output lines: 900\n\nhead…2990 tokens truncated…tail\n';
    expect(splitExecOutput(cut)).toEqual({ body: 'head…2990 tokens truncated…tail\n', status: 'exit 0' });
    const running = 'Chunk ID: 0a1b2c\nWall time: 5.0000 seconds\nProcess running with session ID 1000\nOriginal token count: 1\nOutput:\nok\n';
    expect(splitExecOutput(running)).toEqual({ body: 'ok\n', status: 'still running as session 1000' });
  });
});

describe('the agent command', () => {
  /** Runs `node --import tsx cli/agent.ts …` from the project root with a clean environment. */
  function runCli(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/agent.ts', ...argv], {
        cwd: join(import.meta.dirname, '..', '..', '..'),
        env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('runs a turn as a child process and exits 0', async () => {
    const dir = await tempDir();
    const s = await server(greetScript);
    const { code, stdout, stderr } = await runCli([
      '--base-url',
      s.url,
      '--api-key',
      'k',
      '--cwd',
      dir,
      '--approval',
      'never',
      'make greet.sh and run it',
    ]);

    expect(code).toBe(0);
    expect(stdout).toContain('▶ exec_command $ bash greet.sh\n  │ hi from greet');
    expect(stdout).toContain(FINAL);
    // No --model: the runner asked the server and used the model it lists.
    expect(stderr).toBe(`unroll: using model ${DEFAULT_SCRIPTED_MODEL_ID}, the first the server lists (choose one with --model)\n`);
    expect(await readFile(join(dir, 'greet.sh'), 'utf8')).toBe('echo "hi from greet"\n');
  });

  it('exits 2 with a usage hint for a bad --approval', async () => {
    const { code, stdout, stderr } = await runCli(['--approval', 'sometimes', 'hello']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'unroll: --approval must be one of untrusted, on-request, never (got "sometimes")\nRun with --help for the list of options.\n',
    );
  });
});
