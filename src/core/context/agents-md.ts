/**
 * AGENTS.md discovery: the global doc from the config home, then one doc per directory from
 * the project root (nearest ancestor holding `.git`) down to the cwd.
 */
import type { SandboxFs } from '../ports';
import { dirname, joinPath, pathsBetween, normalizePath } from './paths';

export const AGENTS_OVERRIDE = 'AGENTS.override.md';
export const AGENTS_DEFAULT = 'AGENTS.md';
export const PROJECT_DOC_BUDGET = 32 * 1024;
export const GLOBAL_SEPARATOR = '\n\n--- project-doc ---\n\n';

export interface AgentsDocsOptions {
  fs: SandboxFs;
  cwd: string;
  /** Directory holding the user's global AGENTS.override.md / AGENTS.md, if any. */
  configHome?: string;
  /** Extra file names tried after AGENTS.override.md and AGENTS.md. */
  fallbackNames?: readonly string[];
  /** Bytes shared by all project docs. */
  budget?: number;
}

export interface AgentsDocs {
  /** The combined text, or '' when nothing was found. */
  text: string;
  /** The files read, in order (for the UI). */
  sources: string[];
}

export async function discoverAgentsDocs(options: AgentsDocsOptions): Promise<AgentsDocs> {
  const { fs } = options;
  const cwd = normalizePath(options.cwd);
  const names = [AGENTS_OVERRIDE, AGENTS_DEFAULT, ...(options.fallbackNames ?? [])];
  const sources: string[] = [];

  let globalText = '';
  if (options.configHome) {
    for (const name of [AGENTS_OVERRIDE, AGENTS_DEFAULT]) {
      const path = joinPath(options.configHome, name);
      const text = await readIfFile(fs, path);
      if (text !== null && text.trim()) {
        globalText = text.trim();
        sources.push(path);
        break;
      }
    }
  }

  const root = (await findProjectRoot(fs, cwd)) ?? cwd;
  let remaining = options.budget ?? PROJECT_DOC_BUDGET;
  const projectTexts: string[] = [];
  for (const dir of pathsBetween(root, cwd)) {
    if (remaining <= 0) break;
    for (const name of names) {
      const path = joinPath(dir, name);
      const text = await readIfFile(fs, path);
      if (text === null) continue;
      const cut = cutToBytes(text, remaining);
      remaining -= byteLength(cut);
      if (cut.trim()) {
        projectTexts.push(cut.trim());
        sources.push(path);
      }
      break;
    }
  }

  const project = projectTexts.join('\n\n');
  const text = globalText && project ? `${globalText}${GLOBAL_SEPARATOR}${project}` : globalText || project;
  return { text, sources };
}

/** The user-message part that carries the docs (see REFERENCE §2). */
export function agentsDocsText(cwd: string, docs: string): string {
  return `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\n${docs}\n</INSTRUCTIONS>`;
}

async function findProjectRoot(fs: SandboxFs, cwd: string): Promise<string | null> {
  let dir = cwd;
  for (;;) {
    if (await exists(fs, joinPath(dir, '.git'))) return dir;
    if (dir === '/') return null;
    dir = dirname(dir);
  }
}

async function exists(fs: SandboxFs, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)) !== null;
  } catch {
    return false;
  }
}

async function readIfFile(fs: SandboxFs, path: string): Promise<string | null> {
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
  // Step back over continuation bytes (10xxxxxx) so a character is never split.
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  return decoder.decode(encoded.subarray(0, end));
}
