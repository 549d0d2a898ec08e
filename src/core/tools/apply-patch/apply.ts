/**
 * Applying a parsed patch over the sandbox filesystem. Every op is checked and its result
 * computed first (later ops see earlier ops' results); only then is anything written, so a
 * patch that fails to verify leaves the workspace untouched. If a write itself fails, the
 * files already written are restored to what they were.
 */
import { dirname, isInside, resolvePath } from '../../paths';
import type { SandboxFs } from '../../ports';
import { type FileOp, type Patch, PatchError } from './parse';
import { applyHunks } from './match';

export interface FileChange {
  /** As written in the patch. */
  path: string;
  /** Resolved absolute path in the sandbox. */
  absPath: string;
  kind: 'add' | 'update' | 'delete';
  /** As written in the patch's `*** Move to:`. */
  movedTo?: string;
  movedToAbsPath?: string;
  /** Content before the op (update, delete). */
  oldText?: string;
  /** Content after the op (add, update). */
  newText?: string;
}

export interface ApplyOptions {
  /** Relative patch paths resolve against this absolute directory. */
  cwd: string;
  /** No path may resolve outside this absolute directory. */
  root: string;
}

export interface PatchPlan {
  changes: FileChange[];
  /** Final content per absolute path; `null` means the file is removed. Only real changes. */
  writes: Map<string, string | null>;
  /** What each path in `writes` held before (`null`: nothing), for rollback. */
  originals: Map<string, string | null>;
  summary: string;
}

export interface ApplyResult {
  changes: FileChange[];
  summary: string;
}

/** Verifies the whole patch and computes every change without writing anything. */
export async function planPatch(patch: Patch, fs: SandboxFs, options: ApplyOptions): Promise<PatchPlan> {
  const state = new Overlay(fs, options.root);
  const changes: FileChange[] = [];
  for (const op of patch.ops) changes.push(await planOp(op, state, options));
  const writes = new Map<string, string | null>();
  const originals = new Map<string, string | null>();
  for (const [abs, content] of state.current) {
    const before = state.originals.get(abs) ?? null;
    if (content === before) continue;
    writes.set(abs, content);
    originals.set(abs, before);
  }
  return { changes, writes, originals, summary: formatSummary(changes) };
}

/** Writes a plan: removals first (a removed file may make room for a directory), then files. */
async function commitPlan(plan: PatchPlan, fs: SandboxFs): Promise<void> {
  const touched: string[] = [];
  let current = '';
  try {
    for (const [abs, content] of plan.writes) {
      if (content !== null) continue;
      current = abs;
      touched.push(abs);
      await fs.rm(abs);
    }
    for (const [abs, content] of plan.writes) {
      if (content === null) continue;
      current = abs;
      touched.push(abs);
      await fs.mkdir(dirname(abs));
      await fs.writeFile(abs, content);
    }
  } catch (err) {
    const restored = await rollback(touched, plan.originals, fs);
    throw new PatchError(
      `Failed to write ${current}: ${errorMessage(err)}. ` +
        (restored ? 'The files this patch had already changed were restored.' : 'Some files could not be restored.'),
    );
  }
}

export async function applyPatch(patch: Patch, fs: SandboxFs, options: ApplyOptions): Promise<ApplyResult> {
  const plan = await planPatch(patch, fs, options);
  await commitPlan(plan, fs);
  return { changes: plan.changes, summary: plan.summary };
}

/** "Success. Updated the following files:" then A, M and D lines in that order, each once. */
function formatSummary(changes: readonly FileChange[]): string {
  const lines = new Set<string>();
  for (const c of changes) if (c.kind === 'add') lines.add(`A ${c.path}`);
  for (const c of changes) if (c.kind === 'update') lines.add(`M ${c.movedTo ?? c.path}`);
  for (const c of changes) if (c.kind === 'delete') lines.add(`D ${c.path}`);
  return `Success. Updated the following files:\n${[...lines].map((l) => `${l}\n`).join('')}`;
}

/**
 * Resolves a patch path against `cwd`, refusing absolute paths and anything outside `root`.
 * Purely lexical: the port offers no way to resolve symlinks.
 */
