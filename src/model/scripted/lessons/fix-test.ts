/**
 * Lesson 2: a test that fails, is read, and is fixed. The model keeps a plan, writes a small
 * module with a deliberate bug and a test for it, runs the test, reads the assertion, patches
 * the bug with an Update File hunk and runs the test again. Seven requests for one user turn;
 * each round checks the previous tool output and reports anything unexpected instead of
 * pressing on.
 */
import { reply, sequence } from '../build';
import type { Reply, ScriptContext } from '../types';
import { commandOutput, exitCode, fence, LAST_STEP, looksFailed, patchesNewestFirst, reportFailure, wasStopped } from './common';

export const FIX_TEST_PROMPT = 'Lesson 2: write a module and its test, watch the test fail, then fix the bug.';

const BUGGY_LINE = '  return sum(numbers) / (numbers.length - 1);';
const FIXED_LINE = '  return sum(numbers) / numbers.length;';

function moduleSource(): string {
  return [
    "// Written by Unroll's offline demo model. average() has a deliberate bug for the lesson.",
    'function sum(numbers) {',
    '  let total = 0;',
    '  for (const n of numbers) total += n;',
    '  return total;',
    '}',
    '',
    'function average(numbers) {',
    BUGGY_LINE,
    '}',
    '',
    'module.exports = { sum, average };',
  ].join('\n');
}

function testSource(moduleName: string): string {
  return [
    "const assert = require('assert');",
    `const { sum, average } = require('./${moduleName.replace(/\.js$/, '')}');`,
    '',
    'assert.strictEqual(sum([1, 2, 3, 4]), 10);',
    "console.log('ok - sum([1, 2, 3, 4]) is 10');",
    'assert.strictEqual(average([2, 4, 6]), 4);',
    "console.log('ok - average([2, 4, 6]) is 4');",
    "console.log('all tests passed');",
  ].join('\n');
}

const STEPS = ['Write math.js and a test for it', 'Run the test', 'Fix what the test finds', 'Run the test again'];

/** An update_plan call with steps before `current` completed and `current` in progress. */
function plan(current: number, explanation?: string): Reply[number] {
  const steps = STEPS.map((step, i) => ({
    step,
    status: i < current ? 'completed' : i === current ? 'in_progress' : 'pending',
  }));
  return reply.call('update_plan', explanation ? { explanation, plan: steps } : { plan: steps });
}

/** `math.js` + `math.test.js`, or `math2.js` + `math2.test.js`, … : the first pair the listing lacks. */
function pickNames(listing: string): { module: string; test: string } {
  const shown = (name: string) => new RegExp(`(^|\\s)${name.replace(/\./g, '\\.')}$`, 'm').test(listing);
  for (let n = 1; ; n++) {
    const base = n === 1 ? 'math' : `math${n}`;
    if (!shown(`${base}.js`) && !shown(`${base}.test.js`)) return { module: `${base}.js`, test: `${base}.test.js` };
  }
}

/** The files this turn's first patch added, read back from the conversation. */
function names(ctx: ScriptContext): { module: string; test: string } {
  for (const patch of patchesNewestFirst(ctx)) {
    const added = [...patch.matchAll(/^\*\*\* Add File: (.+)$/gm)].map((m) => (m[1] ?? '').trim());
    const test = added.find((path) => path.endsWith('.test.js'));
    const module = added.find((path) => !path.endsWith('.test.js'));
    if (test && module) return { module, test };
  }
  return { module: 'math.js', test: 'math.test.js' };
}

function fixPatch(moduleName: string): string {
  return [
    '*** Begin Patch',
    `*** Update File: ${moduleName}`,
    '@@',
    ' function average(numbers) {',
    `-${BUGGY_LINE}`,
    `+${FIXED_LINE}`,
    ' }',
    '*** End Patch',
  ].join('\n');
}

function start(ctx: ScriptContext): Reply {
  return [
    reply.reasoning(
      '**Planning**\n\nFour steps: write code and a test, run it, fix what it finds, run it again. I list the workspace first so I do not overwrite anything.',
    ),
    reply.note("Here's my plan. First I'll look at the workspace."),
    plan(0),
    reply.exec('ls -la', { workdir: ctx.cwd }),
  ];
}

function write(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  if (looksFailed(output)) return reportFailure(ctx, 'listing the workspace (`ls -la`)');
  const { module, test } = pickNames(commandOutput(output));
  const patch = [
    '*** Begin Patch',
    `*** Add File: ${module}`,
    ...moduleSource()
      .split('\n')
      .map((line) => `+${line}`),
    `*** Add File: ${test}`,
    ...testSource(module)
      .split('\n')
      .map((line) => `+${line}`),
    '*** End Patch',
  ].join('\n');
  return [
    reply.reasoning(`**Writing code and test**\n\n\`${module}\` and \`${test}\` are free. One patch adds both files.`),
    reply.note(`I'll add \`${module}\` with \`sum\` and \`average\`, and \`${test}\`, which checks them with \`assert\`.`),
    reply.patch(ctx, patch),
  ];
}

function runTest(ctx: ScriptContext): Reply {
  if (!/Success/i.test(ctx.lastToolOutput ?? '')) return reportFailure(ctx, 'writing the files with `apply_patch`');
  const { test } = names(ctx);
  return [
    reply.reasoning(`**Running the test**\n\nThe files exist now. \`node ${test}\` will tell me whether the code does what the test expects.`),
    plan(1),
    reply.exec(`node ${test}`, { workdir: ctx.cwd }),
  ];
}

