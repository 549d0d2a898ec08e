/**
 * Small filesystem helpers over the WebContainer fs: what is at a path (it has no stat),
 * which directories a `mkdir -p` would create, and everything under a directory.
 */
import { dirname } from '../../core/paths';
import { isRebuildable } from '../snapshot';
import { relativeTo } from './paths';
import type { WcFs } from './types';

export type EntryKind = 'file' | 'directory';

/**
 * What is at `abs`, found by listing its parent (the WebContainer fs has no stat).
 * Anything that is not a directory — a file, a symlink — counts as a file.
 */
export async function kindOf(fs: WcFs, root: string, abs: string): Promise<EntryKind | null> {
  if (abs === root) return 'directory';
  const parent = dirname(abs);
  const name = abs.slice(parent === '/' ? 1 : parent.length + 1);
  let entries;
  try {
    entries = await fs.readdir(relativeTo(root, parent), { withFileTypes: true });
  } catch {
    return null;
  }
  const entry = entries.find((e) => e.name === name);
  if (!entry) return null;
  return entry.isDirectory() ? 'directory' : 'file';
}

/** The directories from `dir` upwards that do not exist yet, outermost first. */
export async function missingDirs(fs: WcFs, root: string, dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  while (current !== root && current !== '/' && (await kindOf(fs, root, current)) === null) {
    missing.unshift(current);
    current = dirname(current);
  }
  return missing;
}

/**
 * Everything under the directory `abs`, deepest first, each with its kind; rebuildable
 * folders are listed but not entered (their contents are not reported anywhere).
 */
export async function descendants(fs: WcFs, root: string, abs: string): Promise<{ path: string; isDirectory: boolean }[]> {
  const out: { path: string; isDirectory: boolean }[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(relativeTo(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      const isDirectory = entry.isDirectory();
      if (isDirectory && !isRebuildable(entry.name)) await visit(path);
      out.push({ path, isDirectory });
    }
  };
  await visit(abs);
  return out;
}
