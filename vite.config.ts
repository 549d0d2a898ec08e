import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Cross-origin isolation is what lets a WebContainer boot (SharedArrayBuffer); it is set for
// the dev server and for `vite preview` alike so both behave as a deployed site would.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Pages that exist only for the browser tests (every tests/browser/pages/*.html: harnesses
// for the sandbox contract and single panes) join the build when UNROLL_TEST_PAGES=1, which
// playwright.config.ts sets; the benchmark pages (bench/pages/*.html) when UNROLL_BENCH_PAGES=1.
// A normal build has the app only.
function pagesIn(dir: URL): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.html'))
      .map((name) => [name.replace(/\.html$/, ''), fileURLToPath(new URL(name, dir))]),
  );
}
const extraPages = {
  ...(process.env.UNROLL_TEST_PAGES === '1' ? pagesIn(new URL('./tests/browser/pages/', import.meta.url)) : {}),
  ...(process.env.UNROLL_BENCH_PAGES === '1' ? pagesIn(new URL('./bench/pages/', import.meta.url)) : {}),
};
const testPages = Object.keys(extraPages).length
  ? { main: fileURLToPath(new URL('./index.html', import.meta.url)), ...extraPages }
  : undefined;

export default defineConfig({
  plugins: [svelte()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    target: 'es2022',
    sourcemap: true,
    // Separate builds (e.g. two test runs at once) can each have their own directory.
    outDir: process.env.UNROLL_OUT_DIR ?? 'dist',
    ...(testPages ? { rolldownOptions: { input: testPages } } : {}),
  },
});
