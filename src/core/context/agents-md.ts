/**
 * AGENTS.md discovery, following Codex:
 *
 * - Global doc: in `configHome`, the first *non-empty* of AGENTS.override.md, AGENTS.md. An
 *   empty global override does not hide the global AGENTS.md.
 * - Project root: the nearest ancestor of cwd (cwd included) holding a `.git` entry (a
 *   directory, or a file as in worktrees and submodules). Without one, only cwd is searched.
 * - From the root down to cwd, each directory contributes the first *existing regular file*
 *   among AGENTS.override.md, AGENTS.md, then the configured fallback names. An empty or
 *   whitespace-only file still claims its directory (it is then skipped), so an empty
 *   AGENTS.override.md is how a person silences a shared AGENTS.md locally. A directory
 *   named AGENTS.md is not a candidate; a file that cannot be read counts as absent.
 * - Project docs share one byte budget (UTF-8). A file over what is left is cut at a character
 *   boundary; once the budget is spent, later files are dropped. Skipped blank files cost
 *   nothing. Docs are trimmed and joined with a blank line, root first.
 * - Global and project text are joined with GLOBAL_SEPARATOR.
 *
 * Nothing here throws for filesystem trouble: discovery must never stop a turn from starting.
 */
import type { SandboxFs } from '../ports';
import { dirname, joinPath, pathsBetween, resolvePath } from '../paths';

export const AGENTS_OVERRIDE = 'AGENTS.override.md';
export const AGENTS_DEFAULT = 'AGENTS.md';
export const PROJECT_DOC_BUDGET = 32 * 1024;
export const GLOBAL_SEPARATOR = '\n\n--- project-doc ---\n\n';
/** How the user-message part carrying the docs begins (see `agentsDocsText`). */
export const AGENTS_DOCS_PREFIX = '# AGENTS.md instructions for ';

export interface AgentsDocsOptions {
  fs: SandboxFs;
  /** Absolute sandbox path; a relative one is taken from '/'. */
  cwd: string;
  /** Directory holding the user's global AGENTS.override.md / AGENTS.md, if any. */
  configHome?: string;
  /** Extra file names tried after AGENTS.override.md and AGENTS.md (e.g. CLAUDE.md). */
  fallbackNames?: readonly string[];
  /** UTF-8 bytes shared by all project docs (not the global doc); 0 disables them. */
  budget?: number;
}

export interface AgentsDocs {
  /** The combined text, or '' when nothing was found. */
  text: string;
  /** The files whose text is in `text`, in order (global first), for the UI. */
  sources: string[];
}

export async function discoverAgentsDocs(options: AgentsDocsOptions): Promise<AgentsDocs> {
  const { fs } = options;
  const cwd = resolvePath('/', options.cwd);
  const sources: string[] = [];

  let globalText = '';
  if (options.configHome) {
    for (const name of [AGENTS_OVERRIDE, AGENTS_DEFAULT]) {
      const path = joinPath(options.configHome, name);
      const text = (await readIfFile(fs, path))?.trim();
      if (text) {
        globalText = text;
        sources.push(path);
        break;
      }
    }
  }

  const names = candidateNames(options.fallbackNames ?? []);
  const root = (await findProjectRoot(fs, cwd)) ?? cwd;
  let remaining = Math.max(0, Math.floor(options.budget ?? PROJECT_DOC_BUDGET));
  const projectTexts: string[] = [];
  for (const dir of pathsBetween(root, cwd)) {
    if (remaining <= 0) break;
    for (const name of names) {
      const path = joinPath(dir, name);
      const text = await readIfFile(fs, path);
      if (text === null) continue;
      const cut = cutToBytes(text, remaining);
      const trimmed = cut.trim();
      if (trimmed) {
        remaining -= byteLength(cut);
        projectTexts.push(trimmed);
        sources.push(path);
      }
      // The first existing file claims the directory, even when it turned out blank.
      break;
    }
  }

  const project = projectTexts.join('\n\n');
  const text = globalText && project ? `${globalText}${GLOBAL_SEPARATOR}${project}` : globalText || project;
  return { text, sources };
}

/** The user-message part that carries the docs (see REFERENCE §2). */
export function agentsDocsText(cwd: string, docs: string): string {
  return `${AGENTS_DOCS_PREFIX}${cwd}\n\n<INSTRUCTIONS>\n${docs}\n</INSTRUCTIONS>`;
}

/** Override and default first; fallbacks after, without blanks or repeats. */
function candidateNames(fallbacks: readonly string[]): string[] {
  const names = [AGENTS_OVERRIDE, AGENTS_DEFAULT];
  for (const name of fallbacks) {
    if (name.trim() !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

export async function findProjectRoot(fs: SandboxFs, cwd: string): Promise<string | null> {
  for (let dir = cwd; ;) {
    if (await exists(fs, joinPath(dir, '.git'))) return dir;
    const parent = dirname(dir);
    // '/' is its own parent: stop there rather than loop.
    if (parent === dir) return null;
    dir = parent;
  }
}

async function exists(fs: SandboxFs, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)) !== null;
  } catch {
    return false;
  }
}

export async function readIfFile(fs: SandboxFs, path: string): Promise<string | null> {
  try {
    const stat = await fs.stat(path);
    if (!stat?.isFile) return null;
    return await fs.readFile(path);
  } catch {
    return null;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** The longest prefix of `text` within `bytes` UTF-8 bytes, never splitting a character. */
function cutToBytes(text: string, bytes: number): string {
  const encoded = encoder.encode(text);
  if (encoded.length <= bytes) return text;
  let end = bytes;
  // Byte `end` is the first one left out; while it continues a character (10xxxxxx), that
  // character started inside the kept part, so drop it whole.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  return decoder.decode(encoded.subarray(0, end));
}
