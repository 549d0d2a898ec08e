/**
 * One `node` command in a just-bash sandbox, on the page's side: reads what the script may see
 * from `ctx.fs` (fs-mirror.ts), hands the run to a runner (this thread, or a Worker), replays
 * the script's filesystem changes on `ctx.fs` as they arrive, and turns the outcome into the
 * command's result.
 *
 * Contract: never rejects; stdout, stderr and exit code — 0/`process.exitCode`/`process.exit(n)`,
 * 1 for an uncaught error, the heap or the output limit, 124 for the computing limit, 130 when
 * the command's AbortSignal fired (output up to then is kept).
 */
import type { ExecResult, ResolvedCommandContext } from 'just-bash';
import { stdinText } from './args';
import type { EngineRequest, EngineResult, NodeEntry } from './engine';
import { FsReplay, loadSnapshot } from './fs-mirror';
import { inlineRunner, type NodeRunner } from './runner';

export type { NodeEntry } from './engine';

export interface NodeRunOptions {
  /** Where scripts run; default this thread (`inlineRunner`). */
  runner?: NodeRunner;
  /**
   * Stops a script that has computed (not waited for timers) this long. Default: 10 s on a
   * runner that cannot be interrupted mid-computation (and never above just-bash's
   * `maxJsTimeoutMs`); none on one that can, where Ctrl-C, *Stop* and a command's timeout are
   * the guard.
   */
  timeoutMs?: number;
  /** QuickJS heap limit; default 64 MB. */
  memoryLimitBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;
const MAX_OUTPUT_CHARS = 16 * 1024 * 1024;

const topDir = (path: string) => `/${path.split('/')[1] ?? ''}`;
let sharedInline: NodeRunner | undefined;

export async function runNode(entry: NodeEntry, ctx: ResolvedCommandContext, options: NodeRunOptions = {}): Promise<ExecResult> {
  const runner = options.runner ?? (sharedInline ??= inlineRunner());
  const cpuLimitMs = options.timeoutMs ?? (runner.interruptible ? undefined : Math.min(DEFAULT_TIMEOUT_MS, ctx.limits?.maxJsTimeoutMs ?? Infinity));
  const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  const env = ctx.exportedEnv ?? Object.fromEntries(ctx.env);
  const output = { 1: '', 2: '' };
  const replay = new FsReplay(ctx.fs);
  let request: EngineRequest;
  try {
    const roots = [topDir(ctx.cwd), '/tmp', env.HOME ?? '/home/user', ...(entry.kind === 'file' ? [topDir(entry.path)] : [])];
    request = {
      entry,
      cwd: ctx.cwd,
      env,
      stdin: stdinText(ctx.stdin),
      snapshot: await loadSnapshot(ctx.fs, roots),
      memoryLimitBytes,
      maxOutputChars: Math.min(MAX_OUTPUT_CHARS, ctx.limits?.maxOutputSize ?? Infinity),
      ...(cpuLimitMs !== undefined ? { cpuLimitMs } : {}),
    };
  } catch (err) {
    return { stdout: '', stderr: `node: could not start: ${err instanceof Error ? err.message : String(err)}\n`, exitCode: 1 };
  }
  const result = await runner.run(request, { write: (fd, text) => (output[fd] += text), fsOp: (op) => replay.push(op) }, ctx.signal);
  const failure = await replay.flush();
  const ended = describe(result, { memoryLimitBytes, maxOutputChars: request.maxOutputChars });
  let stderr = output[2];
  let exitCode = ended.exitCode;
  for (const note of [ended.note, failure && `node: could not save a change: ${failure}`]) {
    if (!note) continue;
    stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}${note}\n`;
  }
  if (failure && !exitCode) exitCode = 1;
  return { stdout: output[1], stderr, exitCode };
}

function describe(result: EngineResult, limits: { memoryLimitBytes: number; maxOutputChars: number }): { exitCode: number; note?: string } {
  const mb = (n: number) => Math.round(n / (1024 * 1024));
  if (result.internal) return { exitCode: result.exitCode ?? 1, note: `node: ${result.internal}` };
  switch (result.stop) {
    case 'timeout': {
      const seconds = (result.cpuLimitMs ?? 0) / 1000;
      return {
        exitCode: 124,
        note: `node: stopped after ${seconds} s of computing (the embedded sandbox's limit here; waiting on timers does not count)`,
      };
    }
    case 'abort':
      return { exitCode: 130, note: 'node: interrupted' };
    case 'output':
      return { exitCode: 1, note: `node: output limit reached (${mb(limits.maxOutputChars)} MB); stopped` };
    case 'memory':
      return { exitCode: 1, note: `node: JavaScript heap out of memory (the embedded sandbox gives node ${mb(limits.memoryLimitBytes)} MB)` };
    default:
      return { exitCode: result.exitCode ?? 0 };
  }
}