export function resolveWorkspacePath(path: string, cwd: string, root: string): string {
  if (/^(?:\/|~|[A-Za-z]:[\\/]|\\\\)/.test(path)) {
    throw new PatchError(`Absolute path not allowed: "${path}". Patch paths must be relative to the working directory (${cwd}).`);
  }
  const abs = resolvePath(resolvePath('/', cwd), path);
  const base = resolvePath('/', root);
  if (!isInside(base, abs)) {
    throw new PatchError(
      `Path "${path}" resolves to ${abs}, which is outside the workspace (${base}). ` + 'Patches may only change files inside the workspace.',
    );
  }
  return abs;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Decodes strictly: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The filesystem as the ops seen so far have left it; reads fall through to the sandbox. */
class Overlay {
  readonly current = new Map<string, string | null>();
  readonly originals = new Map<string, string | null>();
  /** Files whose bytes are not UTF-8: their text here is lossy, so they must not be rewritten. */
  readonly notUtf8 = new Set<string>();
  readonly #fs: SandboxFs;
  readonly #root: string;

  constructor(
    fs: SandboxFs,
    /** The workspace root: parents are checked up to it, never above (the sandbox refuses those). */
    root: string,
  ) {
    this.#fs = fs;
    this.#root = root;
  }

  /** Whether `abs` still holds its original, non-UTF-8 content (no earlier op replaced it). */
  isNotUtf8(abs: string): boolean {
    return this.notUtf8.has(abs) && this.current.get(abs) === this.originals.get(abs);
  }

  /** The file's content, or null if nothing is there. Directories are an error. */
  async read(abs: string, shown: string): Promise<string | null> {
    const known = this.current.get(abs);
    if (known !== undefined) return known;
    const stat = await this.#stat(abs, shown);
    if (stat?.isDirectory) throw new PatchError(`"${shown}" is a directory, not a file.`);
    let text: string | null = null;
    if (stat) {
      try {
        text = await this.#readText(abs);
      } catch (err) {
        throw new PatchError(`Could not read "${shown}": ${errorMessage(err)}`);
      }
    }
    this.current.set(abs, text);
    this.originals.set(abs, text);
    return text;
  }

  /**
   * The file as text. From its bytes when the sandbox offers them, so a byte-order mark is kept
   * and bytes that are not UTF-8 are noticed (a string read has already replaced them).
   */
  async #readText(abs: string): Promise<string> {
    if (!this.#fs.readFileBytes) return this.#fs.readFile(abs);
    const bytes = await this.#fs.readFileBytes(abs);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      this.notUtf8.add(abs);
      return lenientUtf8.decode(bytes);
    }
  }

  async set(abs: string, shown: string, content: string | null): Promise<void> {
    if (content !== null) await this.#checkParents(abs, shown);
    this.current.set(abs, content);
  }

  /** A file can't be created below something that is (and stays) a file. */
  async #checkParents(abs: string, shown: string): Promise<void> {
    const base = resolvePath('/', this.#root);
    const below = (dir: string) => dir !== base && isInside(base, dir);
    for (let dir = dirname(abs); below(dir); dir = dirname(dir)) {
      const known = this.current.get(dir);
      if (known === null) continue;
      const isFile = known !== undefined || (await this.#stat(dir, shown))?.isFile === true;
      if (isFile) throw new PatchError(`Cannot create "${shown}": ${dir} is a file, not a directory.`);
    }
  }

  async #stat(abs: string, shown: string) {
    try {
      return await this.#fs.stat(abs);
    } catch (err) {
      throw new PatchError(`Could not inspect "${shown}": ${errorMessage(err)}`);
    }
  }
}

async function planOp(op: FileOp, state: Overlay, options: ApplyOptions): Promise<FileChange> {
  const abs = resolveWorkspacePath(op.path, options.cwd, options.root);
  const existing = await state.read(abs, op.path);
  switch (op.kind) {
    case 'add': {
      if (existing !== null) {
        throw new PatchError(`Cannot add "${op.path}": the file already exists. Use "*** Update File: ${op.path}" to change it.`, op.line);
      }
      const newText = op.lines.length === 0 ? '' : `${op.lines.join('\n')}\n`;
      await state.set(abs, op.path, newText);
      return { path: op.path, absPath: abs, kind: 'add', newText };
    }
    case 'delete': {
      if (existing === null) throw new PatchError(`Cannot delete "${op.path}": no such file.`, op.line);
      await state.set(abs, op.path, null);
      return { path: op.path, absPath: abs, kind: 'delete', oldText: existing };
    }
    case 'update': {
      if (existing === null) {
        throw new PatchError(`Cannot update "${op.path}": no such file. Use "*** Add File: ${op.path}" to create it.`, op.line);
      }
      if (state.isNotUtf8(abs)) {
        throw new PatchError(
          `Failed to read file to update "${op.path}": it is not valid UTF-8 (a binary file, or text in another ` +
            'encoding). apply_patch only edits UTF-8 text, so the file was left as it is.',
          op.line,
        );
      }
      const newText = applyHunks(existing, op.hunks, op.path);
      const change: FileChange = { path: op.path, absPath: abs, kind: 'update', oldText: existing, newText };
      const dest = op.moveTo === undefined ? abs : resolveWorkspacePath(op.moveTo, options.cwd, options.root);
      if (op.moveTo !== undefined && dest !== abs) {
        if ((await state.read(dest, op.moveTo)) !== null) {
          throw new PatchError(`Cannot move "${op.path}" to "${op.moveTo}": a file already exists there.`, op.line);
        }
        await state.set(abs, op.path, null);
        await state.set(dest, op.moveTo, newText);
        change.movedTo = op.moveTo;
        change.movedToAbsPath = dest;
      } else {
        await state.set(abs, op.path, newText);
      }
      return change;
    }
  }
}

async function rollback(touched: readonly string[], originals: Map<string, string | null>, fs: SandboxFs) {
  let ok = true;
  for (const abs of [...touched].reverse()) {
    const before = originals.get(abs) ?? null;
    try {
      if (before === null) {
        if (await fs.stat(abs)) await fs.rm(abs);
      } else {
        await fs.writeFile(abs, before);
      }
    } catch {
      ok = false;
    }
  }
  return ok;
}
