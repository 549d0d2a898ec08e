/**
 * `npm run model-server -- [--port N] [--host H] [--lesson NAME] [--delay MS] [--key KEY]
 * [--context-window TOKENS] [--no-compact] [--no-deltas] [--no-usage] [--no-completed]
 * [--reject-custom-tools] [--no-reasoning-items] [--error-shape=openai|llama|plain|vllm|html]`:
 * serves the scripted model as an OpenAI-compatible endpoint until interrupted, optionally
 * behaving like another server (src/model/scripted/quirks.ts).
 */
import { parseArgs } from 'node:util';
import { demoScript, lessons } from '../src/model/scripted/index';
import { ERROR_SHAPES, type ErrorShape } from '../src/model/scripted/quirks';
import { startScriptedServer } from '../src/model/scripted/server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    lesson: { type: 'string', default: 'demo' },
    delay: { type: 'string', default: '10' },
    key: { type: 'string' },
    'context-window': { type: 'string' },
    'no-compact': { type: 'boolean', default: false },
    'no-deltas': { type: 'boolean', default: false },
    'no-usage': { type: 'boolean', default: false },
    'no-completed': { type: 'boolean', default: false },
    'reject-custom-tools': { type: 'boolean', default: false },
    'no-reasoning-items': { type: 'boolean', default: false },
    'error-shape': { type: 'string', default: 'openai' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const names = ['demo', ...Object.keys(lessons)];
if (values.help) {
  process.stdout.write(
    'Usage: npm run model-server -- [--port N] [--host H] [--lesson NAME] [--delay MS] [--key KEY]\n' +
      '                               [--context-window TOKENS] [--no-compact] [--no-deltas] [--no-usage]\n' +
      '                               [--no-completed] [--reject-custom-tools] [--no-reasoning-items]\n' +
      '                               [--error-shape=openai|llama|plain|vllm|html]\n' +
      `Lessons: ${names.join(', ')} (demo routes each prompt to a lesson or explains itself)\n` +
      '--context-window refuses longer requests with context_length_exceeded; --no-compact\n' +
      'answers 404 on /responses/compact, as servers without it do; --no-deltas streams whole\n' +
      'items only (output_item.added/.done, no *.delta events), as some servers do; --no-usage\n' +
      'sends usage: null; --no-completed ends streams without response.completed;\n' +
      '--reject-custom-tools answers 400 to non-function tools (as llama.cpp does);\n' +
      '--no-reasoning-items answers 400 to include, reasoning and reasoning input items;\n' +
      '--error-shape writes error bodies as that server does (html: a proxy page).\n',
  );
  process.exit(0);
}

const script = values.lesson === 'demo' ? demoScript : lessons[values.lesson];
if (!script) {
  process.stderr.write(`Unknown lesson "${values.lesson}". Known: ${names.join(', ')}\n`);
  process.exit(2);
}
const port = Number(values.port);
const delay = Number(values.delay);
if (!Number.isInteger(port) || port < 0 || !Number.isFinite(delay) || delay < 0) {
  process.stderr.write('--port must be an integer >= 0 and --delay a number >= 0\n');
  process.exit(2);
}
const errorShape = values['error-shape'] as ErrorShape;
if (!ERROR_SHAPES.includes(errorShape)) {
  process.stderr.write(`--error-shape must be one of ${ERROR_SHAPES.join(', ')}\n`);
  process.exit(2);
}
const contextWindow = values['context-window'] === undefined ? undefined : Number(values['context-window']);
if (contextWindow !== undefined && (!Number.isInteger(contextWindow) || contextWindow < 1)) {
  process.stderr.write('--context-window must be a positive integer (tokens)\n');
  process.exit(2);
}

const server = await startScriptedServer({
  script,
  port,
  host: values.host,
  eventDelayMs: delay,
  ...(values.key === undefined ? {} : { requireKey: values.key }),
  ...(contextWindow === undefined ? {} : { contextWindow }),
  ...(values['no-compact'] ? { compactEndpoint: false } : {}),
  quirks: {
    noDeltas: values['no-deltas'],
    noUsage: values['no-usage'],
    noCompleted: values['no-completed'],
    rejectCustomTools: values['reject-custom-tools'],
    noReasoningItems: values['no-reasoning-items'],
    errorShape,
  },
});
process.stdout.write(`Scripted model (${values.lesson}) listening at ${server.url}\n`);
process.stdout.write('Point a client at that base URL with any model name; Ctrl+C to stop.\n');

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
