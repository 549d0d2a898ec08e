/**
 * The first demo lesson: look around, write a small program, run it, explain the loop.
 * Four requests for one user turn; every decision is read off the conversation, so the
 * lesson survives retries and reloads. A failed step is reported and the turn ends.
 */
import { addFilePatch, reply, sequence, whenLastOutput } from '../build';
import type { Reply, ScriptContext } from '../types';

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

/** True when a tool output reports a failure: a non-zero exit, a refusal, an abort or an error. */
export function looksFailed(output: string): boolean {
  const exit = /Process exited with code (-?\d+)/.exec(output) ?? /"exit_code"\s*:\s*(-?\d+)/.exec(output);
  if (exit && exit[1] !== '0') return true;
  return /^\s*(aborted|exec command rejected|error|failed|failure|invalid|unknown|rejected|apply_patch verification failed)\b/i.test(
    output,
  );
}

/** The text after the `Output:` line of an exec_command result (the whole text if absent). */
export function commandOutput(output: string): string {
  const marker = /^Output:\n?/m.exec(output);
  const body = marker ? output.slice(marker.index + marker[0].length) : output;
  return body.replace(/\s+$/, '');
}

/** The file this turn's patch added, read back from the conversation. */
function writtenFile(ctx: ScriptContext): string | undefined {
  for (let i = ctx.input.length - 1; i >= 0; i--) {
    const item = ctx.input[i];
    if (!item) continue;
    let patch: string | undefined;
    if (item.type === 'custom_tool_call' && item.name === 'apply_patch') patch = item.input;
    if (item.type === 'function_call' && item.name === 'apply_patch') {
      try {
        patch = String((JSON.parse(item.arguments) as { input?: unknown }).input ?? '');
      } catch {
        patch = undefined;
      }
    }
    const path = patch && /^\*\*\* Add File: (.+)$/m.exec(patch)?.[1];
    if (path) return path.trim();
  }
  return undefined;
}

/** `hello.js`, or `hello2.js`, … when the listing shows that name is taken. */
function freeName(listing: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'hello.js' : `hello${n}.js`;
    if (!new RegExp(`(^|\\s)${name.replace('.', '\\.')}$`, 'm').test(listing)) return name;
  }
}

function fence(text: string): string {
  const clipped = text.length > 1500 ? `${text.slice(0, 1500)}\n…` : text;
  return `\`\`\`text\n${clipped || '(no output)'}\n\`\`\``;
}

const STEP_NAMES = ['listing the workspace (`ls -la`)', 'writing the program with `apply_patch`', 'running the program'];

function reportFailure(ctx: ScriptContext): Reply {
  const step = STEP_NAMES[ctx.round - 1] ?? 'the last step';
  const output = ctx.lastToolOutput ?? '';
  const declined = /rejected|declined/i.test(output);
  const aborted = /^\s*aborted/i.test(output);
  const why = declined
    ? 'The command was not approved, so I will not try to work around that.'
    : aborted
      ? 'The step was interrupted before it finished.'
      : 'Rather than guess at a fix, I am stopping here so you can see exactly what happened.';
  return [
    reply.reasoning(`**Step failed**\n\nThe tool output for ${step} reports a failure; continuing would build on a broken step.`),
    reply.text(
      `Something went wrong while ${step}. ${why}\n\nThe tool returned:\n\n${fence(commandOutput(output))}\n\n` +
        'That output was appended to the conversation like any other tool result and sent back to me in this request: ' +
        'a failing tool does not break the loop, it is just more input for the model to react to.',
      { phase: 'final_answer' },
    ),
  ];
}

function lookAround(ctx: ScriptContext): Reply {
  return [
    reply.reasoning("**Getting oriented**\n\nBefore writing anything I'll list the workspace, so I don't clobber an existing file."),
    reply.note("I'll start by looking at what is in the workspace."),
    reply.exec('ls -la', { workdir: ctx.cwd }),
  ];
}

function writeProgram(ctx: ScriptContext): Reply {
  const name = freeName(commandOutput(ctx.lastToolOutput ?? ''));
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
