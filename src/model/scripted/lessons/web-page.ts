/**
 * Lesson 5: a small web page, previewed, broken and fixed. The model writes a page (HTML, a
 * TypeScript module, CSS) with a deliberate bug, opens it in the Preview pane (`serve`), reads
 * the page's error from the note the preview appends to its next command's output, patches the
 * bug, and checks that the next output carries no error. Every decision reads the conversation.
 */
import { reply, sequence } from '../build';
import type { Reply, ScriptContext } from '../types';
import { commandOutput, fence, LAST_STEP, looksFailed, patchesNewestFirst, reportFailure, wasStopped } from './common';

export const WEB_PAGE_PROMPT = 'Lesson 5: build a small web page, preview it, break it and fix it.';

const BUGGY_LINE = "const counter = document.querySelector<HTMLElement>('#count')!;";
const FIXED_LINE = "const counter = document.querySelector<HTMLElement>('#counter')!;";
/** The preview's note that the page reported errors (see the app's SitePreview). */
const PREVIEW_ERROR = /The workspace preview \([^)]*\) reported/;

function files(dir: string): string[] {
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="utf-8">',
    '    <title>Clicks</title>',
    '    <link rel="stylesheet" href="style.css">',
    '  </head>',
    '  <body>',
    '    <h1>Clicks: <span id="counter">0</span></h1>',
    '    <button id="more">Click me</button>',
    '    <script type="module" src="main.ts"></script>',
    '  </body>',
    '</html>',
  ];
  const css = [
    'body { font-family: system-ui, sans-serif; margin: 2rem; }',
    'h1 { color: #2c5ea8; }',
    'button { font-size: 1.2rem; padding: 0.4rem 1rem; }',
  ];
  const ts = [
    "// Written by Unroll's offline demo model. The selector on line 3 has a deliberate bug.",
    'let clicks: number = 0;',
    BUGGY_LINE,
    "const button = document.querySelector<HTMLButtonElement>('#more')!;",
    "button.addEventListener('click', () => {",
    '  clicks += 1;',
    '  counter.textContent = String(clicks);',
    '});',
    'counter.textContent = String(clicks);',
    "console.log('the page is ready');",
  ];
  const add = (name: string, lines: string[]) => [`*** Add File: ${dir}/${name}`, ...lines.map((l) => `+${l}`)];
  return ['*** Begin Patch', ...add('index.html', html), ...add('style.css', css), ...add('main.ts', ts), '*** End Patch'];
}

/** The folder this turn's page went into, read back from its patch. */
function folder(ctx: ScriptContext): string {
  for (const patch of patchesNewestFirst(ctx)) {
    const added = /^\*\*\* Add File: (.+)\/index\.html$/m.exec(patch)?.[1];
    if (added) return added.trim();
  }
  return 'clicks';
}

function freeFolder(listing: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'clicks' : `clicks${n}`;
    if (!new RegExp(`(^|\\s)${name}/?$`, 'm').test(listing)) return name;
  }
}

function fixPatch(dir: string): string {
  return [
    '*** Begin Patch',
    `*** Update File: ${dir}/main.ts`,
    '@@',
    ' let clicks: number = 0;',
    `-${BUGGY_LINE}`,
    `+${FIXED_LINE}`,
    '*** End Patch',
  ].join('\n');
}

function start(ctx: ScriptContext): Reply {
  return [
    reply.reasoning('**Planning**\n\nA page in a folder of its own: HTML, a TypeScript module and a stylesheet. I list the workspace first.'),
    reply.note("I'll build a small page. First, what is in the workspace?"),
    reply.exec('ls -la', { workdir: ctx.cwd }),
  ];
}

function write(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  if (looksFailed(output)) return reportFailure(ctx, 'listing the workspace (`ls -la`)');
  const dir = freeFolder(commandOutput(output));
  return [
    reply.reasoning(
      `**Writing the page**\n\n\`${dir}/\` is free. One patch adds the three files; the module looks up \`#count\`, which the page does not have.`,
    ),
    reply.note(`I'll add \`${dir}/index.html\`, \`${dir}/style.css\` and \`${dir}/main.ts\`, a click counter.`),
    reply.patch(ctx, files(dir).join('\n')),
  ];
}

