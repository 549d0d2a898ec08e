/**
 * Where a rewind or a redo takes a stored session: a `goto` record that moves its log (nothing
 * is deleted) and the workspace of the point it goes to. The open session's recorder writes
 * both (`SessionRecorder.goto`); reopening the session puts those files in the sandbox.
 */
import { GOTO_RECORD, type GotoRecord } from '../store/log-records';
import type { LoadedSession, Manifest } from '../store/session-store';

/** What the model is told with the next message after a rewind. */
const REWIND_NOTE =
  'The user rewound the conversation to this point: what came after it is gone, and the workspace files were restored to how they were here. Look at the files again before relying on what you remember of them.';

/** The record that moves the log, and the workspace there (null: none is stored, the files stay). */
export interface GotoTarget {
  record: GotoRecord;
  workspace: Manifest | null;
}

/** Continues the log from the end of the turn recorded at `turnAt`, with that turn's workspace. */
export function rewindTarget(loaded: LoadedSession, turnAt: number): GotoTarget {
  const row = loaded.view.segments.flatMap((s) => s.rows).find((r) => r.kind === 'turn' && r.at === turnAt);
  const workspace =
    (row?.kind === 'turn' && row.turn.after !== null ? loaded.manifests.get(row.turn.after) : null) ?? loaded.manifests.atRecord(turnAt + 1);
  return { record: { type: GOTO_RECORD, to: turnAt + 1, why: 'rewind', note: REWIND_NOTE }, workspace };
}

/** Undoes the rewind whose record is at `to`, with the workspace as it was then. */
export function redoTarget(loaded: LoadedSession, to: number): GotoTarget {
  return { record: { type: GOTO_RECORD, to, why: 'redo' }, workspace: loaded.manifests.atRecord(to) };
}
