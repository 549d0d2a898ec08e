/**
 * A page of the workspace's site, ready for the preview frame: what a static server would
 * serve (HTML, stylesheets, scripts, images, `fetch`ed data), from the sandbox's files, with
 * TypeScript and JSX compiled and every reference turned into a token the frame replaces with
 * the blob URL it makes for that file (see preview-frame.html).
 *
 * Order matters to the frame: it makes blobs in the order of `files`, replacing tokens in each
 * text file with the blob URLs made before it. So files come as: everything without
 * references (images, fonts, JSON, …), stylesheets (an `@import` of a later stylesheet stays a
 * token: kept in dependency order where it matters), modules (they reference stylesheets and
 * each other only through the import map), and the page last.
 */
import { dirname, normalizePath } from '../../core/paths';
import type { DirEntry } from '../sandbox';
import { isRebuildable } from '../snapshot';
import { hooksScript } from './hooks';
import { injectIntoHead, rewriteCss, rewriteHtml } from './html';
import { extensionOf, isModuleSource, mimeOf } from './mime';
import { isPathSpecifier, isUrlSpecifier, MISSING_SCHEME, resolveSitePath, siteUrl } from './specifiers';
import { transformModule, type ModuleContext } from './transform';

export interface SiteFs {
  list(path: string): Promise<DirEntry[]>;
  readFileBytes(path: string): Promise<Uint8Array>;
}

export interface SiteFile {
  /** What stands for this file's blob URL in the other files. */
  token: string;
  /** Site path ('/' is the site's folder). */
  path: string;
  mime: string;
  /** Text (tokens inside are replaced) or bytes. */
  data: string | Uint8Array;
}

export interface SitePage {
  /** The site path of the page served. */
  page: string;
  /** 404 when the page does not exist: `html` then says so and lists the pages there are. */
  status: 200 | 404;
  html: string;
  files: SiteFile[];
  /** Every site path the page may load (all the site's files), for live reload. */
  paths: Set<string>;
  /** Problems found while building (a module that does not compile), for the preview console. */
  problems: { file: string; message: string; line?: number }[];
}

const LIMITS = { files: 3000, bytes: 50 * 1024 * 1024 };

const TOKEN_PREFIX = '__unroll_file_';
const token = (n: number) => `${TOKEN_PREFIX}${n}__`;
const decoder = new TextDecoder();

/** The site's files: site path → absolute path, skipping dot folders and rebuildable ones. */
async function listSite(fs: SiteFs, root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const pending = [''];
  while (pending.length > 0 && found.size < LIMITS.files) {
    const rel = pending.shift() as string;
    let entries: DirEntry[];
    try {
      entries = await fs.list(rel ? `${root}${rel}` : root);
    } catch {
      continue;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory) {
        if (!entry.name.startsWith('.') && !isRebuildable(entry.name)) pending.push(path);
      } else if (entry.isFile) found.set(path, `${root}${path}`);
    }
  }
  return found;
}

