/**
 * ES modules for the embedded `node`: QuickJS's own module system with a loader over the
 * run's filesystem mirror.
 *
 * - `import 'fs'` / `'node:fs'` (any built-in): a generated module whose default export is the
 *   built-in and whose named exports are its properties.
 * - Relative and absolute specifiers resolve against the importing file, as given or with
 *   `.js`, `.mjs`, `.cjs`, `.json` or `/index.js`. JSON files are a default export; CommonJS
 *   files (`.cjs`, or `.js` without import/export syntax) are loaded with `require` and
 *   default-export `module.exports`.
 * - Bare names fail: there is no npm and no node_modules lookup.
 * Every source read is remembered in `sources` so an uncaught error can show its line.
 */
import type { QuickJSContext } from 'quickjs-emscripten-core';
import { dirname, resolvePath } from '../../../core/paths';
import type { FsMirror } from './fs-mirror';
import { BUILTIN_NAMES, ESM_SYNTAX } from './guest-require';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(['default', 'delete', 'new', 'class', 'function', 'var', 'let', 'const', 'import', 'export']);

export interface EsmHost {
  mirror: FsMirror;
  /** Where specifiers in code that is not a file (`-e`, stdin) resolve from. */
  cwd: string;
  /** Built-in name → its property names, read from the guest before the entry runs. */
  builtinExports: Record<string, string[]>;
  /** Filled with every module source the loader reads, by absolute path. */
  sources: Map<string, string>;
}

function notFound(specifier: string, from: string): Error {
  const bare = !/^(\.\.?(\/|$)|\/)/.test(specifier);
  return new Error(
    `Cannot find ${bare ? 'package' : 'module'} '${specifier}' imported from ${from}` +
      (bare ? ` (the embedded sandbox's node runs on QuickJS with ${BUILTIN_NAMES}; use the WebContainer sandbox for npm packages)` : ''),
  );
}

function resolveFile(mirror: FsMirror, base: string): string | undefined {
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}.json`, `${base}/index.js`, `${base}/index.mjs`]) {
    try {
      if (mirror.stat(candidate, 'stat').isFile) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function builtinModule(name: string, exports: readonly string[]): string {
  const named = exports.filter((key) => IDENTIFIER.test(key) && !RESERVED.has(key));
  return (
    `const m = globalThis.__unroll.builtin(${JSON.stringify(name)});\nexport default m;\n` +
    (named.length ? `export const { ${named.join(', ')} } = m;\n` : '')
  );
}

/**
 * Statements that fill in Node's `import.meta` (url, filename, dirname), prepended to a module's
 * first line so its line numbers stay right.
 */
export function importMeta(path: string): string {
  const url = `file://${encodeURI(path)}`;
  return `import.meta.url = ${JSON.stringify(url)}; import.meta.filename = ${JSON.stringify(path)}; import.meta.dirname = ${JSON.stringify(dirname(path))}; `;
}

export function installModuleLoader(context: QuickJSContext, host: EsmHost): void {
  const decoder = new TextDecoder();
  context.runtime.setModuleLoader(
    (name) => {
      if (name.startsWith('node:')) {
        const builtin = name.slice(5);
        return builtinModule(builtin, host.builtinExports[builtin] ?? []);
      }
      const text = decoder.decode(host.mirror.read(name));
      host.sources.set(name, text);
      if (name.endsWith('.json')) {
        JSON.parse(text);
        return `export default ${text};`;
      }
      if (name.endsWith('.cjs') || (!name.endsWith('.mjs') && !ESM_SYNTAX.test(text))) {
        return `export default globalThis.__unroll.requireFrom(${JSON.stringify(name)});`;
      }
      return importMeta(name) + text.replace(/^#!.*/, '');
    },
    (base, requested) => {
      const bare = requested.startsWith('node:') ? requested.slice(5) : requested;
      if (Object.hasOwn(host.builtinExports, bare)) return `node:${bare}`;
      if (!/^(\.\.?(\/|$)|\/)/.test(requested)) return { error: notFound(requested, base) };
      const from = base.startsWith('/') ? dirname(base) : host.cwd;
      return resolveFile(host.mirror, resolvePath(from, requested)) ?? { error: notFound(requested, base) };
    },
  );
}
