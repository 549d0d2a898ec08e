/**
 * `npm run model-server -- [--port N] [--host H] [--lesson NAME] [--delay MS] [--key KEY]
 * [--context-window TOKENS] [--no-compact] [--no-deltas]`: serves the scripted model as an
 * OpenAI-compatible endpoint until interrupted.
 */
import { parseArgs } from 'node:util';
import { demoScript, lessons } from '../src/model/scripted/index';
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
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const names = ['demo', ...Object.keys(lessons)];
if (values.help) {
  process.stdout.write(
    'Usage: npm run model-server -- [--port N] [--host H] [--lesson NAME] [--delay MS] [--key KEY]\n' +
      '                               [--context-window TOKENS] [--no-compact] [--no-deltas]\n' +
      `Lessons: ${names.join(', ')} (demo routes each prompt to a lesson or explains itself)\n` +
      '--context-window refuses longer requests with context_length_exceeded; --no-compact\n' +
      'answers 404 on /responses/compact, as servers without it do; --no-deltas streams whole\n' +
      'items only (output_item.added/.done, no *.delta events), as some servers do.\n',
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
  ...(values['no-deltas'] ? { noDeltas: true } : {}),
});
process.stdout.write(`Scripted model (${values.lesson}) listening at ${server.url}\n`);
process.stdout.write('Point a client at that base URL with any model name; Ctrl+C to stop.\n');

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
