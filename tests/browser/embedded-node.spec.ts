/**
 * `node` in the embedded sandbox, in Chromium, from the built app: QuickJS runs scripts
 * (tests/browser/pages/embedded-node.html runs a set in a real sandbox), and its WebAssembly
 * is fetched only when the first `node` runs — not by the app's startup.
 */
import { expect, test, type Page } from '@playwright/test';
import type { EmbeddedNodeState } from './pages/embedded-node-page';

const PAGE = '/tests/browser/pages/embedded-node.html';
const QUICKJS = /emscripten-module.*\.(wasm|js)$/;

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

test('node runs scripts in a real embedded sandbox, in a worker that loads QuickJS on first use', async ({ page }) => {
  const errors = collectErrors(page);
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (QUICKJS.test(new URL(request.url()).pathname)) fetched.push(request.url());
  });
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto(PAGE);
  await page.waitForFunction(() => ['done', 'error'].includes(window.__embeddedNode?.status ?? ''), null, { timeout: 60_000 });
  const state = (await page.evaluate(() => window.__embeddedNode)) as EmbeddedNodeState;
  expect(state.status, state.error).toBe('done');

  expect(state.quickjsBefore, 'nothing of QuickJS is fetched before the first node run').toEqual([]);
  // The runs happen in a worker, which fetches the WebAssembly.
  expect(
    fetched.some((url) => /emscripten-module-[\w-]+\.wasm$/.test(url)),
    fetched.join('\n'),
  ).toBe(true);
  expect(
    workers.some((url) => /node-worker[\w-]*\.js$/.test(new URL(url).pathname)),
    workers.join('\n'),
  ).toBe(true);

  const byCommand = Object.fromEntries(state.runs.map((r) => [r.command, r]));
  expect(byCommand['node hello.js']).toMatchObject({ stdout: 'Hello, world!\n', stderr: '', exitCode: 0 });
  expect(byCommand['node hello.js Chromium']).toMatchObject({ stdout: 'Hello, Chromium!\n', exitCode: 0 });
  expect(byCommand['node write.js']).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
  expect(state.written).toBe('written by node\n');
  expect(state.changes).toContain('create /workspace/hello-out.txt');
  expect(byCommand['node esm.mjs']).toMatchObject({ stdout: 'esm.mjs\n', exitCode: 0 });
  expect(byCommand['node boom.js']?.exitCode).toBe(1);
  expect(byCommand['node boom.js']?.stderr).toMatch(/^\/workspace\/boom\.js:2\n[\s\S]*\nError: boom\n {4}at explode/);
  expect(byCommand['node -p "[1, 2, 3].map((n) => n * 2)"']?.stdout).toBe('[ 2, 4, 6 ]\n');
  console.log(`[embedded-node] ${state.runs.map((r) => `${r.command}: ${r.ms} ms`).join('; ')}`);
  expect(errors).toEqual([]);
});

test('the app starts without QuickJS and fetches it when the terminal runs node', async ({ page }) => {
  const errors = collectErrors(page);
  const fetched: string[] = [];
  page.on('request', (request) => {
    if (QUICKJS.test(new URL(request.url()).pathname)) fetched.push(request.url());
  });
  await page.goto('/?sandbox=embedded');
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  const terminal = page.getByRole('region', { name: 'Terminal' });
  await expect(terminal.locator('.xterm-rows')).toContainText('user@unroll:/home/workspace$');
  expect(fetched, 'QuickJS requested during startup').toEqual([]);

  await terminal.locator('.xterm-screen').click();
  await page.keyboard.type(`echo "console.log('Hello from', process.version)" > hello.js && node hello.js`);
  await page.keyboard.press('Enter');
  await expect(terminal.locator('.xterm-rows')).toContainText('Hello from v20.0.0-quickjs');
  expect(
    fetched.some((url) => url.endsWith('.wasm')),
    fetched.join('\n'),
  ).toBe(true);
  expect(errors).toEqual([]);
});

test('a node script that never yields leaves the page responsive, and Ctrl-C stops it at once', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?sandbox=embedded');
  const terminal = page.getByRole('region', { name: 'Terminal' });
  const rows = terminal.locator('.xterm-rows');
  await expect(rows).toContainText('user@unroll:/home/workspace$');
  await terminal.locator('.xterm-screen').click();
  await page.keyboard.type(`echo "while (true) {}" > loop.js && node loop.js`);
  await page.keyboard.press('Enter');
  // The script runs in a worker: the page keeps running its own timers and answering input.
  await page.waitForTimeout(1500);
  const ticks = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let n = 0;
        const id = setInterval(() => {
          if (++n === 5) {
            clearInterval(id);
            resolve(n);
          }
        }, 20);
      }),
  );
  expect(ticks).toBe(5);
  await page.keyboard.press('Control+C');
  await expect(rows).toContainText('^C');
  await page.keyboard.type('echo "alive $?"');
  await page.keyboard.press('Enter');
  await expect(rows).toContainText('alive');
  await expect(rows).not.toContainText('timed out');
  await expect(rows).not.toContainText('of computing');
  // The next run starts a fresh worker and works.
  await page.keyboard.type(`node -p "'after ' + (6 * 7)"`);
  await page.keyboard.press('Enter');
  await expect(rows).toContainText('after 42');
  expect(errors).toEqual([]);
});
