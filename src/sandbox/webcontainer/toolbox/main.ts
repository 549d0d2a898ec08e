/**
 * The toolbox: bash and its tools in a WebContainer, which has neither (its shell, jsh, has no
 * functions, no grep, sed, find, wc, sleep, diff…). This file is bundled for Node at build
 * time and written into the container after boot, outside the workspace; the sandbox runs
 * every agent command as `node toolbox.mjs -c '<command>'`, and small scripts on the PATH
 * (`bash`, `grep`, `rg`, …) start it for the person's terminal.
 *
 *   node toolbox.mjs [--stdin-base64 B64] -c SCRIPT   run SCRIPT with bash syntax
 *   node toolbox.mjs --as NAME [ARGS…]                run one tool (how the PATH scripts call it)
 *   node toolbox.mjs --probe                           print which real programs exist, as JSON
 *   node toolbox.mjs --install DIR                     move into DIR, add DIR/bin, then probe
 *
 * just-bash runs the script over the real filesystem (real-fs.ts); real programs are handed
 * off to child processes (handoff.ts); a command line that is one program runs as that program
 * on this terminal (direct.ts).
 */
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolvePath } from 'node:path';
import { Bash, getCommandNames, parse } from 'just-bash';
import { directRun, type DirectRun } from './direct';
import { ALWAYS_HANDED_OFF, children, handOffCommand, programsOnPath, startProgram, whichCommand, type HandOffContext } from './handoff';
import { realFilesystem } from './real-fs';

/** What the probe asks about: the programs the sandbox notes name. */
export const PROBED = ['node', 'npm', 'npx', 'pnpm', 'yarn', 'python3', 'pip', 'git', 'curl', 'jq'];
/** The names the PATH scripts provide (the person's terminal in a WebContainer lacks them). */
export const TOOL_NAMES = [
  'bash',
  'sh',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'sed',
  'awk',
  'find',
  'xargs',
  'wc',
  'diff',
  'sleep',
  'tr',
  'cut',
  'uniq',
  'tee',
  'seq',
  'sort',
  'head',
  'tail',
  'basename',
  'dirname',
  'date',
  'tree',
  'du',
  'stat',
  'file',
];

/** Found on a PATH but answered by the toolbox itself. */
const OWN_ANSWER = new Set(['which', 'bash', 'sh']);

interface Invocation {
  script: string;
  stdin?: string;
}

function invocation(argv: string[]): Invocation | 'probe' | string {
  if (argv[0] === '--probe') return 'probe';
  if (argv[0] === '--install') return `install:${argv[1] ?? ''}`;
  let stdin: string | undefined;
  if (argv[0] === '--stdin-base64') {
    stdin = Buffer.from(argv[1] ?? '', 'base64').toString('utf8');
    argv = argv.slice(2);
  }
  if (argv[0] === '-c' && argv[1] !== undefined) return { script: argv[1], ...(stdin !== undefined ? { stdin } : {}) };
  if (argv[0] === '--as' && argv[1]) {
    const [, name, ...args] = argv;
    if ((name === 'bash' || name === 'sh') && args[0] === '-c' && args[1] !== undefined) return { script: args[1] };
    if (name === 'bash' || name === 'sh') return { script: args.length > 0 ? args.map(quote).join(' ') : '' };
    return { script: [name, ...args].map(quote).join(' ') };
  }
  return 'usage: toolbox.mjs [--stdin-base64 B64] -c SCRIPT | --as NAME [ARGS…] | --probe | --install DIR';
}

function quote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The programs handed off: the fixed list and whatever else is on PATH that just-bash lacks. */
function handedOff(context: HandOffContext): Set<string> {
  const own = new Set<string>(getCommandNames());
  const names = new Set(ALWAYS_HANDED_OFF);
  for (const name of (context.programs ??= programsOnPath(context.realPath))) {
    if (!own.has(name) && !OWN_ANSWER.has(name) && /^[A-Za-z0-9_.+-]+$/.test(name)) names.add(name);
  }
  if (context.programs.has('jsh') || context.programs.has('curl')) names.add('curl');
  return names;
}

