/**
 * `exec_command`: runs one shell command line in the sandbox. It returns when the command
 * exits or after `yield_time_ms`, whichever comes first; a command still running then stays
 * registered in `ctx.processes` and the model polls it with `write_stdin`.
 */
import type { FunctionToolSpec } from '../ports';
import { execApprovalRequirement } from '../approvals';
import { isInside, normalizePath, resolvePath } from '../paths';
import type { Tool, ToolContext, ToolResult } from './types';
import { optionalInt, parseArguments } from './arguments';
import { plainDescription, type CallArgs, type CallDescription } from './call-description';
import { formatExecOutput } from './format-output';
import { DEFAULT_MAX_OUTPUT_TOKENS } from './truncate';

const DEFAULT_EXEC_YIELD_MS = 10_000;
export const MIN_YIELD_MS = 250;
export const MAX_YIELD_MS = 30_000;

/**
 * Upper bound for max_output_tokens. Codex takes the smaller of the model's request and its
 * turn's truncation budget, 10 000 tokens for the coding models: asking for more gets no more.
 */
export const MAX_OUTPUT_TOKENS_LIMIT = 10_000;

export const EXEC_REJECTED = 'exec command rejected by user';
export const ABORTED_BY_USER = 'aborted by user';

const SPEC: FunctionToolSpec = {
  type: 'function',
  name: 'exec_command',
  description:
    'Runs a shell command line in the workspace sandbox and returns its combined stdout and stderr. ' +
    'Returns when the command exits or after yield_time_ms, whichever is first; a command that is still ' +
    'running keeps going in the background and its session ID can be polled (or written to) with write_stdin. ' +
    'Long output keeps its beginning and end.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      cmd: { type: 'string', description: 'The command line to run, in shell syntax (pipes, &&, quotes and here-docs work).' },
      workdir: {
        type: 'string',
        description: 'Directory to run in, absolute or relative to the current working directory. Defaults to the working directory.',
      },
      yield_time_ms: {
        type: 'number',
        description: `How long to wait for the command to finish before returning with a session ID (default ${DEFAULT_EXEC_YIELD_MS}, ${MIN_YIELD_MS}–${MAX_YIELD_MS}).`,
      },
      max_output_tokens: {
        type: 'number',
        description: `Output budget in tokens; longer output loses its middle (default and maximum ${MAX_OUTPUT_TOKENS_LIMIT}).`,
      },
      tty: { type: 'boolean', description: 'Ask for a terminal, for interactive programs that need one (only some sandboxes have one).' },
      login: { type: 'boolean', description: 'Run as a login shell. Accepted for compatibility; the sandbox shell is always used as configured.' },
      shell: { type: 'string', description: 'Preferred shell binary. Accepted for compatibility; the sandbox has a single shell.' },
      sandbox_permissions: {
        type: 'string',
        enum: ['use_default', 'require_escalated'],
        description: 'use_default (the normal case), or require_escalated to ask the user for permission to run with fewer restrictions.',
      },
      justification: {
        type: 'string',
        description: 'With require_escalated: one sentence, shown to the user, saying why the command needs it.',
      },
    },
    required: ['cmd'],
    additionalProperties: false,
  },
};

export const execCommandTool: Tool = {
  name: 'exec_command',
  // Shell calls are allowed to run side by side when the model issues them together.
  parallelSafe: true,
  spec: () => SPEC,
  run: runExecCommand,
  describe: describeExecCommand,
};

/** A command shows as the shell line it is (`$ ls -la`); its workdir is kept for views that show it. */
function describeExecCommand(args: CallArgs, input: string): CallDescription {
  const cmd = args?.cmd;
  if (typeof cmd !== 'string') return plainDescription('exec_command', args, input);
  const workdir = typeof args?.workdir === 'string' && args.workdir ? args.workdir : undefined;
  return { title: `$ ${cmd}`, summary: cmd, detail: { kind: 'exec_command', command: cmd, ...(workdir ? { workdir } : {}) } };
}

async function runExecCommand(input: string, ctx: ToolContext): Promise<ToolResult> {
  const parsed = parseArguments(input);
  if (!parsed.ok) return fail(parsed.error);
  const args = readExecArgs(parsed.value);
  if (typeof args === 'string') return fail(`exec_command: ${args}`);
  const { cmd } = args;

  if (extractApplyPatch(cmd) !== undefined) {
    return fail('apply_patch is not a shell command here: call the apply_patch tool with the patch text instead.');
  }

  const root = normalizePath(ctx.sandbox.describe().root);
  const cwd = args.workdir === undefined ? normalizePath(ctx.cwd) : resolvePath(ctx.cwd, args.workdir);
  if (!isInside(root, cwd)) {
    return fail(`exec_command: workdir ${cwd} is outside the workspace (${root}); use a directory inside it.`);
  }

  const approval = await checkApproval(ctx, cmd, cwd, args.sandboxPermissions, args.justification);
  if (approval) return approval;
  if (ctx.signal.aborted) return fail(ABORTED_BY_USER);

  const startedAt = ctx.clock.now();
  let id: number;
  try {
    const process = ctx.sandbox.exec.spawn(cmd, { cwd, ...(args.tty ? { tty: true } : {}) });
    id = ctx.processes.start(process, { command: cmd, cwd });
  } catch (err) {
    return fail(`exec_command: failed to start the command: ${errorMessage(err)}`);
  }

  let result;
  try {
    result = await ctx.processes.collect(id, {
      yieldMs: clamp(args.yieldMs ?? DEFAULT_EXEC_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS),
      clock: ctx.clock,
      signal: ctx.signal,
      onChunk: (chunk) => ctx.emit({ type: 'tool_output_delta', call_id: ctx.callId, chunk }),
    });
  } catch (err) {
    ctx.processes.kill(id);
    return fail(isAbort(err, ctx.signal) ? ABORTED_BY_USER : `exec_command: ${errorMessage(err)}`);
  }

  const common = {
    chunkId: ctx.processes.chunkId(),
    wallTimeMs: ctx.clock.now() - startedAt,
    output: result.output,
    droppedBytes: result.droppedBytes,
    droppedNewlines: result.droppedNewlines,
    maxOutputTokens: outputBudget(args.maxOutputTokens),
  };
  if (result.exited) {
    ctx.processes.remove(id);
    const exitCode = result.exitCode ?? 1;
    return { output: formatExecOutput({ ...common, exitCode }), success: true, exitCode };
  }
  return { output: formatExecOutput({ ...common, sessionId: id }), success: true };
}