function serve(ctx: ScriptContext): Reply {
  if (!/Success/i.test(ctx.lastToolOutput ?? '')) return reportFailure(ctx, 'writing the page with `apply_patch`');
  const dir = folder(ctx);
  return [
    reply.reasoning('**Previewing**\n\n`serve` opens the folder in the Preview pane: the page runs there, its TypeScript compiled as it is served.'),
    reply.exec(`serve ${dir}`, { workdir: ctx.cwd }),
  ];
}

function look(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  if (wasStopped(output)) return reportFailure(ctx, 'opening the preview');
  return [
    reply.reasoning(
      "**Waiting for the page**\n\nErrors of the previewed page reach me with my next command's output, so I run a short one after the page had a moment to load.",
    ),
    reply.exec('sleep 1 && echo checked the preview', { workdir: ctx.cwd }),
  ];
}

function fix(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  if (wasStopped(output)) return reportFailure(ctx, 'checking the preview');
  const dir = folder(ctx);
  const saw = PREVIEW_ERROR.test(output);
  const seen = saw
    ? 'The preview reported an error with that output: the module found no element for `#count` (the page calls it `#counter`).'
    : 'No error reached me (is the Preview pane open?), but I know where it is: the module looks up `#count`, and the page calls it `#counter`.';
  return [
    reply.reasoning(`**Reading the error**\n\n${seen} One line to patch.`),
    reply.note(saw ? 'The page broke: it looks up an element that does not exist. Fixing the selector.' : 'Fixing the selector the page needs.'),
    reply.patch(ctx, fixPatch(dir)),
  ];
}

function check(ctx: ScriptContext): Reply {
  if (!/Success/i.test(ctx.lastToolOutput ?? '')) return reportFailure(ctx, 'fixing the selector with `apply_patch`');
  return [
    reply.reasoning(
      '**Checking the fix**\n\nThe preview reloads by itself when a file changes. Another short command: its output should carry no error now.',
    ),
    reply.exec('sleep 1 && echo checked the preview again', { workdir: ctx.cwd }),
  ];
}

function explain(ctx: ScriptContext): Reply {
  const output = ctx.lastToolOutput ?? '';
  const dir = folder(ctx);
  const clean = !PREVIEW_ERROR.test(output);
  const outputs = ctx.toolOutputs.filter((o) => /checked the preview/.test(o));
  const first = outputs[outputs.length - 2] ?? '';
  const text = [
    clean
      ? `The page in \`${dir}/\` works: the counter counts, and the preview's console shows no error since the fix.`
      : `I patched the selector, but the preview still reports an error:\n\n${fence(commandOutput(output))}`,
    '',
    '### What just happened',
    '',
    `1. One \`apply_patch\` call added \`${dir}/index.html\`, \`${dir}/style.css\` and \`${dir}/main.ts\`, with a deliberate bug: the module looks up \`#count\`.`,
    `2. \`serve ${dir}\` opened the folder in the **Preview** pane. No server runs: the app reads each file from the workspace, compiles the TypeScript as it serves it, and shows the page in an isolated frame.`,
    '3. The page threw. Its console (under the preview) showed the error with its file and line, and the app appended it to the output of my next command:',
    '',
    fence(commandOutput(first) || '(no output)', 800),
    '',
    '4. I patched one line. The preview reloaded by itself when the file changed.',
    "5. My next command's output carried no error: the console is clean.",
    '',
    'Nothing here is special to web pages: what happens in the preview reaches the model the same way everything does, **as input to its next request**, appended, never edited into what it was sent before.',
  ].join('\n');
  return [reply.reasoning('**Wrapping up**\n\nThe page works. I explain the loop through the preview.'), reply.text(text, { phase: 'final_answer' })];
}

const stopped = (ctx: ScriptContext) =>
  ctx.lastToolOutput !== undefined && wasStopped(ctx.lastToolOutput) ? reportFailure(ctx, LAST_STEP) : undefined;

export const webPageLesson = sequence([start, write, serve, look, fix, check, explain], {
  rules: [stopped],
  after: reply.text(`That was the whole lesson. Send "${WEB_PAGE_PROMPT}" to run it again.`),
});
