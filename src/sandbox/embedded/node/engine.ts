/**
 * One `node` run on QuickJS, wherever it is hosted (a Worker in the browser, this thread in
 * Node): a fresh QuickJS context gets the guest runtime (guest-*.ts) over a filesystem mirror
 * built from the request's snapshot, the entry runs (a file, `-e`/`-p` code or stdin), then
 * promise jobs and timers on the wall clock until nothing is left, `process.exit`, an uncaught
 * error, a limit or an abort. Output and filesystem changes leave through `io` as they happen.
 *
 * Time: a timer's wait is real (the run sleeps until it is due) and does not count against
 * `cpuLimitMs`, which bounds only the time spent computing; without it only an abort or the
 * host (terminating the worker) stops a spinning script.
 *
 * Contract: never rejects; answers the exit code (0/`process.exitCode`/`process.exit(n)`, 1 for
 * an uncaught error) or why the run was stopped.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { NODE_VERSION, QUICKJS_VERSION } from './args';
import { importMeta, installModuleLoader } from './esm';
import { runFsOp } from './fs-bridge';
import { FsMirror, type FsOp, type MirrorSnapshot } from './fs-mirror';
import { GUEST_ASSERT } from './guest-assert';
import { GUEST_BUFFER } from './guest-buffer';
import { GUEST_FS } from './guest-fs';
import { GUEST_MODULES } from './guest-modules';
import { GUEST_BOOT, GUEST_PROCESS } from './guest-process';
import { ESM_SYNTAX, GUEST_REQUIRE } from './guest-require';
import { GUEST_UTIL } from './guest-util';
import { installHost, type HostState, type StopReason } from './host';
import { discardEngine, loadEngine, releaseEngine } from './quickjs';

export type NodeEntry =
  { kind: 'file'; path: string; args: string[] } | { kind: 'code'; name: '[eval]' | '[stdin]'; code: string; print: boolean; args: string[] };

/** Everything a run needs, as structured-cloneable data. */
export interface EngineRequest {
  entry: NodeEntry;
  cwd: string;
  env: Record<string, string>;
  stdin: string;
  snapshot: MirrorSnapshot;
  memoryLimitBytes: number;
  maxOutputChars: number;
  /** Stops a run that has computed (not waited) this long; none when undefined. */
  cpuLimitMs?: number;
}

export interface EngineIo {
  /** The script's output, in order per stream. */
  write(fd: 1 | 2, text: string): void;
  /** A change to replay on the real filesystem. */
  fsOp(op: FsOp): void;
  /** Polled often while the script runs (also mid-computation); true stops it as interrupted. */
  aborted(): boolean;
  /** Waits `ms` (0: lets the host's other work run). */
  sleep(ms: number): Promise<void>;
}

export interface EngineResult {
  exitCode?: number;
  stop?: StopReason;
  /** With stop 'timeout': the computing limit that stopped the run. */
  cpuLimitMs?: number;
  /** What went wrong outside the script (the engine could not start, a host-side failure). */
  internal?: string;
}

/** QuickJS's own stack limit (~1,300 nested calls): well inside what V8 gives wasm on a ~1 MB thread stack. */
const MAX_STACK_BYTES = 256 * 1024;
/** How often a busy run lets its host breathe (and checks for an abort) between jobs and timers. */
const PAUSE_EVERY_MS = 50;
/** The longest single sleep while waiting for a timer, so an abort is noticed soon. */
const MAX_SLEEP_MS = 100;
/** CommonJS wrapper; on one line with the source's first line, so line numbers stay right. */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';
const GUEST: [string, string][] = [
  ['boot', GUEST_BOOT],
  ['util', GUEST_UTIL],
  ['process', GUEST_PROCESS],
  ['modules', GUEST_MODULES],
  ['buffer', GUEST_BUFFER],
  ['assert', GUEST_ASSERT],
  ['fs', GUEST_FS],
  ['require', GUEST_REQUIRE],
];

