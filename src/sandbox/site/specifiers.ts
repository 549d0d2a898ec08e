/**
 * How the preview names what a module imports. Every module of the site is known by an
 * `unroll:` URL (`unroll:/src/main.ts`), which the page's import map points at the module's
 * blob; a relative import is rewritten to that name, so modules find each other whatever
 * their blob URLs are, and one module is one instance however it is reached.
 */
import { dirname, normalizePath } from '../../core/paths';
import { extensionOf } from './mime';

const SITE_SCHEME = 'unroll:';
/** A bare import no import map provides: a module that throws a clear error. */
export const MISSING_SCHEME = 'unroll-missing:';

export function siteUrl(path: string, variant?: 'css' | 'json'): string {
  return `${SITE_SCHEME}${path}${variant ? `?${variant}` : ''}`;
}

/** Whether `specifier` names a file by path (relative or from the site root) rather than a package. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier === '.' || specifier === '..';
}

/** Whether `specifier` is a URL the browser loads itself (https:, data:, blob:, …). */
export function isUrlSpecifier(specifier: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(specifier);
}

/**
 * The site file a path specifier in `from` (a site path, '/' being the site root) means, trying
 * what bundlers try: the exact name, `.ts`/`.tsx` for a `.js` name (TypeScript's convention),
 * the module extensions, then an `index` file in the folder. Undefined when none exists.
 */
export function resolveSitePath(from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  const clean = specifier.split(/[?#]/)[0] ?? '';
  const base = normalizePath(clean.startsWith('/') ? clean : `${dirname(from)}/${clean}`);
  const candidates = [base];
  const ext = extensionOf(base);
  if (ext === 'js' || ext === 'jsx' || ext === 'mjs') {
    const stem = base.slice(0, -(ext.length + 1));
    candidates.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`);
  }
  for (const e of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'mts', 'json', 'css']) candidates.push(`${base}.${e}`);
  for (const e of ['ts', 'tsx', 'js', 'jsx', 'mjs']) candidates.push(`${base}/index.${e}`);
  return candidates.find(exists);
}
