/**
 * The workspace filesystem over `wc.fs`. Every path is confined to the workdir first and
 * handed to the runtime in workdir-relative form. Each method waits for the boot (and
 * rejects with its failure); errors read "cannot <op> <absolute path>: <reason>".
 *
 * Semantics shared with the embedded backend: writeFile and rename create missing parent
 * directories; mkdir is `mkdir -p`; rm removes directories with their contents and fails
 * for a missing path; the workspace root itself cannot be removed, renamed or written.
 * Removing a directory reports a delete for everything in it, deepest first, then for it.
 *
 * stat: the WebContainer fs has no stat, so the kind comes from listing the parent and a
 * file's size from reading it (directories report size 0).
 */
import { dirname } from '../../core/paths';
import type { Toolbox } from './toolbox-install';
import type { FileStat } from '../../core/ports';
import type { DirEntry, FsChange, SandboxFilesystem } from '../sandbox';
import { withFsErrors } from '../fs-errors';
import { descendants, kindOf, missingDirs } from './fs-util';
import { confine, relativeTo, type ConfinedPath } from './paths';
import type { WcInstance } from './types';
import type { ChangeHub } from './watch';

export interface WcContext {
  wc: WcInstance;
  /** The workdir: absolute, normalised. */
  root: string;
  /** The toolbox once installed (undefined where it could not be): commands wait for it. */
  toolbox?: Promise<Toolbox | undefined>;
}

const decoder = new TextDecoder();

export function createWcFilesystem(ready: () => Promise<WcContext>, changes: ChangeHub): SandboxFilesystem {
  /** Waits for the instance, then confines `path` (the refusal names the path as given). */
  const at = async (path: string): Promise<WcContext & ConfinedPath> => {
    const ctx = await ready();
    return { ...ctx, ...confine(ctx.root, path) };
  };
  const notRoot = (p: ConfinedPath & WcContext, op: string) => {
    if (p.abs === p.root) throw new Error(`cannot ${op} ${p.abs}: it is the workspace root`);
  };

  /** `mkdir -p` of `dir`, reporting each directory it creates. */
  const ensureDir = async (ctx: WcContext, dir: string): Promise<void> => {
    const created = await missingDirs(ctx.wc.fs, ctx.root, dir);
    if (created.length === 0) return;
    await ctx.wc.fs.mkdir(relativeTo(ctx.root, dir), { recursive: true });
    for (const path of created) changes.emitOwn({ kind: 'create', path, isDirectory: true });
  };

  const fs: SandboxFilesystem = {
    async readFile(path) {
      const p = await at(path);
      return withFsErrors('read', p.abs, async () => decoder.decode(await p.wc.fs.readFile(p.rel)));
    },

    async readFileBytes(path) {
      const p = await at(path);
      return withFsErrors('read', p.abs, () => p.wc.fs.readFile(p.rel));
    },

    async writeFile(path, content) {
      const p = await at(path);
      notRoot(p, 'write');
      await withFsErrors('write', p.abs, async () => {
        const before = await kindOf(p.wc.fs, p.root, p.abs);
        if (before === 'directory') throw new Error('EISDIR');
        await ensureDir(p, dirname(p.abs));
        await p.wc.fs.writeFile(p.rel, content);
        changes.emitOwn({ kind: before ? 'change' : 'create', path: p.abs, isDirectory: false });
      });
    },

    async list(path) {
      const p = await at(path);
      return withFsErrors('list', p.abs, async () => {
        const entries = await p.wc.fs.readdir(p.rel, { withFileTypes: true });
        return entries
          .map((e): DirEntry => ({ name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile() }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      });
    },

    async readdir(path) {
      return (await fs.list(path)).map((e) => e.name);
    },

    async mkdir(path) {
      const p = await at(path);
      await withFsErrors('create directory', p.abs, async () => {
        const kind = await kindOf(p.wc.fs, p.root, p.abs);
        if (kind === 'file') throw new Error('EEXIST');
        if (kind === null) await ensureDir(p, p.abs);
      });
    },

    async rm(path) {
      const p = await at(path);
      notRoot(p, 'remove');
      await withFsErrors('remove', p.abs, async () => {
        const kind = await kindOf(p.wc.fs, p.root, p.abs);
        if (kind === null) throw new Error('ENOENT');
        const inside = kind === 'directory' ? await descendants(p.wc.fs, p.root, p.abs) : [];
        await p.wc.fs.rm(p.rel, { recursive: true, force: false });
        for (const gone of inside) changes.emitOwn({ kind: 'delete', ...gone });
        changes.emitOwn({ kind: 'delete', path: p.abs, isDirectory: kind === 'directory' });
      });
    },

    async rename(from, to) {
      const src = await at(from);
      const dest = confine(src.root, to);
      notRoot(src, 'move');
      if (dest.abs === src.root) throw new Error(`cannot move ${src.abs} onto the workspace root`);
      if (dest.abs.startsWith(`${src.abs}/`)) throw new Error(`cannot move ${src.abs} into itself (${dest.abs})`);
      await withFsErrors('move', `${src.abs} to ${dest.abs}`, async () => {
        const kind = await kindOf(src.wc.fs, src.root, src.abs);
        if (kind === null) throw new Error('ENOENT');
        if (dest.abs === src.abs) return;
        const existed = await kindOf(src.wc.fs, src.root, dest.abs);
        await ensureDir(src, dirname(dest.abs));
        await src.wc.fs.rename(src.rel, dest.rel);
        const isDirectory = kind === 'directory';
        changes.emitOwn({ kind: 'delete', path: src.abs, isDirectory });
        changes.emitOwn({ kind: existed ? 'change' : 'create', path: dest.abs, isDirectory });
      });
    },

    async stat(path): Promise<FileStat | null> {
      const p = await at(path);
      return withFsErrors('stat', p.abs, async () => {
        const kind = await kindOf(p.wc.fs, p.root, p.abs);
        if (kind === null) return null;
        if (kind === 'directory') return { isFile: false, isDirectory: true, size: 0 };
        const bytes = await p.wc.fs.readFile(p.rel).catch((err: unknown) => {
          // A symlink to a directory lists as "not a directory" but cannot be read as a file.
          if (/EISDIR/.test(String((err as Error | undefined)?.message ?? err))) return undefined;
          throw err;
        });
        return bytes ? { isFile: true, isDirectory: false, size: bytes.byteLength } : { isFile: false, isDirectory: true, size: 0 };
      });
    },

    watch(listener: (change: FsChange) => void, onProblem?: (problem: string) => void) {
      return changes.subscribe(listener, onProblem);
    },
  };
  return fs;
}
