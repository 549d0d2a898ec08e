import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Cross-origin isolation is what lets a WebContainer boot (SharedArrayBuffer); it is set for
// the dev server and for `vite preview` alike so both behave as a deployed site would.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Pages that exist only for the browser tests (e.g. the sandbox contract harness) join the
// build when UNROLL_TEST_PAGES=1, which playwright.config.ts sets; a normal build has the app only.
const testPages =
  process.env.UNROLL_TEST_PAGES === '1'
    ? {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        contract: fileURLToPath(new URL('./tests/browser/pages/contract.html', import.meta.url)),
      }
    : undefined;

export default defineConfig({
  plugins: [svelte()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    target: 'es2022',
    sourcemap: true,
    ...(testPages ? { rolldownOptions: { input: testPages } } : {}),
  },
});