export async function runEngine(request: EngineRequest, io: EngineIo): Promise<EngineResult> {
  const state: HostState = { written: 0, maxOutput: request.maxOutputChars, sources: new Map(), write: (fd, text) => io.write(fd, text) };
  let engine: QuickJSWASMModule;
  try {
    engine = await loadEngine();
  } catch (err) {
    return { exitCode: 1, internal: `could not start: ${err instanceof Error ? err.message : String(err)}` };
  }
  const mirror = new FsMirror(request.snapshot, (op) => io.fsOp(op));
  const context = engine.newContext();
  const clock = new CpuClock(request.cpuLimitMs);
  try {
    context.runtime.setMemoryLimit(request.memoryLimitBytes);
    context.runtime.setMaxStackSize(MAX_STACK_BYTES);
    context.runtime.setInterruptHandler(() => {
      if (state.exitCode !== undefined || state.stop !== undefined) return true;
      if (io.aborted()) state.stop = 'abort';
      else if (clock.over()) state.stop = 'timeout';
      return state.stop !== undefined;
    });
    installHost(context, state, {
      fs: (op, args) => runFsOp(mirror, op, args),
      compile: (source, filename) => context.evalCode(WRAPPER_START + source + WRAPPER_END, filename),
      stdin: () => request.stdin,
    });
    for (const [name, code] of GUEST) context.unwrapResult(context.evalCode(code, `node:internal/${name}`)).dispose();
    const { entry } = request;
    const run = new Run(context, state, mirror, clock, io);
    const setup = {
      cwd: request.cwd,
      argv: entry.kind === 'file' ? ['node', entry.path, ...entry.args] : ['node', ...entry.args],
      env: request.env,
      version: NODE_VERSION,
      versions: { node: NODE_VERSION.slice(1).replace(/-.*/, ''), quickjs: QUICKJS_VERSION },
      memoryLimit: request.memoryLimitBytes,
      wrapperLength: WRAPPER_START.length,
    };
    run.guest(`__unroll.setup(${JSON.stringify(setup)})`);
    run.start(entry, request.cwd);
    await run.loop();
    if (state.exitCode === undefined && state.stop === undefined) {
      const code = run.guest('__unroll.finish()', (h) => context.getNumber(h));
      if (state.exitCode === undefined && state.stop === undefined) state.exitCode = code ?? 0;
    }
  } catch (err) {
    // A host-side failure (the wasm stack overflowed, a library invariant broke): drop the engine.
    discardEngine(engine);
    const message = err instanceof Error ? err.message : String(err);
    return {
      exitCode: 1,
      internal: /call stack/i.test(message) ? 'stack overflow in QuickJS (the script recursed too deeply)' : `internal error: ${message}`,
    };
  } finally {
    try {
      context.dispose();
      releaseEngine(engine);
    } catch {
      discardEngine(engine);
    }
  }
  if (state.stop === 'timeout') return { stop: 'timeout', cpuLimitMs: request.cpuLimitMs ?? 0 };
  return state.stop !== undefined ? { stop: state.stop } : { exitCode: state.exitCode ?? 0 };
}

/** Time spent computing: wall time since the start minus the time spent sleeping for timers. */
class CpuClock {
  readonly #started = Date.now();
  #slept = 0;

  readonly #limitMs: number | undefined;

  constructor(limitMs: number | undefined) {
    this.#limitMs = limitMs;
  }

  over(): boolean {
    return this.#limitMs !== undefined && Date.now() - this.#started - this.#slept > this.#limitMs;
  }

  async sleep(io: EngineIo, ms: number): Promise<void> {
    const before = Date.now();
    await io.sleep(ms);
    this.#slept += Date.now() - before;
  }
}

/** The event loop of one run. Host calls into guest code go through `guest`, which reports what it throws. */
class Run {
  #lastPause = Date.now();

  readonly #context: QuickJSContext;
  readonly #state: HostState;
  readonly #mirror: FsMirror;
  readonly #clock: CpuClock;
  readonly #io: EngineIo;

  constructor(context: QuickJSContext, state: HostState, mirror: FsMirror, clock: CpuClock, io: EngineIo) {
    this.#context = context;
    this.#state = state;
    this.#mirror = mirror;
    this.#clock = clock;
    this.#io = io;
  }

