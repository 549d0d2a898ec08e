/**
 * Source the preview serves as JavaScript: TypeScript, TSX and JSX transformed on request by
 * Sucrase (loaded on first use: ~190 KB, transforms thousands of lines in milliseconds and
 * keeps every line where it was, so an error's line number is the source's; esbuild-wasm would
 * add a 10 MB WebAssembly download and a slow first start), then every import rewritten by
 * es-module-lexer's positions (see specifiers.ts):
 * - a relative import of a site module → its `unroll:` name;
 * - of a stylesheet → a module that adds it to the page; of JSON → a module exporting it
 *   (with `with { type: 'json' }` kept, the JSON itself);
 * - a bare import (`react`) → the page's own import map when it has the name, else an import
 *   (for its effect: no bindings) of a module that throws an error saying packages need the
 *   WebContainer sandbox.
 */
import { extensionOf } from './mime';
import { isPathSpecifier, isUrlSpecifier, MISSING_SCHEME, resolveSitePath, siteUrl } from './specifiers';

export interface ModuleContext {
  /** Whether a site file exists (site paths: '/' is the site root). */
  exists(path: string): boolean;
  /** Bare names the page's import map provides. */
  mapped: ReadonlySet<string>;
}

export interface TransformedModule {
  code: string;
  /** What it imports that the site lacks: shown in the preview console when the page loads it. */
  missing: string[];
}

type Sucrase = typeof import('sucrase');
type Lexer = typeof import('es-module-lexer');
let loading: Promise<{ sucrase: Sucrase; lexer: Lexer }> | undefined;

/** Loads the transformer and the import lexer (once; they stay out of the first bundle). */
export function loadTransformer(): Promise<{ sucrase: Sucrase; lexer: Lexer }> {
  loading ??= Promise.all([import('sucrase'), import('es-module-lexer')]).then(async ([sucrase, lexer]) => {
    await lexer.init;
    return { sucrase, lexer };
  });
  return loading;
}

/** Compiles `source` (the file at site path `path`) to a browser module whose imports all resolve. */
export async function transformModule(path: string, source: string, context: ModuleContext): Promise<TransformedModule> {
  const { sucrase, lexer } = await loadTransformer();
  const code = compile(sucrase, path, source);
  return rewriteImports(lexer, path, code, context);
}

function compile(sucrase: Sucrase, path: string, source: string): string {
  const ext = extensionOf(path);
  const transforms: ('typescript' | 'jsx')[] = [];
  if (ext === 'ts' || ext === 'mts' || ext === 'tsx') transforms.push('typescript');
  if (ext === 'tsx' || ext === 'jsx') transforms.push('jsx');
  if (transforms.length === 0) return source;
  const result = sucrase.transform(source, {
    transforms,
    filePath: path,
    jsxRuntime: 'classic',
    production: true,
    disableESTransforms: true,
    sourceMapOptions: { compiledFilename: path },
  });
  const map = result.sourceMap ? { ...result.sourceMap, sources: [path], sourcesContent: [source] } : null;
  return map ? `${result.code}\n//# sourceMappingURL=data:application/json;base64,${base64(JSON.stringify(map))}\n` : result.code;
}

function rewriteImports(lexer: Lexer, path: string, code: string, context: ModuleContext): TransformedModule {
  let imports: ReturnType<Lexer['parse']>[0];
  try {
    [imports] = lexer.parse(code, path);
  } catch (err) {
    throw new SyntaxError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const missing: string[] = [];
  let out = '';
  let at = 0;
  for (const item of imports) {
    const specifier = specifierOf(code, item);
    if (specifier === undefined) continue; // import.meta, or a computed dynamic import
    const target = targetOf(path, specifier, item.a > -1, context);
    if (target === undefined) continue;
    const dynamic = item.d > -1;
    if (target.startsWith(MISSING_SCHEME)) {
      missing.push(specifier);
      const statement = code.slice(item.ss, item.se);
      if (!dynamic && /^import\b/.test(statement)) {
        // The missing module has no exports to bind: importing it for its effect (it throws
        // saying why) lets the page link, and fail with that error instead of a link error.
        // Its lines stay, so the lines after it keep their numbers.
        out += `${code.slice(at, item.ss)}import ${JSON.stringify(target)}${'\n'.repeat(statement.split('\n').length - 1)}`;
        at = item.se;
        continue;
      }
    }
    out += code.slice(at, item.s) + (dynamic ? JSON.stringify(target) : target);
    at = item.e;
  }
  return { code: out + code.slice(at), missing };
}

/**
 * The specifier an import names, read from the source by the lexer's positions (its own `n`
 * decodes with eval, which the app's Content-Security-Policy forbids): the text between the
 * quotes of a static import; a dynamic import's argument when it is one plain string literal.
 */
function specifierOf(code: string, item: { s: number; e: number; d: number }): string | undefined {
  if (item.d === -2) return undefined;
  const raw = code.slice(item.s, item.e);
  if (item.d === -1) return raw;
  const quote = raw[0];
  if ((quote !== '"' && quote !== "'" && quote !== '`') || raw.length < 2 || raw.at(-1) !== quote) return undefined;
  const inner = raw.slice(1, -1);
  return inner.includes(quote) || inner.includes('\\') || (quote === '`' && inner.includes('${')) ? undefined : inner;
}

/** The specifier to write instead of `specifier`, or undefined to leave it as it is. */
function targetOf(from: string, specifier: string, hasAttributes: boolean, context: ModuleContext): string | undefined {
  if (isUrlSpecifier(specifier)) return undefined;
  if (!isPathSpecifier(specifier)) {
    return context.mapped.has(specifier) || [...context.mapped].some((name) => name.endsWith('/') && specifier.startsWith(name))
      ? undefined
      : `${MISSING_SCHEME}${specifier}`;
  }
  const resolved = resolveSitePath(from, specifier, context.exists);
  if (!resolved) return `${MISSING_SCHEME}${specifier}`;
  const ext = extensionOf(resolved);
  if (ext === 'css') return siteUrl(resolved, 'css');
  if (ext === 'json') return hasAttributes ? siteUrl(resolved) : siteUrl(resolved, 'json');
  return siteUrl(resolved);
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
