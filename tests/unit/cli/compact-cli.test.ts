/** The headless runner's context window options, and compaction in its transcript. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunnerArgs, USAGE, type RunnerArgs } from '../../../cli/args';
import { runAgent } from '../../../cli/runner';
import { DEFAULT_SCRIPTED_MODEL_ID } from '../../../src/model/scripted/index';
import { startScriptedServer } from '../../../src/model/scripted/server';
import { cleanupsForEachTest } from '../../support/runner-fixtures';
import { NOTES, taskScript } from '../../support/tasks';

const { defer, tempDir } = cleanupsForEachTest('unroll-compact-cli-');

function parse(argv: string[]): RunnerArgs {
  const parsed = parseRunnerArgs(argv, {});
  if ('help' in parsed) throw new Error('unexpected --help result');
  return parsed;
}

describe('--context-window and --auto-compact-limit', () => {
  it('are token counts, absent unless given', () => {
    expect(parse(['hi'])).not.toHaveProperty('contextWindow');
    expect(parse(['hi'])).not.toHaveProperty('autoCompactLimit');
    expect(parse(['hi', '--context-window', '32768', '--auto-compact-limit', '30_000'])).toMatchObject({
      contextWindow: 32_768,
      autoCompactLimit: 30_000,
    });
    expect(parse(['hi', '--context-window', '128k'])).toMatchObject({ contextWindow: 128_000 });
  });

  it('refuse anything else, and a limit beyond the window', () => {
    expect(() => parse(['hi', '--context-window', '0'])).toThrow('--context-window must be a positive number of tokens (got "0")');
    expect(() => parse(['hi', '--context-window', 'lots'])).toThrow(/--context-window must be a positive number/);
    expect(() => parse(['hi', '--auto-compact-limit=-5'])).toThrow(/--auto-compact-limit must be a positive number/);
    expect(() => parse(['hi', '--context-window', '8000', '--auto-compact-limit', '9000'])).toThrow(
      '--auto-compact-limit (9000) must not exceed --context-window (8000)',
    );
  });

  it('are in the help text', () => {
    expect(USAGE).toMatch(/--context-window N +context window in tokens/);
    expect(USAGE).toMatch(/--auto-compact-limit N\n +compact the conversation at N tokens/);
  });
});

describe('runAgent with a small context window', () => {
  it('compacts mid-turn, says so in the transcript, and finishes the task', async () => {
    const dir = await tempDir();
    for (const [path, content] of Object.entries(NOTES)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    const problems: string[] = [];
    const server = await startScriptedServer({ script: taskScript(problems), contextWindow: 6_000 });
    defer(() => server.close());
    let out = '';
    let err = '';
    const outcome = await runAgent(
      {
        ...parse(['task 1: run 15 steps', '--cwd', dir, '--base-url', server.url, '--model', DEFAULT_SCRIPTED_MODEL_ID, '--approval', 'never']),
        contextWindow: 6_000,
      },
      { stdout: { write: (t) => void (out += t) }, stderr: { write: (t) => void (err += t) } },
    );
    expect(err).toBe('');
    expect(problems).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.result?.lastMessage).toBe('task 1 done after 15 steps');
    // A custom server is not assumed to have /responses/compact: the model writes a note.
    expect(out).toMatch(
      /\n\n⇣ compacting the conversation \(auto, local\): \d+ items, ≈\d+ tokens\n {2}✓ \d+ items, ≈\d+ tokens \(hand-off note\)\n\n/,
    );
  });
});
