/**
 * Confining sandbox paths to the workspace root and translating them into the
 * workdir-relative form the WebContainer fs and spawn take.
 */
import { isInside, normalizePath, resolvePath } from '../../core/paths';

export interface ConfinedPath {
  /** Absolute, normalised, inside the root. */
  abs: string;
  /** Relative to the root ('.' for the root itself), as passed to the WebContainer. */
  rel: string;
}

/**
 * Resolves `path` (absolute, or relative to `root`) and refuses it with an Error when it
 * lands outside `root`. `root` is absolute and normalised.
 */
export function confine(root: string, path: string): ConfinedPath {
  if (path.includes('\0')) throw new Error(`"${path}" is not a valid path`);
  const abs = resolvePath(root, path === '' ? '.' : path);
  if (!isInside(root, abs)) throw new Error(`"${path}" is outside the workspace (${root})`);
  return { abs, rel: relativeTo(root, abs) };
}

/** `abs` relative to `root` ('.' for the root); `abs` must be inside `root`. */
export function relativeTo(root: string, abs: string): string {
  const r = normalizePath(root);
  const a = normalizePath(abs);
  if (a === r) return '.';
  return r === '/' ? a.slice(1) : a.slice(r.length + 1);
}

/**
 * Where a watcher event's filename points: the runtime may report it relative to the
 * watched root (Node's convention) or absolute; undefined when it is empty or outside.
 */
export function watchedPath(root: string, filename: string): string | undefined {
  if (filename === '') return undefined;
  const abs = filename.startsWith('/') ? normalizePath(filename) : resolvePath(root, filename);
  return isInside(root, abs) && abs !== normalizePath(root) ? abs : undefined;
}