/** The page for `page` (a site path; a folder means its index.html). */
export async function buildSitePage(fs: SiteFs, rootDir: string, page: string): Promise<SitePage> {
  const root = normalizePath(rootDir).replace(/\/$/, '');
  const listed = await listSite(fs, root);
  const exists = (path: string) => listed.has(path);
  const wanted = normalizePath(page.startsWith('/') ? page : `/${page}`);
  const pagePath = exists(wanted) ? wanted : exists(`${wanted.replace(/\/$/, '')}/index.html`) ? `${wanted.replace(/\/$/, '')}/index.html` : null;

  let bytes = 0;
  const contents = new Map<string, Uint8Array>();
  await Promise.all(
    [...listed].map(async ([path, abs]) => {
      try {
        const data = await fs.readFileBytes(abs);
        bytes += data.byteLength;
        if (bytes <= LIMITS.bytes) contents.set(path, data);
      } catch {
        // unreadable (removed meanwhile): served as missing
      }
    }),
  );

  const files: SiteFile[] = [];
  const tokens = new Map<string, string>();
  const add = (path: string, mime: string, data: string | Uint8Array) => {
    const t = token(files.length);
    files.push({ token: t, path, mime, data });
    tokens.set(path, t);
    return t;
  };
  const problems: SitePage['problems'] = [];
  const text = (path: string) => decoder.decode(contents.get(path) ?? new Uint8Array());

  // 1. Leaves: everything that references nothing.
  for (const [path, data] of contents) {
    const ext = extensionOf(path);
    if (ext === 'css' || ext === 'html' || ext === 'htm' || isModuleSource(path)) continue;
    add(path, mimeOf(path), data);
  }
  // 2. Stylesheets, with their references as tokens.
  const cssReference = (from: string) => (url: string) => {
    if (isUrlSpecifier(url) || url.startsWith('#') || url.startsWith('//')) return undefined;
    const resolved = resolveSitePath(from, url, exists);
    return resolved ? tokens.get(resolved) : undefined;
  };
  const stylesheets = [...contents.keys()].filter((p) => extensionOf(p) === 'css');
  for (const path of stylesheets) tokens.set(path, token(files.length + stylesheets.indexOf(path)));
  for (const path of stylesheets)
    files.push({ token: tokens.get(path)!, path, mime: mimeOf(path), data: rewriteCss(text(path), cssReference(path)) });

  // 3. Modules, the generated ones (a stylesheet or JSON imported from a script), and the import map.
  const importMap: Record<string, string> = {};
  const userMap = pagePath ? rewriteHtml(text(pagePath), passThrough).importMap : {};
  const context: ModuleContext = { exists, mapped: new Set(Object.keys(userMap)) };
  const missing = new Set<string>();
  const modules = [...contents.keys()].filter(isModuleSource);
  const compiled = await Promise.all(
    modules.map(async (path) => {
      try {
        return { path, ...(await transformModule(path, text(path), context)) };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const line = /\((\d+):\d+\)/.exec(message)?.[1];
        problems.push({ file: path, message, ...(line ? { line: Number(line) } : {}) });
        return { path, code: `throw new SyntaxError(${JSON.stringify(`${path} could not be compiled: ${message}`)});\n`, missing: [] };
      }
    }),
  );
  for (const module of compiled) {
    importMap[siteUrl(module.path)] = add(module.path, 'text/javascript', module.code);
    for (const name of module.missing) missing.add(name);
  }
  for (const path of stylesheets) {
    const code = `const link = document.createElement('link');\nlink.rel = 'stylesheet';\nlink.href = ${JSON.stringify(tokens.get(path))};\ndocument.head.append(link);\n`;
    importMap[siteUrl(path, 'css')] = add(`${path}?css`, 'text/javascript', code);
  }
  for (const path of contents.keys()) {
    if (extensionOf(path) !== 'json') continue;
    importMap[siteUrl(path)] = tokens.get(path)!;
    let code: string;
    try {
      code = `export default ${JSON.stringify(JSON.parse(text(path)))};\n`;
    } catch (err) {
      code = `throw new SyntaxError(${JSON.stringify(`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)});\n`;
    }
    importMap[siteUrl(path, 'json')] = add(`${path}?json`, 'text/javascript', code);
  }

  // 4. The page.
  let html: string;
  if (pagePath) {
    const rewritten = rewriteHtml(text(pagePath), {
      reference: (url) => {
        if (isUrlSpecifier(url) || url.startsWith('#') || url.startsWith('//') || url === '') return undefined;
        const resolved = resolveSitePath(pagePath, url, exists);
        return resolved ? tokens.get(resolved) : undefined;
      },
      moduleScript: (src) => {
        if (isUrlSpecifier(src)) return `import ${JSON.stringify(src)};`;
        const resolved = resolveSitePath(pagePath, src, exists);
        if (resolved) return `import ${JSON.stringify(siteUrl(resolved))};`;
        missing.add(src);
        return `import ${JSON.stringify(`${MISSING_SCHEME}${src}`)};`;
      },
      inlineModule: (code) => inlineImports(code, pagePath, exists, context, missing),
      css: (css) => rewriteCss(css, cssReference(pagePath)),
    });
    html = rewritten.html;
  } else {
    html = notFoundPage(
      wanted,
      root,
      [...listed.keys()].filter((p) => /\.html?$/i.test(p)),
    );
  }
  for (const name of missing) importMap[`${MISSING_SCHEME}${name}`] = add(`${MISSING_SCHEME}${name}`, 'text/javascript', missingModule(name));
  const pageDir = pagePath ? dirname(pagePath) : '/';
  const head =
    `<base href="unroll:${pageDir === '/' ? '/' : `${pageDir}/`}">` +
    `<script type="importmap">${JSON.stringify({ imports: { ...userMap, ...importMap } }).replace(/</g, '\\u003c')}</script>` +
    `<script>${hooksScript({ page: pagePath ?? wanted, files: Object.fromEntries([...tokens].filter(([p]) => !p.includes('?') && !p.startsWith(MISSING_SCHEME))) })}</script>`;
  return {
    page: pagePath ?? wanted,
    status: pagePath ? 200 : 404,
    html: injectIntoHead(html, head),
    files,
    paths: new Set(listed.keys()),
    problems,
  };
}

const passThrough = {
  reference: () => undefined,
  moduleScript: (src: string) => src,
  inlineModule: (code: string) => code,
  css: (css: string) => css,
};

/** An inline module script's relative imports, rewritten as a module's are (synchronously: plain `import` statements). */
function inlineImports(code: string, page: string, exists: (path: string) => boolean, context: ModuleContext, missing: Set<string>): string {
  return code.replace(
    /(\bimport\s*(?:[^'";]*?\sfrom\s*)?|\bimport\s*\(\s*|\bexport\s*[^'";]*?\sfrom\s*)(["'])([^"']+)\2/g,
    (whole, lead: string, quote: string, specifier: string) => {
      if (isUrlSpecifier(specifier)) return whole;
      const resolved = isPathSpecifier(specifier) ? resolveSitePath(page, specifier, exists) : undefined;
      if (!resolved) {
        if (!isPathSpecifier(specifier) && context.mapped.has(specifier)) return whole;
        missing.add(specifier);
        // As in modules: a static import of what is missing keeps no bindings (see transform.ts).
        const bare = /^import\b(?!\s*\()/.test(lead) ? 'import ' : lead;
        return `${bare}${quote}${MISSING_SCHEME}${specifier}${quote}`;
      }
      const ext = extensionOf(resolved);
      return `${lead}${quote}${siteUrl(resolved, ext === 'css' ? 'css' : ext === 'json' ? 'json' : undefined)}${quote}`;
    },
  );
}

/** A module standing for an import the site cannot provide: it throws an error saying why. */
export function missingModule(specifier: string): string {
  const message = isPathSpecifier(specifier)
    ? `Cannot find "${specifier}": there is no such file in the workspace.`
    : `Cannot import "${specifier}": packages need the WebContainer sandbox (npm); this preview serves only the workspace's own files. ` +
      `Import a file of the workspace, or map "${specifier}" to a URL with an import map in the page (<script type="importmap">).`;
  return `throw new Error(${JSON.stringify(message)});\n`;
}

function notFoundPage(path: string, root: string, pages: string[]): string {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const list = pages.length
    ? `<p>Pages in this folder:</p><ul>${pages.map((p) => `<li><a href="${escape(p)}">${escape(p)}</a></li>`).join('')}</ul>`
    : `<p>There is no <code>index.html</code> in ${escape(root)} yet. Create one (or ask the agent to), and it shows here.</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>404 Not Found</title><style>body{font:15px system-ui,sans-serif;margin:2rem;color:#333}code{background:#eee;padding:0 .2em}</style></head><body><h1>404 Not Found</h1><p><code>${escape(path)}</code> is not a file of the workspace (${escape(root)}).</p>${list}</body></html>`;
}
