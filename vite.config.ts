import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { buildToolbox, TOOLBOX_ENTRY } from './src/sandbox/webcontainer/toolbox/build.ts';

// Cross-origin isolation is what lets a WebContainer boot (SharedArrayBuffer); it is set for
// the dev server and for `vite preview` alike so both behave as a deployed site would.
// The page keeps `require-corp` even where the WebContainer boots with `coep: 'credentialless'`:
// a preview frame brings its own (credentialless) policy, and a require-corp page may embed it.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content-Security-Policy, for the dev server, `vite preview` and static hosting alike
 * (public/_headers carries the same text; tests/unit/tooling/csp.test.ts keeps the two equal). Why each
 * source is there:
 * - scripts only from this origin; 'wasm-unsafe-eval' compiles WebAssembly (QuickJS and the
 *   other embedded runtimes), no eval; nothing inline.
 * - styles: Svelte's style attributes, Monaco and xterm insert inline styles at runtime.
 * - images: this origin, data: and blob:, and https: for a remote Markdown image once the
 *   person clicked "Load image from …" (the click is the gate, not the policy; see markdown.ts).
 * - connect: the model endpoint, the share service and a local server (Ollama, LM Studio) are
 *   whatever URL the person configures, http: on a LAN included, so any; ws:/wss: for the
 *   WebContainer and the dev server's hot reload.
 * - frames: preview pages (this origin, or a WebContainer's servers: *.webcontainer-api.io, and
 *   *.webcontainer.io as older versions named them) and the WebContainer's headless boot frame
 *   from stackblitz.com.
 * - workers: Monaco's from this origin, the WebContainer's and just-bash's from blob:.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  'connect-src * data: blob: ws: wss:',
  "frame-src 'self' https://stackblitz.com https://*.stackblitz.com https://*.webcontainer-api.io https://*.webcontainer.io https://*.staticblitz.com",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * Where a preview opened in a new tab connects back to its WebContainer: the runtime sends the
 * person to `<app>/webcontainer/connect/<id>`, a page that must keep its opener (the preview tab)
 * and so must be served without Cross-Origin-Opener-Policy. It needs no isolation at all (it
 * only relays messages to a StackBlitz frame), so it gets no COEP either, which also spares that
 * frame from having to satisfy require-corp. Static hosts: public/_headers and _redirects.
 */
export const CONNECT_PAGE = '/webcontainer-connect.html';
export function isConnectPath(pathname: string): boolean {
  return pathname === CONNECT_PAGE || /^\/webcontainer\/connect\/[^/]+\/?$/.test(pathname);
}

/**
 * The preview frame of the workspace site (public/preview-frame.html) runs the page the agent
 * wrote, in an iframe sandboxed without allow-same-origin (an opaque origin: no access to the
 * app's storage or document). Its policy is a web page's, not the app's: inline and blob:
 * scripts (the page's own, made into blob URLs in the frame), eval (pages use it), and https:
 * resources the page names. COEP credentialless lets it load those inside the isolated app
 * (it needs one of the two policies there) without their sending CORP headers.
 */
export const PREVIEW_FRAME = '/preview-frame.html';
export const PREVIEW_FRAME_CSP = [
  "default-src 'none'",
  "script-src 'unsafe-inline' 'unsafe-eval' blob: data: https:",
  "style-src 'unsafe-inline' blob: data: https:",
  'img-src blob: data: https:',
  'font-src blob: data: https:',
  'media-src blob: data: https:',
  'connect-src blob: data: https:',
  'frame-src blob: data: https:',
  'worker-src blob:',
  "base-uri 'self' unroll:",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** The headers the dev server and `vite preview` send for `pathname`. */
export function headersFor(pathname: string): Record<string, string> {
  if (pathname === PREVIEW_FRAME) {
    return {
      'Content-Security-Policy': PREVIEW_FRAME_CSP,
      'Cross-Origin-Embedder-Policy': 'credentialless',
      'Cross-Origin-Resource-Policy': 'same-origin',
    };
  }
  const csp = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY };
  return isConnectPath(pathname) ? csp : { ...isolation, ...csp };
}

/** Headers per path, and `/webcontainer/connect/<id>` served by the connect page (not the app). */
function headersAndConnectPage(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (isConnectPath(url.pathname)) req.url = CONNECT_PAGE + url.search;
    for (const [name, value] of Object.entries(headersFor(url.pathname))) res.setHeader(name, value);
    next();
  };
  return {
    name: 'unroll-headers',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

/**
 * `virtual:unroll-toolbox`: the WebContainer toolbox (src/sandbox/webcontainer/toolbox), bundled
 * for Node and exported as text. The app imports it on demand, so it is a chunk of its own that
 * only a WebContainer boot loads.
 */
function toolboxBundle(): Plugin {
  const id = 'virtual:unroll-toolbox';
  return {
    name: 'unroll-toolbox',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    async load(resolved) {
      if (resolved !== `\0${id}`) return undefined;
      this.addWatchFile(TOOLBOX_ENTRY);
      return `export default ${JSON.stringify(await buildToolbox())};`;
    },
  };
}

// Pages that exist only for the browser tests (every tests/browser/pages/*.html: harnesses
// for the sandbox contract and single panes) join the build when UNROLL_TEST_PAGES=1, which
// playwright.config.ts sets; the benchmark pages (bench/pages/*.html) when UNROLL_BENCH_PAGES=1.
// A normal build has the app and the connect page only.
function pagesIn(dir: URL): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.html'))
      .map((name) => [name.replace(/\.html$/, ''), fileURLToPath(new URL(name, dir))]),
  );
}
const pages = {
  main: fileURLToPath(new URL('./index.html', import.meta.url)),
  'webcontainer-connect': fileURLToPath(new URL('./webcontainer-connect.html', import.meta.url)),
  ...(process.env.UNROLL_TEST_PAGES === '1' ? pagesIn(new URL('./tests/browser/pages/', import.meta.url)) : {}),
  ...(process.env.UNROLL_BENCH_PAGES === '1' ? pagesIn(new URL('./bench/pages/', import.meta.url)) : {}),
};

export default defineConfig({
  plugins: [headersAndConnectPage(), toolboxBundle(), svelte()],
  build: {
    target: 'es2022',
    sourcemap: true,
    // Separate builds (e.g. two test runs at once) can each have their own directory.
    outDir: process.env.UNROLL_OUT_DIR ?? 'dist',
    rolldownOptions: { input: pages },
  },
});
