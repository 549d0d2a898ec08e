/**
 * Rewind and redo as changes to a stored session: a `goto` record in its log (nothing is
 * deleted) and the workspace of the point it goes to, put in the sandbox and recorded as the
 * session's newest manifest.
 */
import type { Sandbox } from '../sandbox/sandbox';
import { GOTO_RECORD } from '../store/log-records';
import type { LoadedSession, Manifest, SessionStore } from '../store/session-store';

/** What the model is told with the next message after a rewind. */
export const REWIND_NOTE =
  'The user rewound the conversation to this point: what came after it is gone, and the workspace files were restored to how they were here. Look at the files again before relying on what you remember of them.';

/** Continues the log from the end of the turn recorded at `turnAt`; returns that turn's workspace. */
export async function rewindTo(store: SessionStore, loaded: LoadedSession, turnAt: number): Promise<Manifest | null> {
  const row = loaded.view.segments.flatMap((s) => s.rows).find((r) => r.kind === 'turn' && r.at === turnAt);
  const target =
    (row?.kind === 'turn' && row.turn.after !== null ? loaded.manifests.get(row.turn.after) : null) ?? loaded.manifests.atRecord(turnAt + 1);
  await store.appendControl(loaded.session.id, { type: GOTO_RECORD, to: turnAt + 1, why: 'rewind', note: REWIND_NOTE });
  return target;
}

/** Undoes the rewind whose record is at `to`; returns the workspace as it was then. */
export async function redoTo(store: SessionStore, loaded: LoadedSession, to: number): Promise<Manifest | null> {
  await store.appendControl(loaded.session.id, { type: GOTO_RECORD, to, why: 'redo' });
  return loaded.manifests.atRecord(to);
}

/** Puts `target`'s files in the sandbox and records them as the session's newest workspace. */
export async function restoreWorkspace(
  store: SessionStore,
  sandbox: Pick<Sandbox, 'restore'>,
  loaded: LoadedSession,
  target: Manifest,
): Promise<void> {
  const { snapshot } = await store.readFiles(target);
  await sandbox.restore(snapshot);
  await store.saveWorkspace(loaded.session.id, { prev: loaded.workspace, next: target, blobs: new Map(), reason: 'rewind', force: true });
}