  get #stopped(): boolean {
    return this.#state.exitCode !== undefined || this.#state.stop !== undefined;
  }

  /** Evaluates `code`; an uncaught error is reported and answers undefined. */
  guest<T>(code: string, read?: (value: QuickJSHandle) => T): T | undefined {
    const result = this.#context.evalCode(code, 'node:internal/host');
    if (result.error) {
      this.#uncaught(result.error);
      return undefined;
    }
    try {
      return read?.(result.value);
    } finally {
      result.value.dispose();
    }
  }

  /** Hands `value` to guest code as its argument `v`. */
  #withValue(value: QuickJSHandle, code: string): void {
    this.#context.setProp(this.#context.global, '__unroll_value', value);
    value.dispose();
    this.guest(`(function (v) { delete globalThis.__unroll_value; ${code} })(globalThis.__unroll_value)`);
  }

  start(entry: NodeEntry, cwd: string): void {
    if (entry.kind === 'code') {
      this.guest(`__unroll.prepareEval(${JSON.stringify(entry.name)}, ${JSON.stringify(entry.code)})`);
      if (this.#stopped) return;
      const result = this.#context.evalCode(entry.code, entry.name);
      if (result.error) return this.#uncaught(result.error);
      if (!entry.print) return result.value.dispose();
      return this.#withValue(result.value, '__unroll.printResult(v);');
    }
    const source = entry.path.endsWith('.cjs') ? '' : new TextDecoder().decode(this.#mirror.read(entry.path));
    if (!entry.path.endsWith('.mjs') && !ESM_SYNTAX.test(source)) {
      this.guest(`__unroll.runMain(${JSON.stringify(entry.path)})`);
      return;
    }
    const builtinExports =
      this.guest(
        'JSON.stringify(Object.fromEntries(Object.keys(__unroll.builtins).map(function (k) { return [k, Object.keys(__unroll.builtins[k])]; })))',
        (h) => JSON.parse(this.#context.getString(h)) as Record<string, string[]>,
      ) ?? {};
    this.#state.sources.set(entry.path, source);
    installModuleLoader(this.#context, { mirror: this.#mirror, cwd, builtinExports, sources: this.#state.sources });
    const result = this.#context.evalCode(importMeta(entry.path) + source.replace(/^#!.*/, ''), entry.path, { type: 'module' });
    if (result.error) return this.#uncaught(result.error);
    // A module's evaluation is a promise (top-level await); it settles as the jobs run.
    this.#withValue(result.value, 'if (v instanceof Promise) v.catch(function (e) { __unroll.fatal(e); });');
  }

  /** Promise jobs first, then the next timer (waiting until it is due), until neither is left or the run stopped. */
  async loop(): Promise<void> {
    while (!this.#stopped) {
      if (Date.now() - this.#lastPause >= PAUSE_EVERY_MS) {
        await this.#clock.sleep(this.#io, 0);
        this.#lastPause = Date.now();
        if (this.#checkStop()) return;
      }
      const jobs = this.#context.runtime.executePendingJobs(1);
      if (jobs.error) {
        this.#uncaught(jobs.error);
        continue;
      }
      if (jobs.value > 0) continue;
      const due = this.guest('__unroll.nextTimer()', (h) => this.#context.getNumber(h));
      if (due === undefined || due < 0) return;
      const wait = due - Date.now();
      if (wait > 0) {
        await this.#clock.sleep(this.#io, Math.min(wait, MAX_SLEEP_MS));
        this.#lastPause = Date.now();
        if (this.#checkStop()) return;
        continue;
      }
      this.guest('__unroll.runTimer()');
    }
  }

  #checkStop(): boolean {
    if (this.#io.aborted()) this.#state.stop = 'abort';
    else if (this.#clock.over()) this.#state.stop = 'timeout';
    return this.#stopped;
  }

  /** Reports an error that reached the host and stops the run (the guest prints it like Node). */
  #uncaught(error: QuickJSHandle): void {
    if (this.#stopped) return error.dispose();
    if (this.#context.typeof(error) === 'object' && isOutOfMemory(this.#context, error)) {
      this.#state.stop = 'memory';
      return error.dispose();
    }
    // fatal() prints the error and exits, which throws the exit signal out of this evaluation.
    this.#context.setProp(this.#context.global, '__unroll_value', error);
    error.dispose();
    const reported = this.#context.evalCode('(function (e) { delete globalThis.__unroll_value; __unroll.fatal(e); })(globalThis.__unroll_value)');
    (reported.error ?? reported.value).dispose();
    if (!this.#stopped) {
      this.#state.write(2, 'node: an uncaught error could not be reported\n');
      this.#state.exitCode = 1;
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
