/** Small helpers for writing scripts: part builders and conversation-driven combinators. */
import type {
  CustomToolCallPart,
  FailPart,
  FunctionCallPart,
  IncompletePart,
  MessagePart,
  RawItemPart,
  ReasoningPart,
  Reply,
  Rule,
  Script,
  ScriptContext,
  ScriptResult,
  Step,
} from './types';

export interface ExecOptions {
  workdir?: string;
  yield_time_ms?: number;
  max_output_tokens?: number;
  tty?: boolean;
}

export const reply = {
  text(text: string, options: { phase?: string } = {}): MessagePart {
    return options.phase === undefined ? { type: 'message', text } : { type: 'message', text, phase: options.phase };
  },
  /** A progress note between tool calls (`phase: "commentary"`). */
  note(text: string): MessagePart {
    return { type: 'message', text, phase: 'commentary' };
  },
  reasoning(summary: string | readonly string[], encrypted?: string): ReasoningPart {
    return encrypted === undefined ? { type: 'reasoning', summary } : { type: 'reasoning', summary, encrypted };
  },
  call(name: string, args: string | Record<string, unknown>, callId?: string): FunctionCallPart {
    const part: FunctionCallPart = { type: 'function_call', name, arguments: args };
    if (callId !== undefined) part.callId = callId;
    return part;
  },
  /** An `exec_command` call; `undefined` options are left out of the arguments. */
  exec(cmd: string, options: ExecOptions = {}): FunctionCallPart {
    const args: Record<string, unknown> = { cmd };
    for (const [key, value] of Object.entries(options)) if (value !== undefined) args[key] = value;
    return reply.call('exec_command', args);
  },
  custom(name: string, input: string, callId?: string): CustomToolCallPart {
    const part: CustomToolCallPart = { type: 'custom_tool_call', name, input };
    if (callId !== undefined) part.callId = callId;
    return part;
  },
  /** An apply_patch call in whichever form the request offers (custom tool or `{input}` function). */
  patch(ctx: Pick<ScriptContext, 'customTools'>, patch: string): CustomToolCallPart | FunctionCallPart {
    return ctx.customTools ? reply.custom('apply_patch', patch) : reply.call('apply_patch', { input: patch });
  },
  /** `item` as the output item, byte for byte (see `RawItemPart`). */
  raw(item: Record<string, unknown>): RawItemPart {
    return { type: 'raw_item', item };
  },
  fail(code: string, message: string): FailPart {
    return { type: 'fail', code, message };
  },
  incomplete(reason = 'max_output_tokens'): IncompletePart {
    return { type: 'incomplete', reason };
  },
};

/** A patch adding one file. `content` lines become `+` lines; a trailing newline is implied. */
export function addFilePatch(path: string, content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return ['*** Begin Patch', `*** Add File: ${path}`, ...lines.map((line) => `+${line}`), '*** End Patch'].join('\n');
}

function toReply(result: ScriptResult): Reply {
  return isPartList(result) ? result : [result];
}

function isPartList(result: ScriptResult): result is Reply {
  return Array.isArray(result);
}

/** Runs a step: fixed answers are returned as they are, scripts are called with `ctx`. */
export async function runStep(step: Step, ctx: ScriptContext): Promise<Reply> {
  return toReply(typeof step === 'function' ? await step(ctx) : step);
}

/** A rule that applies when `predicate` holds. */
export function when(predicate: (ctx: ScriptContext) => boolean, step: Step): Rule {
  return (ctx) => (predicate(ctx) ? step : undefined);
}

/**
 * A rule that applies when the input ends with a tool output matching `pattern`
 * (a substring, a RegExp, or a test function).
 */
export function whenLastOutput(pattern: string | RegExp | ((output: string) => boolean), step: Step): Rule {
  const test =
    typeof pattern === 'string'
      ? (output: string) => output.includes(pattern)
      : pattern instanceof RegExp
        ? (output: string) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(output)
        : pattern;
  return (ctx) => (ctx.lastToolOutput !== undefined && test(ctx.lastToolOutput) ? step : undefined);
}

/** The first rule that applies answers; `otherwise` answers when none does. */
function firstOf(rules: readonly Rule[], otherwise: Step): Script {
  return (ctx) => {
    for (const rule of rules) {
      const step = rule(ctx);
      if (step !== undefined) return runStep(step, ctx);
    }
    return runStep(otherwise, ctx);
  };
}

export interface SequenceOptions {
  /** Checked before the step on every request; the first that applies answers instead. */
  rules?: readonly Rule[];
  /** Answers rounds past the last step. Defaults to a short message saying the script ended. */
  after?: Step;
}

/**
 * A script for one user turn: step k answers round k (the k-th request after the user's last
 * message), so the same script replays correctly after retries or a reload.
 */
export function sequence(steps: readonly Step[], options: SequenceOptions = {}): Script {
  const after: Step = options.after ?? reply.text('(The scripted model has nothing more to say for this turn.)');
  return firstOf(options.rules ?? [], (ctx) => runStep(steps[ctx.round] ?? after, ctx));
}
