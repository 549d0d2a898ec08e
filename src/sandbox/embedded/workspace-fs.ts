/**
 * The embedded sandbox's SandboxFilesystem: the workspace seen through a WatchedFs, so every
 * write made here is also a change event.
 *
 * Confinement is lexical: a path is resolved against the root (relative) or normalised
 * (absolute), and refused when the result is not the root or inside it. Symlinks inside the
 * workspace are followed like any filesystem would; they can only reach the sandbox's own
 * in-memory tree, never the host.
 */
import type { FsStat } from 'just-bash';
import { dirname, isInside, joinPath, normalizePath } from '../../core/paths';
import type { FileStat } from '../../core/ports';
import { withFsErrors } from '../fs-errors';
import type { DirEntry, SandboxFilesystem } from '../sandbox';
import type { WatchedFs } from './watched-fs';

export function createWorkspaceFs(fs: WatchedFs): SandboxFilesystem {
  const root = fs.root;

  /** Runs `action` on the confined absolute path; errors name the caller's path. */
  const at = <T>(op: string, path: string, action: (abs: string) => Promise<T>): Promise<T> =>
    withFsErrors(op, path, async () => action(confine(root, path)));

  const notRoot = (abs: string): string => {
    if (abs === root) throw new Error(`${root} is the workspace root`);
    return abs;
  };

  const ensureParent = async (abs: string): Promise<void> => {
    const parent = dirname(abs);
    if (!(await fs.exists(parent))) await fs.mkdir(parent, { recursive: true });
  };

  return {
    readFile: (path) => at('read', path, (abs) => fs.readFile(abs, 'utf8')),

    // A copy, so callers cannot change the stored file by mutating the array.
    readFileBytes: (path) => at('read', path, async (abs) => (await fs.readFileBuffer(abs)).slice()),

    writeFile: (path, content) =>
      at('write', path, async (abs) => {
        notRoot(abs);
        await ensureParent(abs);
        await fs.writeFile(abs, typeof content === 'string' ? content : content.slice(), typeof content === 'string' ? 'utf8' : undefined);
      }),

    list: (path) =>
      at('list', path, async (abs) => {
        const names = (await fs.readdir(abs)).sort();
        const entries: DirEntry[] = [];
        for (const name of names) {
          // Followed, so a link to a directory lists as one; a dangling link is neither.
          const stat = await statOrNull(fs, joinPath(abs, name));
          entries.push({ name, isDirectory: stat?.isDirectory ?? false, isFile: stat?.isFile ?? false });
        }
        return entries;
      }),

    readdir: (path) => at('list', path, async (abs) => (await fs.readdir(abs)).sort()),

    rename: (from, to) =>
      at('rename', from, async (src) => {
        const dest = confine(root, to);
        notRoot(src);
        notRoot(dest);
        if (isInside(src, dest) && src !== dest) throw new Error(`cannot move a directory into itself (${to})`);
        if (!(await fs.exists(src))) throw new Error('ENOENT');
        await ensureParent(dest);
        await fs.mv(src, dest);
      }),

    stat: (path) =>
      at('stat', path, async (abs) => {
        const stat = await statOrNull(fs, abs);
        return stat ? toFileStat(stat) : null;
      }),

    mkdir: (path) => at('create directory', path, (abs) => fs.mkdir(abs, { recursive: true })),

    // Directories go with their contents; a missing path is an error, as is the root.
    rm: (path) => at('remove', path, (abs) => fs.rm(notRoot(abs), { recursive: true })),

    watch: (listener) => fs.watch(listener),
  };
}

/**
 * The absolute path `path` names inside `root`, or an Error "… is outside the workspace".
 * Relative paths resolve against the root.
 */
export function confine(root: string, path: string): string {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) throw new Error(`invalid path ${JSON.stringify(path)}`);
  const abs = path.startsWith('/') ? normalizePath(path) : joinPath(root, path);
  if (!isInside(root, abs)) throw new Error(`${abs} is outside the workspace ${root}`);
  return abs;
}

async function statOrNull(fs: WatchedFs, path: string): Promise<FsStat | null> {
  try {
    return await fs.stat(path);
  } catch (err) {
    if (err instanceof Error && /ENOENT|ENOTDIR|no such file/i.test(err.message)) return null;
    throw err;
  }
}

function toFileStat(stat: FsStat): FileStat {
  return { isFile: stat.isFile, isDirectory: stat.isDirectory, size: stat.size };
}
