/**
 * The headless runner's transcript against a server that streams no deltas (whole items
 * only): reasoning, progress notes and the answer are printed all the same. Once in process
 * (the scripted server's `noDeltas`), once against `model-server --no-deltas` as a child.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../../cli/runner';
import { addFilePatch, HELLO_PROMPT, reply, sequence } from '../../../src/model/scripted/index';
import { startScriptedServer } from '../../../src/model/scripted/server';
import { capture, cleanupsForEachTest, runnerArgs } from '../../support/runner-fixtures';

const { defer, tempDir } = cleanupsForEachTest('unroll-cli-nd-');

const FINAL = 'All done, without a single delta.';
const script = sequence([
  [reply.reasoning('**Looking around**\n\nA listing first.'), reply.note('Listing the files.'), reply.exec('ls')],
  (ctx) => reply.patch(ctx, addFilePatch('greet.sh', 'echo hi')),
  reply.text(FINAL, { phase: 'final_answer' }),
]);

describe('the transcript without deltas', () => {
  it('prints reasoning, notes and the answer, each once, in order', async () => {
    const dir = await tempDir();
    const server = await startScriptedServer({ script, noDeltas: true });
    defer(() => server.close());
    const io = capture();
    const outcome = await runAgent(runnerArgs(server.url, dir, { prompt: 'make greet.sh' }), io);

    expect(outcome.exitCode).toBe(0);
    expect(outcome.result?.lastMessage).toBe(FINAL);
    expect(io.err()).toBe('');
    const out = io.out();
    expect(out).toContain('· Looking around\n\n  A listing first.\n\nListing the files.\n\n▶ exec_command $ ls\n');
    expect(out).toMatch(/\n\nAll done, without a single delta\.\n\n— completed: 3 requests/);
    for (const text of ['Looking around', 'Listing the files.', FINAL]) expect(out.split(text)).toHaveLength(2);
    expect(await readFile(join(dir, 'greet.sh'), 'utf8')).toBe('echo hi\n');
  });

  it('model-server --no-deltas streams no delta events and the runner still prints the answer', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/model-server.ts', '--no-deltas', '--port', '0', '--delay', '0'], {
      cwd: join(import.meta.dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    defer(() => stop(child));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening at (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`model-server exited (${code})`)));
    });

    const raw = await fetch(`${url}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: HELLO_PROMPT, stream: true }),
    });
    const events = [...(await raw.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]!);
    expect(events).toContain('response.output_item.done');
    expect(events.at(-1)).toBe('response.completed');
    expect(events.filter((type) => type.endsWith('.delta'))).toEqual([]);

    const dir = await tempDir();
    const io = capture();
    const outcome = await runAgent(runnerArgs(url, dir, { prompt: HELLO_PROMPT }), io);
    expect(outcome.exitCode).toBe(0);
    const answer = outcome.result?.lastMessage ?? '';
    expect(answer).not.toBe('');
    expect(io.out()).toContain(answer.replace(/\n+$/, ''));
  });
});

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('the transcript against a server that refuses custom tools', () => {
  it('says apply_patch goes as a function tool from now on, and the patch still lands', async () => {
    const dir = await tempDir();
    const server = await startScriptedServer({
      script: sequence([(ctx) => reply.patch(ctx, addFilePatch('hi.txt', 'hi')), reply.text('Wrote it.')]),
      quirks: { rejectCustomTools: true, errorShape: 'llama' },
    });
    defer(() => server.close());
    const io = capture();
    // As OpenAI's preset the runner offers apply_patch as a freeform custom tool at first.
    const outcome = await runAgent({ ...runnerArgs(server.url, dir, { prompt: 'write hi.txt' }), provider: 'openai', model: 'gpt-5.1-codex' }, io);

    expect(outcome.exitCode).toBe(0);
    expect(io.out()).toContain(
      "↻ The server rejected the request (400): 'type' of tool must be 'function'. — sending apply_patch as a function tool from now on",
    );
    expect(await readFile(join(dir, 'hi.txt'), 'utf8')).toBe('hi\n');
  });
});
