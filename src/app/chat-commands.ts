/** What the composer's slash commands do, for a chat session (see slash-commands.ts for their table). */
import type { Sandbox } from '../sandbox/sandbox';
import type { Snapshot } from '../sandbox/snapshot';
import type { Entry } from './chat-entries';
import type { ConversationTools, McpSource } from './conversation-tools.svelte';
import type { Settings } from './settings.svelte';
import { approvalsCommand, modelCommand } from './settings-commands';
import { INIT_PROMPT, type SlashCommand } from './slash-commands';
import { statusRows, type StatusSource } from './status-report';
import { mcpRows, skillsRows } from './tools-report';
import { diffSnapshots } from './turn-diff';

/** The session as the commands see it. */
export interface CommandHost extends StatusSource {
  entries: Entry[];
  settings: Settings;
  sandbox: Sandbox;
  root: string;
  tools: ConversationTools;
  mcp: McpSource | null;
  /** `/new` in a stored session starts a new stored one; absent, the conversation is cleared here. */
  onNew: (() => void) | undefined;
  newConversation(): void;
  clear(): void;
  undo(): Promise<void>;
  compact(): Promise<void>;
  send(text: string): Promise<void>;
  note(text: string): void;
  /** The workspace when the conversation began, and now. */
  baseline(): Promise<Snapshot | null>;
  snapshot(): Promise<Snapshot | null>;
}

export async function runCommand(host: CommandHost, command: SlashCommand, args: string): Promise<void> {
  switch (command.name) {
    case 'new':
      if (host.onNew) return host.onNew();
      host.newConversation();
      return host.note('New conversation. The workspace is unchanged.');
    case 'clear':
      return host.clear();
    case 'status':
      host.entries.push({ kind: 'status', rows: statusRows(host) });
      return;
    case 'diff':
      return showDiff(host);
    case 'undo':
      return host.undo();
    case 'model':
      return host.note(modelCommand(host.settings, args));
    case 'approvals':
      return host.note(approvalsCommand(host.settings, args));
    case 'init':
      return init(host);
    case 'compact':
      return host.compact();
    case 'skills':
      host.entries.push({ kind: 'status', rows: await skillsRows(host.sandbox.fs, host.root) });
      return;
    case 'mcp':
      return mcp(host, args);
  }
}

function mcp(host: CommandHost, args: string): void {
  if (args === 'apply') {
    if (!host.tools.waiting) return host.note('No changed tool list is waiting.');
    host.tools.apply();
    return host.note('The changed tool list goes with the next request; its prefix will not come from the cache.');
  }
  host.entries.push({ kind: 'status', rows: mcpRows(host.tools, host.mcp) });
}

async function showDiff(host: CommandHost): Promise<void> {
  const [before, after] = await Promise.all([host.baseline(), host.snapshot()]);
  if (!before || !after) return host.note('The workspace could not be read, so there is nothing to compare.');
  const changes = diffSnapshots(before, after);
  if (changes.length === 0) host.note('No changes to the workspace since the conversation began.');
  else host.entries.push({ kind: 'diff', title: 'Changes since the conversation began', changes });
}

async function init(host: CommandHost): Promise<void> {
  if (await host.sandbox.fs.stat(`${host.root}/AGENTS.md`).catch(() => null)) {
    return host.note('AGENTS.md already exists; /init leaves it alone. Ask the agent to revise it instead.');
  }
  await host.send(INIT_PROMPT);
}
