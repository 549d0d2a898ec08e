import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium (Playwright cannot download its own browsers here); override with CHROMIUM_PATH.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(
    `The browser tests need Chromium at ${executablePath}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) ` +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  );
}
const port = Number(process.env.PREVIEW_PORT ?? 4180);

export default defineConfig({
  testDir: 'tests/browser',
  outputDir: 'tests/artifacts/results',
  timeout: 60_000,
  // Monaco and the lazy chunks load slowly on a busy 2-core CI machine.
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    // UNROLL_TEST_PAGES adds the test-only pages (tests/browser/pages/*.html) to the build.
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    env: { UNROLL_TEST_PAGES: '1' },
    url: `http://127.0.0.1:${port}`,
    timeout: 120_000,
    reuseExistingServer: false,
  },
});
