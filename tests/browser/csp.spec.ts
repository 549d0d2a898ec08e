/**
 * The Content-Security-Policy the server sends (vite.config.ts, public/_headers) lets the whole
 * app run: the hello demo (QuickJS WebAssembly in the embedded sandbox, the scripted model, the
 * Markdown answer) and Monaco with its workers, with not one violation reported.
 */
import { expect, test, type Page } from '@playwright/test';

/** Every CSP violation the page (or one of its workers) reports, from events and the console. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|execute|connect|frame|apply|create|compile)/i.test(message.text())) {
      violations.push(`console: ${message.text()}`);
    }
  });
  page.on('worker', (worker) => {
    worker.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`worker console: ${message.text()}`);
    });
  });
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __cspViolation(text: string): void }).__cspViolation;
      void report(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return violations;
}

test('the app sends a strict Content-Security-Policy', async ({ page }) => {
  const response = await page.goto('/?sandbox=embedded');
  const policy = response!.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(policy).toContain("object-src 'none'");
});

test('the hello demo and the Monaco editor run without a CSP violation', async ({ page }) => {
  const violations = await watchViolations(page);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/?sandbox=embedded');
  // The watch works: an http: image is outside img-src, and its violation is seen.
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'http://blocked.invalid/probe.png';
    document.body.append(img);
    img.remove();
  });
  await expect.poll(() => violations.some((v) => v.includes('blocked.invalid'))).toBe(true);

  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('Give me the hello demo');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await message.press('Enter');
  await expect(page.getByText('What just happened', { exact: false })).toBeVisible({ timeout: 30_000 });
  const run = page.locator('.tool').filter({ hasText: '$ node hello.js' });
  await expect(run).toContainText('exit 0');

  await page.getByRole('treeitem', { name: /hello\.js/ }).click();
  const monaco = page.locator('.monaco-editor').first();
  await expect(monaco).toContainText('Hello, ${name}!', { timeout: 15_000 });
  // Typing exercises the editor worker (and its syntax colouring) under the policy too.
  await monaco.locator('.view-lines').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' // edited');
  await expect(monaco).toContainText('// edited');
  await page.waitForTimeout(1000);

  expect(errors).toEqual([]);
  expect(violations.filter((v) => !v.includes('blocked.invalid'))).toEqual([]);
});
