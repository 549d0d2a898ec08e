/**
 * What turns changed in the workspace, read from the stored manifests (live and after a
 * reload alike), and putting files back as they were before a turn.
 */
import type { Sandbox } from '../sandbox/sandbox';
import { changedPaths } from '../store/manifests';
import type { Manifest, ManifestHistory, SessionStore } from '../store/session-store';

/** The one read turn changes need: file contents of a stored workspace. */
export type StoredFiles = Pick<SessionStore, 'readFiles'>;
import type { TurnEntry } from './chat-entries';
import { diffSnapshots, type FileDiff } from './turn-diff';

/** What changed between two stored workspaces, read from their blobs (only the changed files). */
export async function diffManifests(store: StoredFiles, a: Manifest, b: Manifest): Promise<FileDiff[]> {
  const paths = changedPaths(a, b);
  if (paths.length === 0) return [];
  const [before, after] = await Promise.all([store.readFiles(a, paths), store.readFiles(b, paths)]);
  return diffSnapshots(before.snapshot, after.snapshot);
}

/** Fills in the changes of reloaded turns, newest first; a turn whose manifests are gone shows none. */
export async function fillStoredChanges(turns: readonly TurnEntry[], manifests: ManifestHistory | undefined, store: StoredFiles): Promise<void> {
  for (const turn of [...turns].reverse()) {
    if (turn.changes !== null) continue;
    const a = manifests && turn.before != null ? manifests.get(turn.before) : null;
    const b = manifests && turn.after != null ? manifests.get(turn.after) : null;
    try {
      turn.changes = a && b ? await diffManifests(store, a, b) : [];
    } catch {
      turn.changes = [];
    }
  }
}

/**
 * Puts `paths` back as they were before `turn` (an added file is removed; binary files are left,
 * their texts are not kept in a diff). Returns what was reverted and what failed, in words.
 */
export async function revertFiles(
  sandbox: Sandbox,
  root: string,
  turn: TurnEntry,
  paths: readonly string[],
): Promise<{ reverted: string[]; failed: string[] }> {
  const reverted: string[] = [];
  const failed: string[] = [];
  for (const change of turn.changes ?? []) {
    if (!paths.includes(change.path) || (change.binary && change.kind !== 'added')) continue;
    const abs = `${root}/${change.path}`;
    try {
      if (change.kind === 'added') await sandbox.fs.rm(abs);
      else await sandbox.fs.writeFile(abs, change.before);
      reverted.push(change.path);
    } catch (err) {
      failed.push(`Could not revert ${change.path}: ${(err as Error).message}`);
    }
  }
  return { reverted, failed };
}
