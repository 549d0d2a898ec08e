/**
 * The workspace site the preview serves, built from a real embedded sandbox's files: what the
 * page references becomes tokens the frame turns into blob URLs, modules are compiled and find
 * each other through the import map, and what is missing says so.
 */
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { buildSitePage, missingModule, type SitePage } from '../../../src/sandbox/site/site';

const ROOT = '/home/workspace';

function site(files: Record<string, string>) {
  return createEmbeddedSandbox({ root: ROOT, files });
}

function file(page: SitePage, path: string) {
  const found = page.files.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in ${page.files.map((f) => f.path).join(', ')}`);
  return found;
}

function importMap(page: SitePage): Record<string, string> {
  const json = /<script type="importmap">(.*?)<\/script>/s.exec(page.html)?.[1] ?? '{}';
  return (JSON.parse(json) as { imports: Record<string, string> }).imports;
}

const PAGE = `<!doctype html>
<html>
  <head>
    <title>Demo</title>
    <link rel="stylesheet" href="./style.css">
    <script type="module" src="main.ts"></script>
  </head>
  <body><img src="img/logo.svg" alt="logo"><h1 id="title">Loading…</h1></body>
</html>`;

describe('a page of the workspace site', () => {
  it('serves the page with its stylesheet, module and image as tokens, and compiled TypeScript', async () => {
    const sb = site({
      'index.html': PAGE,
      'style.css': 'h1 { color: rgb(200, 0, 0); background: url(img/logo.svg); }',
      'main.ts': "import { greet } from './greet';\nconst el = document.getElementById('title') as HTMLElement;\nel.textContent = greet('site');\n",
      'greet.ts': 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n',
      'img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    });
    const page = await buildSitePage(sb.fs, ROOT, '/');
    expect(page.status).toBe(200);
    expect(page.page).toBe('/index.html');
    const logo = file(page, '/img/logo.svg');
    const css = file(page, '/style.css');
    expect(page.html).toContain(`<link rel="stylesheet" href="${css.token}">`);
    expect(page.html).toContain(`<img src="${logo.token}" alt="logo">`);
    expect(page.html).toContain('<script type="module">import "unroll:/main.ts";</script>');
    expect(css.data).toContain(`url("${logo.token}")`);
    const main = file(page, '/main.ts');
    expect(main.mime).toBe('text/javascript');
    expect(main.data).toContain("from 'unroll:/greet.ts'");
    expect(main.data).not.toContain('as HTMLElement');
    expect(file(page, '/greet.ts').data).toContain('function greet(name) {');
    expect(importMap(page)).toMatchObject({ 'unroll:/main.ts': main.token, 'unroll:/greet.ts': file(page, '/greet.ts').token });
    expect(page.html.indexOf('<base href="unroll:/">')).toBeLessThan(page.html.indexOf('<title>'));
    // Leaves first, then stylesheets, then modules: each file's tokens point at files made before it.
    const order = page.files.map((f) => f.path);
    expect(order.indexOf('/img/logo.svg')).toBeLessThan(order.indexOf('/style.css'));
    expect(order.indexOf('/style.css')).toBeLessThan(order.indexOf('/main.ts'));
  });

  it('keeps each line of TypeScript and TSX on its line, so errors point at the source', async () => {
    const tsx =
      "import { thing } from './thing';\ntype Props = { n: number };\ninterface X {\n  a: string;\n}\nexport const el = (p: Props) => <div>{p.n}</div>;\nthrow new Error('line 7');\n";
    const sb = site({ 'index.html': '<script type="module" src="app.tsx"></script>', 'app.tsx': tsx, 'thing.ts': 'export const thing = 1;' });
    const page = await buildSitePage(sb.fs, ROOT, '/index.html');
    const code = file(page, '/app.tsx').data as string;
    expect(code.split('\n').findIndex((l) => l.includes("throw new Error('line 7')"))).toBe(6);
    expect(code).toContain('React.createElement');
    expect(code).toContain('sourceMappingURL=data:application/json;base64,');
  });

  it('turns stylesheet and JSON imports into modules, and a bare import into a clear error', async () => {
    const sb = site({
      'index.html': '<script type="module" src="./main.js"></script>',
      'main.js':
        "import './theme.css';\nimport data from './data.json';\nimport React from 'react';\nconst lazy = import('./later.js');\nconsole.log(data, React, lazy);\n",
      'theme.css': 'body { margin: 0 }',
      'data.json': '{"items": [1, 2]}',
      'later.js': 'export default 1;',
    });
    const page = await buildSitePage(sb.fs, ROOT, '/');
    const main = file(page, '/main.js').data as string;
    expect(main).toContain("import 'unroll:/theme.css?css';");
    expect(main).toContain("from 'unroll:/data.json?json'");
    // No bindings of what is missing: the page links, and the missing module's error is what it sees.
    expect(main).toContain('import "unroll-missing:react";\nconst lazy');
    expect(main).toContain('import("unroll:/later.js")');
    expect(file(page, '/data.json?json').data).toBe('export default {"items":[1,2]};\n');
    expect(file(page, '/theme.css?css').data).toContain(JSON.stringify(file(page, '/theme.css').token));
    const missing = file(page, 'unroll-missing:react').data as string;
    expect(missing).toBe(missingModule('react'));
    expect(missing).toContain('packages need the WebContainer sandbox');
    expect(importMap(page)['unroll-missing:react']).toBe(file(page, 'unroll-missing:react').token);
  });

  it("leaves a bare import the page maps itself, merging its import map into the preview's", async () => {
    const sb = site({
      'index.html':
        '<script type="importmap">{"imports": {"lib": "./vendor/lib.js"}}</script><script type="module">import lib from "lib"; import { x } from "./x.js"; console.log(lib, x);</script>',
      'vendor/lib.js': 'export default 42;',
      'x.js': 'export const x = 1;',
    });
    const page = await buildSitePage(sb.fs, ROOT, '/');
    expect(page.html).toContain('import lib from "lib"');
    expect(page.html).toContain('import { x } from "unroll:/x.js"');
    expect(page.html.match(/type="importmap"/g)).toHaveLength(1);
    expect(importMap(page).lib).toBe('./vendor/lib.js');
  });

  it('answers a missing page with a readable 404 that lists the pages there are', async () => {
    const sb = site({ 'index.html': '<p>home</p>', 'docs/about.html': '<p>about</p>' });
    const page = await buildSitePage(sb.fs, ROOT, '/nope.html');
    expect(page.status).toBe(404);
    expect(page.html).toContain('404 Not Found');
    expect(page.html).toContain('/docs/about.html');
    const empty = await buildSitePage(site({}).fs, ROOT, '/');
    expect(empty.html).toContain('There is no <code>index.html</code>');
  });

  it('reports a module that does not compile, and serves one that throws saying so', async () => {
    const sb = site({ 'index.html': '<script type="module" src="bad.ts"></script>', 'bad.ts': 'const x: = 1;\n' });
    const page = await buildSitePage(sb.fs, ROOT, '/');
    expect(page.problems[0]?.file).toBe('/bad.ts');
    expect(file(page, '/bad.ts').data).toContain('could not be compiled');
  });

  it("serves a folder's index.html, and leaves node_modules and dot folders out", async () => {
    const sb = site({ 'app/index.html': '<p>app</p>', 'node_modules/x/index.js': '', '.git/HEAD': 'ref' });
    const page = await buildSitePage(sb.fs, ROOT, '/app/');
    expect(page.page).toBe('/app/index.html');
    expect([...page.paths]).toEqual(['/app/index.html']);
    expect(page.html).toContain('<base href="unroll:/app/">');
  });
});

describe("under the app's Content-Security-Policy", () => {
  it('rewrites imports without eval (the page may not use it, and the import lexer would)', async () => {
    const sb = site({
      'index.html': '<script type="module" src="main.ts"></script>',
      'main.ts': "import { a } from './a';\nconst b = await import('./b');\nconsole.log(a, b);\n",
      'a.ts': 'export const a = 1;',
      'b.ts': 'export const b = 2;',
    });
    const original = globalThis.eval;
    globalThis.eval = () => {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    };
    try {
      const page = await buildSitePage(sb.fs, ROOT, '/');
      const main = file(page, '/main.ts').data as string;
      expect(main).toContain("from 'unroll:/a.ts'");
      expect(main).toContain('import("unroll:/b.ts")');
    } finally {
      globalThis.eval = original;
    }
  });
});
