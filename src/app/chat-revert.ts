/**
 * Undo and revert in a chat: files put back as they were before a turn, the workspace recorded
 * as it now is, and the model told with the next message (never by editing what it was sent).
 */
import type { Sandbox } from '../sandbox/sandbox';
import type { Entry, TurnEntry } from './chat-entries';
import type { ChatRecording } from './chat-recording';
import { revertFiles } from './turn-changes';

export interface RevertHost {
  readonly sandbox: Sandbox;
  readonly root: string;
  readonly recording: ChatRecording;
  /** Shows a line in the transcript. */
  note(text: string): void;
  /** Tells the model with the next message. */
  noteForModel(text: string): void;
}

/** The last finished turn that changed files; undefined when none did. */
export function lastChangingTurn(entries: readonly Entry[]): (TurnEntry & { changes: NonNullable<TurnEntry['changes']> }) | undefined {
  return entries.findLast((e): e is TurnEntry & { changes: NonNullable<TurnEntry['changes']> } => e.kind === 'turn' && !!e.changes?.length);
}

/** Puts `paths` back as they were before `turn`; says what was reverted and what could not be. */
export async function revertTurn(host: RevertHost, turn: TurnEntry, paths: readonly string[]): Promise<void> {
  const { reverted, failed } = await revertFiles(host.sandbox, host.root, turn, paths);
  for (const line of failed) host.note(line);
  if (reverted.length === 0) return;
  await host.recording.reverted();
  const list = reverted.join(', ');
  host.noteForModel(
    `The user reverted these files to how they were before an earlier turn of yours: ${list}. Read them again before relying on their contents.`,
  );
  host.note(`Reverted ${list}.`);
}
