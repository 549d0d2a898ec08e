/**
 * Snapshot export and restore over a just-bash filesystem.
 *
 * Export walks the workspace: a directory whose name is rebuildable (node_modules, dist, …) is
 * skipped with everything in it; files are stored as text when they are valid UTF-8 without
 * NUL bytes, else as base64; a directory with nothing stored under it is listed in `dirs`.
 * Symlinks are left out (a snapshot holds plain files and directories only).
 *
 * Restore validates first, so a bad snapshot changes nothing; then it empties the workspace
 * and writes everything through the given filesystem (a WatchedFs reports each step).
 */
import type { IFileSystem } from 'just-bash';
import { asText, emptySnapshot, fromBase64, isRebuildable, toBase64, validateSnapshot, type Snapshot } from '../snapshot';

export async function exportSnapshot(fs: IFileSystem, root: string): Promise<Snapshot> {
  const snapshot = emptySnapshot();
  // Null-prototype records: a file named "__proto__" is an ordinary key here.
  snapshot.files = Object.create(null) as Record<string, string>;
  snapshot.binary = Object.create(null) as Record<string, string>;
  await walk(fs, root, '', snapshot);
  return snapshot;
}

/** Adds what is under `dir` to the snapshot; returns how many entries it stored there. */
async function walk(fs: IFileSystem, dir: string, relative: string, snapshot: Snapshot): Promise<number> {
  let stored = 0;
  for (const entry of await entries(fs, dir)) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    const abs = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      if (isRebuildable(rel)) continue;
      if ((await walk(fs, abs, rel, snapshot)) === 0) snapshot.dirs.push(rel);
      stored++;
    } else if (entry.isFile) {
      const bytes = await fs.readFileBuffer(abs);
      const text = asText(bytes);
      if (text === undefined) snapshot.binary[rel] = toBase64(bytes);
      else snapshot.files[rel] = text;
      stored++;
    }
  }
  return stored;
}

async function entries(fs: IFileSystem, dir: string): Promise<{ name: string; isFile: boolean; isDirectory: boolean }[]> {
  const list = fs.readdirWithFileTypes
    ? await fs.readdirWithFileTypes(dir)
    : await Promise.all(
        (await fs.readdir(dir)).map(async (name) => {
          const stat = await fs.lstat(`${dir}/${name}`);
          return { name, isFile: stat.isFile, isDirectory: stat.isDirectory, isSymbolicLink: stat.isSymbolicLink };
        }),
      );
  return list.filter((e) => !e.isSymbolicLink).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function restoreSnapshot(fs: IFileSystem, root: string, value: unknown): Promise<void> {
  const snapshot = validateSnapshot(value);
  for (const name of await fs.readdir(root)) await fs.rm(`${root}/${name}`, { recursive: true, force: true });
  for (const dir of snapshot.dirs) await fs.mkdir(`${root}/${dir}`, { recursive: true });
  const write = async (rel: string, content: string | Uint8Array): Promise<void> => {
    const abs = `${root}/${rel}`;
    const parent = abs.slice(0, abs.lastIndexOf('/'));
    if (parent !== root) await fs.mkdir(parent, { recursive: true });
    await fs.writeFile(abs, content);
  };
  for (const [rel, text] of Object.entries(snapshot.files)) await write(rel, text);
  for (const [rel, base64] of Object.entries(snapshot.binary)) await write(rel, fromBase64(base64));
}
