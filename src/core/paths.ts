/**
 * POSIX path helpers for sandbox paths (the engine cannot import `node:path`). Sandbox paths
 * are always '/'-separated; backslashes are ordinary characters here.
 */

/**
 * Collapses `//`, `.` and `..` segments and drops a trailing slash. An absolute path never
 * climbs above '/'; a relative one keeps its leading `..`s. The empty path becomes '.'.
 */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** The parts joined with '/' and normalised; empty parts are ignored (like `path.posix.join`). */
export function joinPath(...parts: string[]): string {
  return normalizePath(parts.filter((p) => p !== '').join('/'));
}

/** `target` resolved against `base` unless it is absolute. */
export function resolvePath(base: string, target: string): string {
  return target.startsWith('/') ? normalizePath(target) : joinPath(base, target);
}

/** The parent directory; '/' is its own parent and a bare relative name's parent is '.'. */
export function dirname(path: string): string {
  const normal = normalizePath(path);
  const cut = normal.lastIndexOf('/');
  if (cut < 0) return '.';
  if (cut === 0) return '/';
  return normal.slice(0, cut);
}

/**
 * Whether `path` is `root` or inside it, compared segment-wise after normalising (so
 * `/workspace2` is not inside `/workspace`). Both are expected to be absolute.
 */
export function isInside(root: string, path: string): boolean {
  const r = normalizePath(root);
  const p = normalizePath(path);
  return r === '/' ? p.startsWith('/') : p === r || p.startsWith(`${r}/`);
}

/**
 * Every directory from `from` down to `to`, both included, outermost first. Empty when `to`
 * is not `from` or inside it, so a caller never walks a path it did not ask for.
 */
export function pathsBetween(from: string, to: string): string[] {
  const start = normalizePath(from);
  const end = normalizePath(to);
  if (!isInside(start, end)) return [];
  const out = [start];
  if (end === start) return out;
  let current = start;
  for (const part of end.slice(start === '/' ? 1 : start.length + 1).split('/')) {
    current = joinPath(current, part);
    out.push(current);
  }
  return out;
}
