/**
 * Snapshot export and restore for the WebContainer workspace.
 *
 * restore() empties the workspace and mounts the snapshot's tree at the root, but keeps
 * rebuildable folders (node_modules, dist, …) wherever they are: snapshots never contain
 * them, so keeping them is what lets a restored project run without reinstalling, and a
 * snapshot → restore round trip leave the workspace as it was.
 */
import { REBUILDABLE_DIRS, validateSnapshot, type Snapshot } from '../snapshot';
import { exportExcludes, snapshotToTree, treeToSnapshot } from './tree';
import type { WcFs } from './types';
import type { WcContext } from './wc-fs';

export async function exportSnapshot({ wc }: WcContext): Promise<Snapshot> {
  const tree = await wc.export('.', { format: 'json', excludes: exportExcludes() });
  return treeToSnapshot(tree);
}

export async function restoreSnapshot({ wc }: WcContext, value: Snapshot): Promise<void> {
  const snapshot = validateSnapshot(value);
  const tree = snapshotToTree(snapshot); // before wiping: a bad snapshot changes nothing
  await wipeKeepingRebuildable(wc.fs, '.');
  await wc.mount(tree);
}

/**
 * Removes everything under `dir` (workdir-relative) except rebuildable folders. Returns
 * whether `dir` is now empty.
 */
async function wipeKeepingRebuildable(fs: WcFs, dir: string): Promise<boolean> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const entry of entries) {
    const path = dir === '.' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (REBUILDABLE_DIRS.includes(entry.name)) {
        empty = false;
        continue;
      }
      if (await wipeKeepingRebuildable(fs, path)) await fs.rm(path, { recursive: true, force: true });
      else empty = false;
    } else {
      await fs.rm(path, { force: true });
    }
  }
  return empty;
}
