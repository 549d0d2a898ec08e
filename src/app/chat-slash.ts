/**
 * What is typed in a chat's composer when it starts with `/`: a command run for the chat (see
 * chat-commands.ts for what each does), or a line saying why it was not (unknown, or one that
 * waits for the turn to end).
 */
import { runCommand, type CommandHost } from './chat-commands';
import { parseSlash } from './slash-commands';

/** The chat's own part of what the commands see: its public state and actions. */
export type SlashChat = Pick<
  CommandHost,
  'entries' | 'settings' | 'sandbox' | 'root' | 'sessionId' | 'usage' | 'tokens' | 'tools' | 'newConversation' | 'clear' | 'undo' | 'compact' | 'send'
> & { readonly running: boolean };

/** What the chat keeps to itself but lends its commands. */
export type SlashExtras = Pick<CommandHost, 'mcp' | 'onNew' | 'note' | 'baseline' | 'snapshot'>;

/**
 * Runs `text` as a slash command; null, decided at once, when it is none (a message to send,
 * which then starts in the same tick: a caller may see the turn running as soon as it asked).
 */
export function runSlash(chat: SlashChat, extras: SlashExtras, text: string): Promise<void> | null {
  const slash = parseSlash(text);
  if (!slash) return null;
  if ('unknown' in slash) extras.note(`Unknown command /${slash.unknown}. Type / to see the commands.`);
  else if (chat.running && !slash.command.duringTurn) extras.note(`/${slash.command.name} waits until the turn ends: stop it or let it finish.`);
  else return runCommand(commandHost(chat, extras), slash.command, slash.args);
  return Promise.resolve();
}

/** The chat as the commands see it: values as they are now, `entries` as it is when read. */
function commandHost(chat: SlashChat, extras: SlashExtras): CommandHost {
  return {
    get entries() {
      return chat.entries;
    },
    settings: chat.settings,
    sandbox: chat.sandbox,
    root: chat.root,
    sessionId: chat.sessionId,
    usage: chat.usage,
    tokens: chat.tokens,
    tools: chat.tools,
    ...extras,
    newConversation: () => chat.newConversation(),
    clear: () => chat.clear(),
    undo: () => chat.undo(),
    compact: () => chat.compact(),
    send: (text) => chat.send(text),
  };
}
