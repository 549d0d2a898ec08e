/**
 * Helpers the lessons share. Each reads a fact off the conversation (never hidden state),
 * so a lesson decides the same way after a retry, a reload or a compaction.
 */
import { isToolCall, type ResponseItem } from '../../../core/items';
import { describeCall } from '../../../core/tools/describe';
import { reply } from '../build';
import type { Reply, ScriptContext } from '../types';
import { utf8Length } from '../usage';

/** True when a tool output reports a failure: a non-zero exit, a refusal, an abort or an error. */
export function looksFailed(output: string): boolean {
  const exit = exitCode(output);
  if (exit !== undefined && exit !== 0) return true;
  return /^\s*(aborted|exec command rejected|error|failed|failure|invalid|unknown|rejected|apply_patch verification failed)\b/i.test(output);
}

/** The exit code an exec_command output reports, if it reports one. */
export function exitCode(output: string): number | undefined {
  const match = /Process exited with code (-?\d+)/.exec(output) ?? /"exit_code"\s*:\s*(-?\d+)/.exec(output);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** True when the person declined the call or the turn was interrupted: never worked around. */
export function wasStopped(output: string): boolean {
  return /^\s*(aborted|exec command rejected|rejected)\b/i.test(output) || /declined by the user|rejected by user/i.test(output);
}

/**
 * The text after the `Output:` line of an exec_command result (the whole text if absent),
 * without the `Total output lines: N` a cut output starts with.
 */
export function commandOutput(output: string): string {
  const marker = /^Output:\n?(?:Total output lines: \d+\n\n)?/m.exec(output);
  const body = marker ? output.slice(marker.index + marker[0].length) : output;
  return body.replace(/\s+$/, '');
}

/** A Markdown code block for tool output, clipped so the message stays readable. */
export function fence(text: string, limit = 1500): string {
  const clipped = text.length > limit ? `${text.slice(0, limit)}\n…` : text;
  return `\`\`\`text\n${clipped || '(no output)'}\n\`\`\``;
}

/** The patch text of an apply_patch call (custom or function form), else undefined. */
function patchOf(item: ResponseItem | undefined): string | undefined {
  if (!item || !isToolCall(item) || item.name !== 'apply_patch') return undefined;
  const detail = describeCall(item).detail;
  return detail?.kind === 'apply_patch' ? detail.patch : undefined;
}

/** Every apply_patch text in the conversation, newest first. */
export function patchesNewestFirst(ctx: Pick<ScriptContext, 'input'>): string[] {
  const patches: string[] = [];
  for (let i = ctx.input.length - 1; i >= 0; i--) {
    const patch = patchOf(ctx.input[i]);
    if (patch !== undefined) patches.push(patch);
  }
  return patches;
}

/** `base.ext`, or `base2.ext`, … : the first name the `ls` listing does not show. */
export function freeName(listing: string, base: string, ext: string): string {
  for (let n = 1; ; n++) {
    const name = `${n === 1 ? base : `${base}${n}`}${ext}`;
    if (!new RegExp(`(^|\\s)${name.replace(/\./g, '\\.')}$`, 'm').test(listing)) return name;
  }
}

/** Tokens estimated the way the scripted server and Codex count them: UTF-8 bytes / 4. */
export function estimateTokens(text: string): number {
  return Math.ceil(utf8Length(text) / 4);
}

/** "12,345": thousands separated the same way everywhere, whatever the locale. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The step a report names when it cannot tell which one failed ("while carrying out …"). */
export const LAST_STEP = 'carrying out the last step';

/**
 * The final message of a lesson whose step failed: what failed, what the tool returned, and
 * why the lesson stops instead of working around it.
 */
/** `step` says what was being done, as a gerund phrase: "listing the workspace". */
export function reportFailure(ctx: ScriptContext, step: string, problem = 'reports a failure'): Reply {
  const output = ctx.lastToolOutput ?? '';
  const why = /rejected|declined/i.test(output)
    ? 'The call was not approved, so I will not try to work around that.'
    : /^\s*aborted/i.test(output)
      ? 'The step was interrupted before it finished.'
      : 'Rather than guess at a fix, I am stopping here so you can see exactly what happened.';
  return [
    reply.reasoning(`**Step failed**\n\nThe tool output for ${step} ${problem}; continuing would build on a broken step.`),
    reply.text(
      `Something went wrong while ${step}. ${why}\n\nThe tool returned:\n\n${fence(commandOutput(output))}\n\n` +
        'That output was appended to the conversation like any other tool result and sent back to me in this request: ' +
        'a failing tool does not break the loop, it is just more input for the model to react to.',
      { phase: 'final_answer' },
    ),
  ];
}
