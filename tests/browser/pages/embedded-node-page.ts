/**
 * Harness for tests/browser/embedded-node.spec.ts: runs `node` commands in a real embedded
 * sandbox in the page and publishes what happened on `window.__embeddedNode` — each command's
 * output and exit code, the workspace changes it made, and which QuickJS files the page had
 * fetched before the first `node` run (resource timing), to show they load lazily.
 */
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';

export interface NodeRun {
  command: string;
  stdout: string;
  stderr: string;
  exitCode: number;
  ms: number;
}

export interface EmbeddedNodeState {
  status: 'running' | 'done' | 'error';
  error?: string;
  /** QuickJS resources (the .wasm, its loader) fetched before any `node` ran. */
  quickjsBefore: string[];
  runs: NodeRun[];
  changes: string[];
  /** The workspace's hello-out.txt after the runs, read through the sandbox fs API. */
  written: string | null;
}

declare global {
  interface Window {
    __embeddedNode?: EmbeddedNodeState;
  }
}

const FILES = {
  'hello.js': "const { greet } = require('./lib/greet');\nconsole.log(greet(process.argv[2] ?? 'world'));\n",
  'lib/greet.js': "const data = require('../data.json');\nexports.greet = (name) => data.greeting + ', ' + name + '!';\n",
  'data.json': '{ "greeting": "Hello" }\n',
  'write.js': "require('fs').writeFileSync('hello-out.txt', 'written by node\\n');\n",
  'esm.mjs': "import { basename } from 'node:path';\nawait null;\nconsole.log(basename(import.meta.url));\n",
  'boom.js': "function explode() {\n  throw new Error('boom');\n}\nexplode();\n",
};

const COMMANDS = [
  'node hello.js',
  'node hello.js Chromium',
  'node write.js',
  'node esm.mjs',
  'node boom.js',
  'node -p "[1, 2, 3].map((n) => n * 2)"',
];

const quickjsResources = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /emscripten-module|quickjs|\.wasm/.test(name));

const state: EmbeddedNodeState = { status: 'running', quickjsBefore: quickjsResources(), runs: [], changes: [], written: null };
window.__embeddedNode = state;

function show(run: NodeRun): void {
  const pre = document.createElement('pre');
  pre.textContent = `$ ${run.command}   [exit ${run.exitCode}, ${run.ms} ms]\n${run.stdout}${run.stderr}`;
  document.getElementById('runs')?.append(pre);
}

async function main(): Promise<void> {
  const sandbox = createEmbeddedSandbox({ files: FILES });
  sandbox.fs.watch((change) => state.changes.push(`${change.kind} ${change.path}`));
  for (const command of COMMANDS) {
    const started = performance.now();
    const { stdout, stderr, exitCode } = await sandbox.bash.exec(command);
    const run = { command, stdout, stderr, exitCode, ms: Math.round(performance.now() - started) };
    state.runs.push(run);
    show(run);
  }
  state.written = await sandbox.fs.readFile('hello-out.txt').catch(() => null);
}

main().then(
  () => {
    state.status = 'done';
    window.__embeddedNode = { ...state };
    const summary = document.getElementById('summary');
    if (summary) summary.textContent = `done: ${state.runs.length} runs`;
  },
  (err: unknown) => {
    state.status = 'error';
    state.error = err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
    window.__embeddedNode = { ...state };
  },
);