function runDirect(run: DirectRun, stdin: string | undefined, context: HandOffContext): Promise<number> {
  for (const dir of run.cds) {
    const target = resolvePath(process.cwd(), dir || process.env.HOME || '/');
    try {
      process.chdir(target);
    } catch {
      process.stderr.write(`bash: cd: ${dir}: No such file or directory\n`);
      return Promise.resolve(1);
    }
  }
  return new Promise((done) => {
    const env = { ...process.env, ...run.env, PATH: context.realPath };
    const child = startProgram(run.program, run.args, { stdio: [stdin === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'], env }, context);
    if (stdin !== undefined) {
      child.stdin?.on('error', () => {});
      child.stdin?.end(stdin);
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(`bash: ${run.program}: ${error.code === 'ENOENT' ? 'command not found' : error.message}\n`);
      done(error.code === 'ENOENT' ? 127 : 126);
    });
    child.on('close', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });
}

async function runScript(job: Invocation, context: HandOffContext): Promise<number> {
  const programs = handedOff(context);
  const abort = new AbortController();
  process.on('SIGINT', () => {
    abort.abort();
    for (const child of children) child.kill('SIGINT');
    process.exit(130);
  });
  let ast;
  try {
    ast = parse(job.script);
  } catch {
    ast = undefined; // just-bash reports the syntax error itself
  }
  const direct = ast && directRun(ast, programs);
  if (direct) return runDirect(direct, job.stdin, context);
  const bash = new Bash({
    fs: realFilesystem([...getCommandNames(), ...programs]),
    cwd: process.cwd(),
    env: { ...(process.env as Record<string, string>), PATH: '/usr/bin:/bin', SHELL: '/bin/bash' },
    customCommands: [...[...programs].map((name) => handOffCommand(name, context)), whichCommand(programs, context)],
  });
  const stdin = job.stdin ?? (await readStdin());
  const result = await bash.exec(job.script, { stdin, signal: abort.signal, rawScript: true });
  process.stdout.write(Buffer.from(result.stdout, result.stdoutKind === 'bytes' ? 'latin1' : 'utf8'));
  process.stderr.write(result.stderr);
  return result.exitCode;
}

/**
 * Which of PROBED exist: as files on the PATH, or else as commands of the runtime's own shell
 * (asked with its `which`, where there is a jsh).
 */
async function probe(context: HandOffContext): Promise<Record<string, boolean>> {
  const onPath = (context.programs ??= programsOnPath(context.realPath));
  const present = Object.fromEntries(PROBED.map((name) => [name, onPath.has(name)]));
  const unknown = PROBED.filter((name) => !present[name]);
  if (unknown.length > 0 && onPath.has('jsh')) {
    const answer = await new Promise<string>((done) => {
      let text = '';
      const child = startProgram('jsh', ['-c', unknown.map((name) => `which ${name}`).join('; ')], { stdio: ['ignore', 'pipe', 'ignore'] }, context);
      const timer = setTimeout(() => child.kill(), 5000);
      child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.on('error', () => done(''));
      child.on('close', () => {
        clearTimeout(timer);
        done(text);
      });
    });
    for (const line of answer.split(/\r?\n/)) {
      const name = line.trim().split('/').pop();
      if (name && unknown.includes(name) && line.includes('/')) present[name] = true;
    }
  }
  return present;
}

/**
 * Installs the toolbox into `dir` (outside the workspace): this file becomes `dir/toolbox.mjs`
 * (the copy it was started from, staged in the workspace, is removed), `dir/bin` gets one
 * script per tool that starts it as `--as NAME`, and the probe's answer is printed as the last
 * line: `{"entry", "bin", "present"}`.
 */
async function install(dir: string, context: HandOffContext): Promise<number> {
  if (!dir.startsWith('/')) {
    process.stderr.write('toolbox: --install needs an absolute directory\n');
    return 2;
  }
  const self = fileURLToPath(import.meta.url);
  const entry = `${dir}/toolbox.mjs`;
  const bin = `${dir}/bin`;
  mkdirSync(bin, { recursive: true });
  if (self !== entry) {
    copyFileSync(self, entry);
    rmSync(self, { force: true });
  }
  for (const name of TOOL_NAMES) {
    const file = `${bin}/${name}`;
    writeFileSync(
      file,
      `#!/usr/bin/env node\nprocess.argv.splice(2, 0, '--as', ${JSON.stringify(name)});\nimport(${JSON.stringify(pathToFileURL(entry).href)});\n`,
    );
    chmodSync(file, 0o755);
  }
  process.stdout.write(`${JSON.stringify({ entry, bin, present: await probe(context) })}\n`);
  return 0;
}

async function main(): Promise<number> {
  const context: HandOffContext = { realPath: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  const job = invocation(process.argv.slice(2));
  if (job === 'probe') {
    process.stdout.write(`${JSON.stringify({ present: await probe(context) })}\n`);
    return 0;
  }
  if (typeof job === 'string' && job.startsWith('install:')) return install(job.slice('install:'.length), context);
  if (typeof job === 'string') {
    process.stderr.write(`${job}\n`);
    return 2;
  }
  return runScript(job, context);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`toolbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