function fix(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  const step = 'running the test the first time';
  if (wasStopped(output)) return reportFailure(ctx, step);
  const code = exitCode(output);
  if (code === 0) {
    return reportFailure(ctx, step, 'says the test passed although `average` has a deliberate bug, so something is not as I expect');
  }
  if (!/AssertionError|ERR_ASSERTION/.test(output)) {
    return reportFailure(ctx, step, 'shows a failure, but not the assertion I expected, so I cannot tell what to fix');
  }
  const actual = /actual:\s*([^,\n]+)/.exec(output)?.[1]?.trim();
  const expected = /expected:\s*([^,\n]+)/.exec(output)?.[1]?.trim();
  const seen =
    actual && expected
      ? `The assertion says \`average([2, 4, 6])\` returned ${actual} where ${expected} was expected.`
      : 'The assertion on `average([2, 4, 6])` failed.';
  const { module } = names(ctx);
  return [
    reply.reasoning(
      `**Reading the failure**\n\nExit code ${code ?? 'non-zero'}. ${seen} The sum is 12 and there are 3 numbers, so dividing by \`numbers.length - 1\` (2) is the bug.`,
    ),
    reply.note(`The test caught a bug: ${seen} I'll fix the division in \`${module}\`.`),
    plan(2),
    reply.patch(ctx, fixPatch(module)),
  ];
}

function rerun(ctx: ScriptContext): Reply {
  if (!/Success/i.test(ctx.lastToolOutput ?? '')) return reportFailure(ctx, 'fixing the bug with `apply_patch`');
  const { test } = names(ctx);
  return [
    reply.reasoning('**Checking the fix**\n\nThe patch applied. Only running the test again shows whether it fixed the problem.'),
    plan(3),
    reply.exec(`node ${test}`, { workdir: ctx.cwd }),
  ];
}

function finishPlan(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  if (exitCode(output) !== 0 || looksFailed(output)) {
    return reportFailure(ctx, 'running the test again', 'still reports a failure');
  }
  return [
    reply.reasoning('**All green**\n\nThe test passes. I mark every step completed before I explain.'),
    reply.call('update_plan', { explanation: 'The test passes after the fix.', plan: STEPS.map((step) => ({ step, status: 'completed' })) }),
  ];
}

function explain(ctx: ScriptContext): Reply {
  const { module, test } = names(ctx);
  const runs = ctx.toolOutputs.filter((output) => /Process exited with code/.test(output));
  const first = runs[runs.length - 2] ?? '';
  const second = runs[runs.length - 1] ?? '';
  const text = [
    `Fixed: \`node ${test}\` failed, I corrected \`average\` in \`${module}\`, and the test now passes:`,
    '',
    fence(commandOutput(second)),
    '',
    '### What just happened',
    '',
    'This turn took **seven requests**. After each one the agent ran my tool calls and appended their outputs to the conversation, and the next request carried all of it back to me:',
    '',
    '1. I set out a plan with `update_plan` and listed the workspace. The plan tool changes nothing in the sandbox: it only records the checklist you see, and I call it again as steps finish.',
    `2. One \`apply_patch\` call added \`${module}\` (with a deliberate bug) and \`${test}\`.`,
    `3. I ran the test. It **failed** with exit code ${exitCode(first) ?? 'non-zero'}:`,
    '',
    fence(commandOutput(first), 600),
    '',
    '4. That failure was not an error of the loop. It came back as an ordinary tool output, so the next request held it, and I answered it: the assertion shows the actual and expected values, which point to the division.',
    '5. I fixed it with an *Update File* hunk (shown below).',
    '6. I ran the test again, and it passed.',
    '7. I marked the plan complete. This message has no tool call, so it ends the turn.',
    '',
    "That is the observe, fix, iterate loop: **tool outputs, failures included, are the model's next input.** A real model does nothing more magical; it reads the output and decides what to do next.",
    '',
    '### Why the patch has context lines',
    '',
    '```diff',
    ...fixPatch(module).split('\n'),
    '```',
    '',
    'Lines starting with a space are *context*: they are not changed, they tell `apply_patch` where the change goes. It looks for them in the file (exactly first, then more leniently about whitespace) instead of trusting line numbers. So the patch still lands if lines above it moved, and it is refused, not misapplied, if the file no longer looks the way the model thinks. It also sends only the lines that change, not the whole file.',
  ].join('\n');
  return [
    reply.reasoning('**Wrapping up**\n\nThe plan is complete. I explain the rounds, the failure that fed the fix, and the patch format.'),
    reply.text(text, { phase: 'final_answer' }),
  ];
}

/** A failure the user caused (declined, interrupted) ends the lesson at any step. */
const stopped = (ctx: ScriptContext) =>
  ctx.lastToolOutput !== undefined && wasStopped(ctx.lastToolOutput) ? reportFailure(ctx, LAST_STEP) : undefined;

export const fixTestLesson = sequence([start, write, runTest, fix, rerun, finishPlan, explain], {
  rules: [stopped],
  after: reply.text(`That was the whole lesson. Send "${FIX_TEST_PROMPT}" to run it again.`),
});
