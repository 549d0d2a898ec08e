/** POSIX path helpers for sandbox paths (no `node:path` in the engine). */

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

export function joinPath(...parts: string[]): string {
  return normalizePath(parts.filter((p) => p !== '').join('/'));
}

/** `target` resolved against `base` unless it is absolute. */
export function resolvePath(base: string, target: string): string {
  return target.startsWith('/') ? normalizePath(target) : joinPath(base, target);
}

export function dirname(path: string): string {
  const normal = normalizePath(path);
  const cut = normal.lastIndexOf('/');
  if (cut <= 0) return normal.startsWith('/') ? '/' : '.';
  return normal.slice(0, cut);
}

/** Whether `path` is `root` or inside it (both absolute). */
export function isInside(root: string, path: string): boolean {
  const r = normalizePath(root);
  const p = normalizePath(path);
  return r === '/' || p === r || p.startsWith(`${r}/`);
}

/** Directories from `from` down to `to` (inclusive); `to` must be inside `from`. */
export function pathsBetween(from: string, to: string): string[] {
  const start = normalizePath(from);
  const end = normalizePath(to);
  const rest = end === start ? [] : end.slice(start === '/' ? 1 : start.length + 1).split('/');
  const out = [start];
  let current = start;
  for (const part of rest) {
    current = joinPath(current, part);
    out.push(current);
  }
  return out;
}
