/**
 * The composer's slash commands: their table, completion while typing, and parsing. Running
 * them is the chat session's job; this module only knows their names and shapes.
 */

export interface SlashCommand {
  name: string;
  /** How arguments are written, for the completion list (e.g. "[model]"). */
  args?: string;
  description: string;
  /** Whether it may run while a turn is in progress. */
  duringTurn: boolean;
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: 'new', description: 'Start a new conversation (the workspace stays as it is)', duringTurn: false },
  { name: 'model', args: '[model]', description: 'Show the model, or switch to another', duringTurn: false },
  { name: 'approvals', args: '[untrusted|on-request|never]', description: 'Show or set when the agent asks before acting', duringTurn: false },
  { name: 'status', description: 'Model, sandbox, token usage and cache hits', duringTurn: true },
  { name: 'diff', description: 'Every change to the workspace since the conversation began', duringTurn: true },
  { name: 'undo', description: 'Revert the files the last turn changed (the conversation stays; the agent is told)', duringTurn: false },
  { name: 'init', description: 'Ask the agent to write an AGENTS.md for this workspace', duringTurn: false },
  { name: 'skills', description: 'The skills the agent can use (mention one with $name)', duringTurn: true },
  { name: 'mcp', args: '[apply]', description: 'MCP servers, their tools, and a changed tool list waiting to apply', duringTurn: true },
  { name: 'compact', description: 'Summarise the conversation so far to free the context window', duringTurn: false },
  { name: 'clear', description: 'Clear the chat view (the conversation itself continues)', duringTurn: true },
];

export interface ParsedSlash {
  command: SlashCommand;
  args: string;
}

export type SlashParse = ParsedSlash | { unknown: string } | null;

/** A slash command line, an unknown one, or null for a plain message. */
export function parseSlash(text: string): SlashParse {
  const match = /^\/([a-z][\w-]*)(?:\s+([\s\S]*))?$/i.exec(text.trim());
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  const command = SLASH_COMMANDS.find((c) => c.name === name);
  if (!command) return { unknown: name };
  return { command, args: (match[2] ?? '').trim() };
}

/**
 * The commands the draft could be heading for: while it is a single `/word` (no space yet),
 * the command of exactly that name first, then those whose name starts with the word, then
 * those that contain it.
 */
export function completeSlash(draft: string): SlashCommand[] {
  const match = /^\/([\w-]*)$/.exec(draft);
  if (!match) return [];
  const typed = match[1]!.toLowerCase();
  const exact = SLASH_COMMANDS.filter((c) => c.name === typed);
  const starts = SLASH_COMMANDS.filter((c) => c.name !== typed && c.name.startsWith(typed));
  const contains = SLASH_COMMANDS.filter((c) => !c.name.startsWith(typed) && c.name.includes(typed));
  return [...exact, ...starts, ...contains];
}

/**
 * What Enter does with `chosen` highlighted in the completion list: a draft that already is
 * that command, typed out in full, runs as it is (`/model` shows the model); anything else is
 * completed first.
 */
export function slashEnter(draft: string, chosen: SlashCommand): 'run' | 'complete' {
  return draft.trim().slice(1).toLowerCase() === chosen.name ? 'run' : 'complete';
}

/** The instruction /init sends: the agent studies the workspace and writes AGENTS.md. */
export const INIT_PROMPT = [
  'Create an AGENTS.md file at the root of this workspace: a short guide for coding agents that work here later.',
  'First look around (list the files, read the README and the build or package files if there are any), then write it with apply_patch.',
  'Cover, briefly and only where the workspace shows it: what the project is, how it is laid out, how to build, run and test it,',
  'the code style and conventions in use, and anything an agent must not do. Keep it under about 60 lines.',
  'If the workspace is empty, say so in AGENTS.md and describe the conventions you would follow.',
].join(' ');
