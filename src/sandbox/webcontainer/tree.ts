/**
 * Our Snapshot ⇄ the WebContainer's FileSystemTree (what `export(…, {format:'json'})` returns
 * and `mount()` takes).
 *
 * In an exported tree a file's `contents` is a string when the runtime considered it text
 * and a Uint8Array otherwise; both are classified again with `asText` so a snapshot from
 * this backend matches one from the embedded backend byte for byte. Symlinks have no place
 * in a Snapshot and are left out. Rebuildable folders (node_modules, …) are left out here
 * too, whatever the export's glob excludes did.
 */
import type { DirectoryNode, FileNode, FileSystemTree, SymlinkNode } from '@webcontainer/api';
import { REBUILDABLE_DIRS, asText, emptySnapshot, fromBase64, toBase64, validateSnapshot, type Snapshot } from '../snapshot';

const encoder = new TextEncoder();

/** Globs handed to `export()` so rebuildable folders are not even serialised. */
export function exportExcludes(): string[] {
  return REBUILDABLE_DIRS.flatMap((name) => [`**/${name}`, `**/${name}/**`]);
}

export function treeToSnapshot(tree: FileSystemTree): Snapshot {
  const snapshot: Snapshot = { ...emptySnapshot(), files: nullRecord(), binary: nullRecord() };
  walk(tree, '', snapshot);
  // Sorted keys: equal workspaces give equal JSON.
  return {
    ...snapshot,
    files: sortedRecord(snapshot.files),
    binary: sortedRecord(snapshot.binary),
    dirs: [...snapshot.dirs].sort(),
  };
}

function walk(tree: FileSystemTree, prefix: string, out: Snapshot): void {
  for (const [name, node] of Object.entries(tree)) {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) continue;
    const path = prefix ? `${prefix}/${name}` : name;
    if ('directory' in node) {
      if (REBUILDABLE_DIRS.includes(name)) continue;
      const before = countEntries(out);
      walk(node.directory, path, out);
      if (countEntries(out) === before) out.dirs.push(path);
      continue;
    }
    if (isSymlink(node)) continue;
    const contents = node.file.contents;
    const bytes = typeof contents === 'string' ? undefined : contents;
    const text = typeof contents === 'string' && !contents.includes('\0') ? contents : bytes && asText(bytes);
    if (text !== undefined) out.files[path] = text;
    else out.binary[path] = toBase64(bytes ?? encoder.encode(contents as string));
  }
}

function isSymlink(node: FileNode | SymlinkNode): node is SymlinkNode {
  return 'symlink' in node.file;
}

function countEntries(s: Snapshot): number {
  return Object.keys(s.files).length + Object.keys(s.binary).length + s.dirs.length;
}

function nullRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out = nullRecord();
  for (const key of Object.keys(record).sort()) out[key] = record[key] as string;
  return out;
}

/**
 * The snapshot as a tree to mount at the workspace root. Validates it first (an import or a
 * share link is untrusted) and throws when a path is both a file and a directory.
 */
export function snapshotToTree(value: Snapshot): FileSystemTree {
  const snapshot = validateSnapshot(value);
  const root = emptyTree();
  for (const dir of snapshot.dirs) directoryAt(root, dir.split('/'), dir);
  const put = (path: string, contents: string | Uint8Array) => {
    const parts = path.split('/');
    const name = parts.pop() as string;
    const parent = directoryAt(root, parts, path);
    if (Object.hasOwn(parent, name)) throw new Error(`snapshot lists "${path}" twice or as a directory and a file`);
    parent[name] = { file: { contents } };
  };
  for (const [path, text] of Object.entries(snapshot.files)) put(path, text);
  for (const [path, base64] of Object.entries(snapshot.binary)) put(path, fromBase64(base64));
  return root;
}

/** Prototype-free, so names like "constructor" or "__proto__" are ordinary keys. */
function emptyTree(): FileSystemTree {
  return Object.create(null) as FileSystemTree;
}

function directoryAt(root: FileSystemTree, parts: string[], path: string): FileSystemTree {
  let current = root;
  for (const part of parts) {
    const existing = Object.hasOwn(current, part) ? current[part] : undefined;
    if (existing === undefined) {
      const node: DirectoryNode = { directory: emptyTree() };
      current[part] = node;
      current = node.directory;
    } else if ('directory' in existing) {
      current = existing.directory;
    } else {
      throw new Error(`snapshot path "${path}" runs through the file "${part}"`);
    }
  }
  return current;
}
