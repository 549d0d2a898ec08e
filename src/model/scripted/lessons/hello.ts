/**
 * The first demo lesson: look around, write a small program, run it, explain the loop.
 * Four requests for one user turn; every decision is read off the conversation, so the
 * lesson survives retries and reloads. A failed step is reported and the turn ends.
 */
import { addFilePatch, reply, sequence, whenLastOutput } from '../build';
import type { Reply, ScriptContext } from '../types';
import { commandOutput, fence, freeName, LAST_STEP, looksFailed, patchesNewestFirst, reportFailure as reportCommonFailure } from './common';

export { commandOutput, looksFailed } from './common';

/** A prompt the demo suggests; any prompt routed to this lesson works. */
export const HELLO_PROMPT = 'Write a small hello program and run it.';

const PROGRAM = `// Written by Unroll's offline demo model to show the agent loop.
const name = process.argv[2] ?? 'world';
console.log(\`Hello, \${name}!\`);
console.log();

const pad = (value, width) => String(value).padStart(width);
console.log(\`\${pad('n', 3)} | \${pad('n squared', 9)} | \${pad('2^n', 5)}\`);
for (let n = 1; n <= 6; n++) {
  console.log(\`\${pad(n, 3)} | \${pad(n * n, 9)} | \${pad(2 ** n, 5)}\`);
}

let total = 0;
for (let i = 1; i <= 10; i++) total += i;
console.log(\`1 + 2 + ... + 10 = \${total}\`);
`;

/** The file this turn's patch added, read back from the conversation. */
function writtenFile(ctx: ScriptContext): string | undefined {
  for (const patch of patchesNewestFirst(ctx)) {
    const path = /^\*\*\* Add File: (.+)$/m.exec(patch)?.[1];
    if (path) return path.trim();
  }
  return undefined;
}

const STEP_NAMES = ['listing the workspace (`ls -la`)', 'writing the program with `apply_patch`', 'running the program'];

function reportFailure(ctx: ScriptContext): Reply {
  return reportCommonFailure(ctx, STEP_NAMES[ctx.round - 1] ?? LAST_STEP);
}

function lookAround(ctx: ScriptContext): Reply {
  return [
    reply.reasoning("**Getting oriented**\n\nBefore writing anything I'll list the workspace, so I don't clobber an existing file."),
    reply.note("I'll start by looking at what is in the workspace."),
    reply.exec('ls -la', { workdir: ctx.cwd }),
  ];
}

function writeProgram(ctx: ScriptContext): Reply {
  const name = freeName(commandOutput(ctx.lastToolOutput ?? ''), 'hello', '.js');
  const taken = name === 'hello.js' ? '' : ' (`hello.js` is already taken, so I picked another name)';
  return [
    reply.reasoning(
      `**Writing the program**\n\nThe listing came back and \`${name}\` is free, so I'll add a small Node program: a greeting and a table of squares and powers of two.`,
    ),
    reply.note(`Now I'll create \`${name}\`${taken}.`),
    reply.patch(ctx, addFilePatch(name, PROGRAM)),
  ];
}

function runProgram(ctx: ScriptContext): Reply {
  const name = writtenFile(ctx) ?? 'hello.js';
  if (!/Success/i.test(ctx.lastToolOutput ?? '')) return reportFailure(ctx);
  return [
    reply.reasoning(`**Running it**\n\nThe patch applied. Running \`node ${name}\` shows whether the program really works.`),
    reply.exec(`node ${name}`, { workdir: ctx.cwd }),
  ];
}

function explain(ctx: ScriptContext): Reply {
  const name = writtenFile(ctx) ?? 'hello.js';
  const output = commandOutput(ctx.lastToolOutput ?? '');
  const text = [
    `Done: \`${name}\` ran and printed:`,
    '',
    fence(output),
    '',
    '### What just happened',
    '',
    'This turn took **four requests** to the model, and each was a complete round trip:',
    '',
    '1. Your message went out and I answered with an `exec_command` call (`ls -la`) instead of text. The agent ran it in the sandbox and appended the listing to the conversation as a tool output.',
    `2. The whole conversation was sent again, now ending with that listing. I answered with an \`apply_patch\` call adding \`${name}\`; the agent applied it and appended the result.`,
    `3. Same again: I asked to run \`node ${name}\`, and its output went back into the input.`,
    '4. With the program output in front of me I wrote this message. A reply with no tool call ends the turn and hands control back to you.',
    '',
    'Each request resent the entire history, and each began with the previous one byte for byte, so most of every prompt could be served from the prompt cache: compare the cached token counts.',
    '',
    'I am the offline **scripted demo model**: my answers are canned, but the loop, the tools and the sandbox are real.',
  ].join('\n');
  return [
    reply.reasoning('**Wrapping up**\n\nThe program ran cleanly. Time to show its output and explain the four round trips.'),
    reply.text(text, { phase: 'final_answer' }),
  ];
}

export const helloLesson = sequence([lookAround, writeProgram, runProgram, explain], {
  rules: [whenLastOutput(looksFailed, reportFailure)],
  after: reply.text(`That was the whole lesson. Send another message, e.g. "${HELLO_PROMPT}", to run it again.`),
});
