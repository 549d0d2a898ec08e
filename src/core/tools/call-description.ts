/**
 * How a tool call is shown, made once from its input by the tool's `describe` (see
 * `describeToolCall`) and worded by each view: the chat's tool card, the Inspector, the
 * step-through card and the CLI transcript.
 */
import type { PlanStep } from './update-plan';
import type { UserInputQuestion } from './request-user-input';

export interface CallDescription {
  /** A heading for the call: its tool's name, or what it does where that reads better (`$ ls`). */
  title: string;
  /**
   * What the call does, without the tool's name: the command, the files, the session… ('' when
   * the name says it all). Not cut to a width: views shorten it to theirs.
   */
  summary: string;
  /** What the tool read from the input; absent when the input is not what the tool takes. */
  detail?: CallDetail;
}

export type CallDetail =
  | { kind: 'exec_command'; command: string; workdir?: string }
  | { kind: 'write_stdin'; session: string; chars: string }
  | { kind: 'apply_patch'; patch: string; files: PatchFile[] }
  | { kind: 'update_plan'; plan: PlanStep[]; explanation?: string }
  | { kind: 'request_user_input'; questions: UserInputQuestion[] }
  | { kind: 'view_image'; path: string }
  | { kind: 'mcp'; server: string; tool: string; args: Record<string, unknown> }
  | { kind: 'web_search'; query: string };

/** A file a patch names, as its `*** Add|Update|Delete File:` line says. */
export interface PatchFile {
  action: 'add' | 'update' | 'delete';
  path: string;
}

/** A call's arguments: the input's JSON object, or null when the input is not one. */
export type CallArgs = Record<string, unknown> | null;

/**
 * A call shown by its name and input alone: an unknown tool, or input its tool cannot read. A
 * shell-like call (`cmd` or `command`, as text or words) is summed up by its command line.
 */
export function plainDescription(name: string, args: CallArgs, input: string): CallDescription {
  const command = args?.cmd ?? args?.command;
  if (typeof command === 'string') return { title: name, summary: command };
  if (Array.isArray(command)) return { title: name, summary: command.map(String).join(' ') };
  return { title: name, summary: input };
}
