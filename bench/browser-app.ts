/**
 * The production app for the browser benchmarks: a `vite build` into a temporary folder, served
 * by `vite preview` (which sends the COOP/COEP headers vite.config.ts sets), the bytes it ships,
 * and the Chromium that drives it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { LaunchOptions } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export interface ServedApp {
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/** The default build folder: outside the repository, so it never meets `dist/` or git. */
export const DEFAULT_OUT_DIR = join(tmpdir(), 'unroll-bench-dist');

/** Builds the app as users get it (no test pages) unless `reuse` and a build is already there. */
export async function buildApp(outDir = DEFAULT_OUT_DIR, reuse = false): Promise<{ outDir: string; ms: number; reused: boolean }> {
  if (reuse && existsSync(join(outDir, 'index.html'))) return { outDir, ms: 0, reused: true };
  // Test and benchmark pages must not join the bundle being measured.
  delete process.env.UNROLL_TEST_PAGES;
  delete process.env.UNROLL_BENCH_PAGES;
  const start = performance.now();
  await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
  return { outDir, ms: performance.now() - start, reused: false };
}

export async function serveApp(outDir: string): Promise<ServedApp> {
  const port = await freePort();
  const server: PreviewServer = await preview({
    logLevel: 'error',
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  return { url: `http://127.0.0.1:${port}`, outDir, close: () => server.close() };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// ----------------------------------------------------------------------------- bytes shipped

export interface AssetSize {
  /** Path under the build folder, e.g. `assets/index-abc.js`. */
  file: string;
  raw: number;
  gzip: number;
  /** null where it was not worth the time (brotli -q 11 of the 7 MB TypeScript worker takes ~10 s). */
  brotli: number | null;
}

export interface BundleReport {
  /** The entry script and everything it imports statically (what runs before first paint). */
  initialJs: AssetSize[];
  initialCss: AssetSize[];
  total: { js: AssetSize; css: AssetSize };
  /** Chunks loaded later (dynamic imports, workers) over 50 KB raw, largest first. */
  lazyOver50Kb: AssetSize[];
}

/** Sizes of what index.html loads before first paint, and of the big lazy chunks. */
export function bundleReport(outDir: string): BundleReport {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(?:script|link)\b[^>]*>/g) ?? [];
  const entries: string[] = [];
  const css: string[] = [];
  for (const tag of tags) {
    if (tag.startsWith('<script') && /type="module"/.test(tag)) push(entries, attr(tag, 'src'));
    else if (/rel="modulepreload"/.test(tag)) push(entries, attr(tag, 'href'));
    else if (/rel="stylesheet"/.test(tag)) push(css, attr(tag, 'href'));
  }

  // Static imports are loaded before the entry runs, whether or not index.html preloads them.
  const js = new Set<string>();
  const visit = (file: string) => {
    if (js.has(file) || !existsSync(join(outDir, file))) return;
    js.add(file);
    const code = readFileSync(join(outDir, file), 'utf8');
    for (const match of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      visit(join(file, '..', match[1]!).replace(/\\/g, '/'));
    }
  };
  for (const entry of entries) visit(entry);

  const initialJs = [...js].map((file) => sizeOf(outDir, file));
  const initialCss = css.filter((file) => existsSync(join(outDir, file))).map((file) => sizeOf(outDir, file));
  const lazyOver50Kb = listAssets(outDir)
    .filter((file) => file.endsWith('.js') && !js.has(file) && statSync(join(outDir, file)).size > 50 * 1024)
    .map((file) => sizeOf(outDir, file, false))
    .sort((a, b) => b.raw - a.raw);
  return { initialJs, initialCss, total: { js: sum('JS', initialJs), css: sum('CSS', initialCss) }, lazyOver50Kb };
}

/** Gzip (level 9) and, if asked, brotli (quality 11) sizes of one built file. */
export function sizeOf(outDir: string, file: string, brotli = true): AssetSize {
  const bytes = readFileSync(join(outDir, file));
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotli ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : null,
  };
}

function sum(label: string, sizes: AssetSize[]): AssetSize {
  return sizes.reduce<AssetSize>((t, s) => ({ file: t.file, raw: t.raw + s.raw, gzip: t.gzip + s.gzip, brotli: (t.brotli ?? 0) + (s.brotli ?? 0) }), {
    file: label,
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
}

function listAssets(outDir: string): string[] {
  const dir = join(outDir, 'assets');
  return existsSync(dir) ? readdirSync(dir).map((name) => `assets/${name}`) : [];
}

function push(list: string[], href: string | undefined): void {
  if (href && !/^[a-z]+:/i.test(href)) list.push(href.replace(/^\//, ''));
}

// ----------------------------------------------------------------------------------- browser

/** Where Chromium is, as for the browser tests (playwright.config.ts); override with CHROMIUM_PATH. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Why the browser suite cannot run here, or null when it can. */
export function skipReason(): string | null {
  const path = chromiumPath();
  if (!existsSync(path)) return `no Chromium at ${path} (install chromium, or set CHROMIUM_PATH)`;
  return null;
}

export function launchOptions(): LaunchOptions {
  const args = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  // Chromium refuses to start its own sandbox as root.
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  return { executablePath: chromiumPath(), headless: true, args };
}

/**
 * tsx compiles with esbuild's keepNames, which wraps named inner functions in `__name(...)`;
 * functions sent to the page (init scripts, evaluate) need that helper there too.
 */
export const KEEP_NAMES_SHIM = { content: 'globalThis.__name ??= (fn) => fn;' };
