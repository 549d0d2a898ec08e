/**
 * One `node` run in the embedded sandbox: the filesystem mirror is loaded, a fresh QuickJS
 * context gets the guest runtime (guest-*.ts), the entry runs (a file, `-e`/`-p` code or
 * stdin), then promise jobs and timers until nothing is left, `process.exit`, an uncaught
 * error or a limit; the script's writes are replayed on `ctx.fs` as it goes.
 *
 * Contract: never rejects; the result is the command's stdout, stderr and exit code —
 * 0/`process.exitCode`/`process.exit(n)`, 1 for an uncaught error, the heap or the output
 * limit, 124 for the time limit, 130 when the command's AbortSignal fired. A script that
 * loops without returning runs on the caller's thread until the time limit (QuickJS cannot
 * yield mid-script); between jobs and timers the run lets the page breathe every 50 ms.
 */
import type { ExecResult, ResolvedCommandContext } from 'just-bash';
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { NODE_VERSION, QUICKJS_VERSION, stdinText } from './args';
import { importMeta, installModuleLoader } from './esm';
import { runFsOp } from './fs-bridge';
import { FsMirror } from './fs-mirror';
import { GUEST_ASSERT } from './guest-assert';
import { GUEST_FS } from './guest-fs';
import { GUEST_MODULES } from './guest-modules';
import { GUEST_BOOT, GUEST_PROCESS } from './guest-process';
import { ESM_SYNTAX, GUEST_REQUIRE } from './guest-require';
import { GUEST_UTIL } from './guest-util';
import { installHost, type HostState } from './host';
import { discardEngine, loadEngine, releaseEngine } from './quickjs';

export interface NodeRunOptions {
  /** Wall-clock limit for one run; default 10 s, and never above just-bash's `maxJsTimeoutMs`. */
  timeoutMs?: number;
  /** QuickJS heap limit; default 64 MB. */
  memoryLimitBytes?: number;
}

export type NodeEntry =
  | { kind: 'file'; path: string; args: string[] }
  | { kind: 'code'; name: '[eval]' | '[stdin]'; code: string; print: boolean; args: string[] };

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;
/** QuickJS's own stack limit (~1,300 nested calls): well inside what V8 gives wasm on a ~1 MB thread stack. */
const MAX_STACK_BYTES = 256 * 1024;
const MAX_OUTPUT_CHARS = 16 * 1024 * 1024;
const PAUSE_EVERY_MS = 50;
/** CommonJS wrapper; on one line with the source's first line, so line numbers stay right. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';
const GUEST: [string, string][] = [
  ['boot', GUEST_BOOT],
  ['util', GUEST_UTIL],
  ['process', GUEST_PROCESS],
  ['modules', GUEST_MODULES],
  ['assert', GUEST_ASSERT],
  ['fs', GUEST_FS],
  ['require', GUEST_REQUIRE],
];

const topDir = (path: string) => `/${path.split('/')[1] ?? ''}`;

export async function runNode(entry: NodeEntry, ctx: ResolvedCommandContext, options: NodeRunOptions = {}): Promise<ExecResult> {
  const timeoutMs = Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, ctx.limits?.maxJsTimeoutMs ?? Infinity);
  const memoryLimit = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  const state: HostState = {
    stdout: '',
    stderr: '',
    maxOutput: Math.min(MAX_OUTPUT_CHARS, ctx.limits?.maxOutputSize ?? Infinity),
    sources: new Map(),
  };
  const env = ctx.exportedEnv ?? Object.fromEntries(ctx.env);
  let engine: QuickJSWASMModule;
  let mirror: FsMirror;
  try {
    const roots = [topDir(ctx.cwd), '/tmp', env.HOME ?? '/home/user', ...(entry.kind === 'file' ? [topDir(entry.path)] : [])];
    [engine, mirror] = await Promise.all([loadEngine(), FsMirror.load(ctx.fs, roots)]);
  } catch (err) {
    return { stdout: '', stderr: `node: could not start: ${err instanceof Error ? err.message : String(err)}\n`, exitCode: 1 };
  }
  const context = engine.newContext();
  const deadline = Date.now() + timeoutMs;
  try {
    context.runtime.setMemoryLimit(memoryLimit);
    context.runtime.setMaxStackSize(MAX_STACK_BYTES);
    context.runtime.setInterruptHandler(() => {
      if (state.exitCode !== undefined || state.stop !== undefined) return true;
      if (ctx.signal?.aborted) state.stop = 'abort';
      else if (Date.now() > deadline) state.stop = 'timeout';
      return state.stop !== undefined;
    });
    installHost(context, state, {
      fs: (op, args) => runFsOp(mirror, op, args),
      compile: (source, filename) => context.evalCode(WRAPPER_START + source + WRAPPER_END, filename),
      stdin: () => stdinText(ctx.stdin),
    });
    for (const [name, code] of GUEST) context.unwrapResult(context.evalCode(code, `node:internal/${name}`)).dispose();
    const run = new Run(context, state, mirror, deadline, ctx.signal);
    const setup = {
      cwd: ctx.cwd,
      argv: entry.kind === 'file' ? ['node', entry.path, ...entry.args] : ['node', ...entry.args],
      env,
      version: NODE_VERSION,
      versions: { node: NODE_VERSION.slice(1).replace(/-.*/, ''), quickjs: QUICKJS_VERSION },
      memoryLimit,
      wrapperLength: WRAPPER_START.length,
    };
    run.guest(`__unroll.setup(${JSON.stringify(setup)})`);
    run.start(entry, ctx.cwd);
    await run.loop();
    if (state.exitCode === undefined && state.stop === undefined) {
      const code = run.guest('__unroll.finish()', (h) => context.getNumber(h));
      if (state.exitCode === undefined && state.stop === undefined) state.exitCode = code ?? 0;
    }
  } catch (err) {
    // A host-side failure (the wasm stack overflowed, a library invariant broke): drop the engine.
    discardEngine(engine);
    const message = err instanceof Error ? err.message : String(err);
    state.stderr += /call stack/i.test(message)
      ? 'node: stack overflow in QuickJS (the script recursed too deeply)\n'
      : `node: internal error: ${message}\n`;
    state.exitCode = 1;
  } finally {
    try {
      context.dispose();
      releaseEngine(engine);
    } catch {
      discardEngine(engine);
    }
  }
  const failure = await mirror.flush();
  if (failure) {
    state.stderr += `node: could not save a change: ${failure}\n`;
    if (!state.exitCode) state.exitCode = 1;
  }
  return finish(state, timeoutMs, memoryLimit);
}