/**
 * Applies the approval policy. Returns a result when the command must not run (refused,
 * denied, aborted), or undefined to go ahead.
 */
async function checkApproval(
  ctx: ToolContext,
  cmd: string,
  cwd: string,
  permissions: 'use_default' | 'require_escalated',
  justification: string | undefined,
): Promise<ToolResult | undefined> {
  const requirement = execApprovalRequirement({
    cmd,
    approvalPolicy: ctx.approvalPolicy,
    sandboxMode: ctx.sandboxMode,
    sandboxPermissions: permissions,
    justification,
  });
  if (requirement.kind === 'forbidden') return fail(requirement.reason);
  if (requirement.kind === 'skip' || ctx.processes.approvedForSession.has(cmd)) return undefined;
  const { reason } = requirement;

  let decision;
  try {
    decision = await ctx.requestApproval({ kind: 'exec', subject: cmd, cwd, reason });
  } catch (err) {
    return fail(isAbort(err, ctx.signal) ? ABORTED_BY_USER : `exec_command: approval failed: ${errorMessage(err)}`);
  }
  if (decision === 'deny') return fail(EXEC_REJECTED);
  if (decision === 'approve_for_session') ctx.processes.approvedForSession.add(cmd);
  return undefined;
}

/**
 * When a command line is an `apply_patch` invocation (`apply_patch <<'EOF' … EOF` or
 * `apply_patch '<patch>'`), returns the patch text so the loop can route it to the
 * apply_patch tool; undefined for any other command.
 */
export function extractApplyPatch(cmd: string): string | undefined {
  const trimmed = cmd.replace(/^\s+/, '');
  const name = /^(?:apply_patch|applypatch)(?=\s|$)/.exec(trimmed);
  if (!name) return undefined;
  const rest = trimmed.slice(name[0].length);

  const heredoc = /^[ \t]*<<(-?)[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2[ \t]*\r?\n/.exec(rest);
  if (heredoc) {
    const stripTabs = heredoc[1] === '-';
    const tag = heredoc[3];
    const lines = rest.slice(heredoc[0].length).split('\n');
    const end = lines.findIndex((line) => (stripTabs ? line.replace(/^\t+/, '') : line).replace(/\r$/, '') === tag);
    return (end >= 0 ? lines.slice(0, end) : lines).join('\n');
  }

  const arg = rest.trim();
  if (arg.length >= 2 && arg.startsWith("'") && arg.endsWith("'")) return arg.slice(1, -1);
  if (arg.length >= 2 && arg.startsWith('"') && arg.endsWith('"')) {
    return arg.slice(1, -1).replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
  }
  return arg;
}

// ------------------------------------------------------------------------------ helpers

interface ExecArgs {
  cmd: string;
  workdir?: string;
  yieldMs?: number;
  maxOutputTokens?: number;
  tty: boolean;
  sandboxPermissions: 'use_default' | 'require_escalated';
  justification?: string;
}

/** Validates exec_command arguments; returns an error text for the model when they are wrong. */
function readExecArgs(a: Record<string, unknown>): ExecArgs | string {
  if (typeof a.cmd !== 'string' || a.cmd.trim() === '') return '"cmd" must be a non-empty string';
  const yieldMs = optionalInt(a, 'yield_time_ms');
  if (typeof yieldMs === 'string') return yieldMs;
  const maxOutputTokens = optionalInt(a, 'max_output_tokens');
  if (typeof maxOutputTokens === 'string') return maxOutputTokens;
  for (const key of ['workdir', 'shell', 'justification', 'sandbox_permissions']) {
    if (a[key] !== undefined && a[key] !== null && typeof a[key] !== 'string') return `"${key}" must be a string`;
  }
  for (const key of ['tty', 'login']) {
    if (a[key] !== undefined && a[key] !== null && typeof a[key] !== 'boolean') return `"${key}" must be a boolean`;
  }
  const permissions = a.sandbox_permissions ?? 'use_default';
  if (permissions !== 'use_default' && permissions !== 'require_escalated') {
    return '"sandbox_permissions" must be "use_default" or "require_escalated"';
  }
  const workdir = typeof a.workdir === 'string' && a.workdir.trim() !== '' ? a.workdir.trim() : undefined;
  return {
    cmd: a.cmd,
    tty: a.tty === true,
    sandboxPermissions: permissions,
    ...(workdir !== undefined ? { workdir } : {}),
    ...(yieldMs !== undefined ? { yieldMs } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(typeof a.justification === 'string' ? { justification: a.justification } : {}),
  };
}

/** The token budget for one output: the default, or the model's request within 0…10 000. */
export function outputBudget(requested: number | undefined): number {
  return clamp(requested ?? DEFAULT_MAX_OUTPUT_TOKENS, 0, MAX_OUTPUT_TOKENS_LIMIT);
}

/** Whether `err` (or the turn's signal) means the user interrupted. */
export function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err instanceof Error && err.name === 'AbortError');
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function fail(output: string): ToolResult {
  return { output, success: false };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
