/**
 * `write_stdin`: sends characters to a command started by exec_command that is still
 * running, and/or polls it for the output produced since the last look. An exited process
 * reports its exit code once and is then forgotten.
 */
import type { FunctionToolSpec } from '../ports';
import type { Tool, ToolContext, ToolResult } from './types';
import { optionalInt, parseArguments } from './arguments';
import { plainDescription, type CallArgs, type CallDescription } from './call-description';
import { ABORTED_BY_USER, MAX_OUTPUT_TOKENS_LIMIT, MAX_YIELD_MS, MIN_YIELD_MS, clamp, errorMessage, isAbort, outputBudget } from './exec-command';
import { formatExecOutput } from './format-output';

const DEFAULT_STDIN_YIELD_MS = 250;
/** An empty poll waits at least this long for output or the exit (Codex's MIN_EMPTY_YIELD_TIME_MS). */
const MIN_POLL_YIELD_MS = 5_000;
/** And at most this long (Codex's default background terminal timeout). */
const MAX_POLL_YIELD_MS = 300_000;

/**
 * How long a call waits, as Codex decides: at least 250 ms; a write at most 30 s, so typing
 * stays responsive; an empty poll 5 s to 5 min, so polling a server does not spend a turn
 * every 250 ms. Both end early when the process exits or the turn is interrupted.
 */
function stdinYieldMs(requested: number | undefined, chars: string): number {
  const ms = Math.max(requested ?? DEFAULT_STDIN_YIELD_MS, MIN_YIELD_MS);
  return chars === '' ? clamp(ms, MIN_POLL_YIELD_MS, MAX_POLL_YIELD_MS) : Math.min(ms, MAX_YIELD_MS);
}

const SPEC: FunctionToolSpec = {
  type: 'function',
  name: 'write_stdin',
  description:
    'Writes characters to the standard input of a command that exec_command left running, then returns the ' +
    'output it produced since it was last read. Pass empty chars to just wait and collect new output. ' +
    'Reports the exit code once the command has finished.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      session_id: { type: 'number', description: 'The session ID exec_command reported for the running command.' },
      chars: {
        type: 'string',
        description: 'Text to send, e.g. "y\\n" or "\\u0003" for Ctrl-C. Leave empty to only poll for output.',
      },
      yield_time_ms: {
        type: 'number',
        description:
          `How long to wait for more output before returning; the exit returns at once. After writing: ` +
          `${MIN_YIELD_MS}–${MAX_YIELD_MS} ms (default ${DEFAULT_STDIN_YIELD_MS}). An empty poll waits ${MIN_POLL_YIELD_MS}–${MAX_POLL_YIELD_MS} ms.`,
      },
      max_output_tokens: {
        type: 'number',
        description: `Output budget in tokens; longer output loses its middle (default and maximum ${MAX_OUTPUT_TOKENS_LIMIT}).`,
      },
    },
    required: ['session_id'],
    additionalProperties: false,
  },
};

export const writeStdinTool: Tool = {
  name: 'write_stdin',
  parallelSafe: true,
  spec: () => SPEC,
  run: runWriteStdin,
  describe: describeWriteStdin,
};

/** Which session gets which characters (none: a poll). A missing session id shows as `?`. */
function describeWriteStdin(args: CallArgs, input: string): CallDescription {
  if (!args) return plainDescription('write_stdin', args, input);
  const session = args.session_id === undefined || args.session_id === null ? '?' : String(args.session_id);
  const chars = typeof args.chars === 'string' ? args.chars : '';
  return {
    title: `stdin → session ${session}`,
    summary: `session ${session}${chars ? ` ← ${JSON.stringify(chars)}` : ''}`,
    detail: { kind: 'write_stdin', session, chars },
  };
}

async function runWriteStdin(input: string, ctx: ToolContext): Promise<ToolResult> {
  const parsed = parseArguments(input);
  if (!parsed.ok) return fail(parsed.error);
  const args = parsed.value;
  const sessionId = optionalInt(args, 'session_id');
  if (sessionId === undefined) return fail('write_stdin: "session_id" is required');
  if (typeof sessionId === 'string') return fail(`write_stdin: ${sessionId}`);
  if (args.chars !== undefined && args.chars !== null && typeof args.chars !== 'string') {
    return fail('write_stdin: "chars" must be a string');
  }
  const chars = typeof args.chars === 'string' ? args.chars : '';
  const yieldMs = optionalInt(args, 'yield_time_ms');
  if (typeof yieldMs === 'string') return fail(`write_stdin: ${yieldMs}`);
  const maxTokens = optionalInt(args, 'max_output_tokens');
  if (typeof maxTokens === 'string') return fail(`write_stdin: ${maxTokens}`);

  const session = ctx.processes.get(sessionId);
  if (!session) return fail(unknownSession(sessionId, ctx.processes.ids()));

  const startedAt = ctx.clock.now();
  if (chars !== '' && !session.exited) {
    try {
      await session.process.write(chars);
    } catch (err) {
      return fail(
        `write_stdin: could not write to session ${sessionId}: ${errorMessage(err)}. ` +
          'Call write_stdin with empty chars to keep polling its output.',
      );
    }
  }

  let result;
  try {
    result = await ctx.processes.collect(sessionId, {
      yieldMs: stdinYieldMs(yieldMs, chars),
      clock: ctx.clock,
      signal: ctx.signal,
      onChunk: (chunk) => ctx.emit({ type: 'tool_output_delta', call_id: ctx.callId, chunk }),
    });
  } catch (err) {
    // An interrupted poll leaves the process running: it may be a server the user still wants.
    return fail(isAbort(err, ctx.signal) ? ABORTED_BY_USER : `write_stdin: ${errorMessage(err)}`);
  }

  const common = {
    chunkId: ctx.processes.chunkId(),
    wallTimeMs: ctx.clock.now() - startedAt,
    output: result.output,
    droppedBytes: result.droppedBytes,
    droppedNewlines: result.droppedNewlines,
    maxOutputTokens: outputBudget(maxTokens),
  };
  if (result.exited) {
    ctx.processes.remove(sessionId);
    const exitCode = result.exitCode ?? 1;
    return { output: formatExecOutput({ ...common, exitCode }), success: true, exitCode };
  }
  return { output: formatExecOutput({ ...common, sessionId }), success: true };
}

function unknownSession(id: number, live: number[]): string {
  const known = live.length > 0 ? `Running sessions: ${live.join(', ')}.` : 'There are no running sessions.';
  return `write_stdin: no session with ID ${id} (it may have exited and already reported its exit code). ${known}`;
}

function fail(output: string): ToolResult {
  return { output, success: false };
}