function finish(state: HostState, timeoutMs: number, memoryLimit: number): ExecResult {
  const note = (text: string, exitCode: number): ExecResult => {
    const sep = state.stderr && !state.stderr.endsWith('\n') ? '\n' : '';
    return { stdout: state.stdout, stderr: `${state.stderr}${sep}${text}\n`, exitCode };
  };
  const seconds = timeoutMs / 1000;
  switch (state.stop) {
    case 'timeout':
      return note(`node: timed out after ${seconds} s (the embedded sandbox stops a node run after ${seconds} s)`, 124);
    case 'abort':
      return note('node: interrupted', 130);
    case 'output':
      return note(`node: output limit reached (${Math.round(state.maxOutput / (1024 * 1024))} MB); stopped`, 1);
    case 'memory':
      return note(`node: JavaScript heap out of memory (the embedded sandbox gives node ${Math.round(memoryLimit / (1024 * 1024))} MB)`, 1);
    default:
      return { stdout: state.stdout, stderr: state.stderr, exitCode: state.exitCode ?? 0 };
  }
}

/** The event loop of one run. Host calls into guest code go through `guest`, which reports what it throws. */
class Run {
  private lastPause = Date.now();

  constructor(
    private readonly context: QuickJSContext,
    private readonly state: HostState,
    private readonly mirror: FsMirror,
    private readonly deadline: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  private get stopped(): boolean {
    return this.state.exitCode !== undefined || this.state.stop !== undefined;
  }

  /** Evaluates `code`; an uncaught error is reported and answers undefined. */
  guest<T>(code: string, read?: (value: QuickJSHandle) => T): T | undefined {
    const result = this.context.evalCode(code, 'node:internal/host');
    if (result.error) {
      this.uncaught(result.error);
      return undefined;
    }
    try {
      return read?.(result.value);
    } finally {
      result.value.dispose();
    }
  }

  /** Hands `value` to guest code as its argument `v`. */
  private withValue(value: QuickJSHandle, code: string): void {
    this.context.setProp(this.context.global, '__unroll_value', value);
    value.dispose();
    this.guest(`(function (v) { delete globalThis.__unroll_value; ${code} })(globalThis.__unroll_value)`);
  }

  start(entry: NodeEntry, cwd: string): void {
    if (entry.kind === 'code') {
      this.guest(`__unroll.prepareEval(${JSON.stringify(entry.name)}, ${JSON.stringify(entry.code)})`);
      if (this.stopped) return;
      const result = this.context.evalCode(entry.code, entry.name);
      if (result.error) return this.uncaught(result.error);
      if (!entry.print) return result.value.dispose();
      return this.withValue(result.value, '__unroll.printResult(v);');
    }
    const source = entry.path.endsWith('.cjs') ? '' : new TextDecoder().decode(this.mirror.read(entry.path));
    if (!entry.path.endsWith('.mjs') && !ESM_SYNTAX.test(source)) {
      this.guest(`__unroll.runMain(${JSON.stringify(entry.path)})`);
      return;
    }
    const builtinExports =
      this.guest(
        'JSON.stringify(Object.fromEntries(Object.keys(__unroll.builtins).map(function (k) { return [k, Object.keys(__unroll.builtins[k])]; })))',
        (h) => JSON.parse(this.context.getString(h)) as Record<string, string[]>,
      ) ?? {};
    this.state.sources.set(entry.path, source);
    installModuleLoader(this.context, { mirror: this.mirror, cwd, builtinExports, sources: this.state.sources });
    const result = this.context.evalCode(importMeta(entry.path) + source.replace(/^#!.*/, ''), entry.path, { type: 'module' });
    if (result.error) return this.uncaught(result.error);
    // A module's evaluation is a promise (top-level await); it settles as the jobs run.
    this.withValue(result.value, 'if (v instanceof Promise) v.catch(function (e) { __unroll.fatal(e); });');
  }

  /** Promise jobs first, then the next timer, until neither is left or the run stopped. */
  async loop(): Promise<void> {
    while (!this.stopped) {
      if (Date.now() - this.lastPause >= PAUSE_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        this.lastPause = Date.now();
        if (this.signal?.aborted) this.state.stop = 'abort';
        else if (Date.now() > this.deadline) this.state.stop = 'timeout';
        if (this.stopped) return;
      }
      await this.mirror.flush().then((failure) => {
        if (failure) this.state.stderr += `node: could not save a change: ${failure}\n`;
      });
      const jobs = this.context.runtime.executePendingJobs(1);
      if (jobs.error) {
        this.uncaught(jobs.error);
        continue;
      }
      if (jobs.value > 0) continue;
      if (this.guest('__unroll.runTimer()', (h) => this.context.dump(h) === true) !== true) return;
    }
  }

  /** Reports an error that reached the host and stops the run (the guest prints it like Node). */
  private uncaught(error: QuickJSHandle): void {
    if (this.stopped) return error.dispose();
    if (this.context.typeof(error) === 'object' && isOutOfMemory(this.context, error)) {
      this.state.stop = 'memory';
      return error.dispose();
    }
    // fatal() prints the error and exits, which throws the exit signal out of this evaluation.
    this.context.setProp(this.context.global, '__unroll_value', error);
    error.dispose();
    const reported = this.context.evalCode('(function (e) { delete globalThis.__unroll_value; __unroll.fatal(e); })(globalThis.__unroll_value)');
    (reported.error ?? reported.value).dispose();
    if (!this.stopped) {
      this.state.stderr += 'node: an uncaught error could not be reported\n';
      this.state.exitCode = 1;
    }
  }
}

/**
 * Whether `error` is QuickJS running out of heap: its InternalError, or `null` when even that
 * could not be allocated (told apart from a script's own `throw null` by trying to allocate).
 */
function isOutOfMemory(context: QuickJSContext, error: QuickJSHandle): boolean {
  if (context.dump(error) === null) {
    const probe = context.evalCode('new Array(256).fill("x").join("")');
    (probe.error ?? probe.value).dispose();
    return probe.error !== undefined;
  }
  const read = (key: string) => context.getProp(error, key).consume((h) => (context.typeof(h) === 'string' ? context.getString(h) : ''));
  return read('name') === 'InternalError' && read('message') === 'out of memory';
}
