import { expect, test } from '@playwright/test';

// The machine running this has no route to StackBlitz; blocking every other host as well
// makes the test mean "offline" wherever it runs.
test.beforeEach(async ({ context, baseURL }) => {
  await context.route(
    (url) => !url.href.startsWith(baseURL ?? 'http://127.0.0.1'),
    (route) => route.abort('internetdisconnected'),
  );
});

test('offline, the built app reaches a usable embedded sandbox within 10 s and says why', async ({ page }) => {
  await page.goto('/');
  // The 10 s bound is the requirement itself, not a speed measurement.
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)', { timeout: 10_000 });
  const notice = page.getByRole('note', { name: 'Sandbox notice' });
  await expect(notice).toContainText('Using the embedded sandbox.');
  await expect(notice).toContainText(/WebContainer (failed to start|can't start|did not start)/);
  await expect(notice).toContainText('no Node.js, npm or live preview');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await page.screenshot({ path: 'tests/artifacts/sandbox-fallback.png' });

  // Usable: a turn runs commands in it.
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.locator('.tool').filter({ hasText: '$ node hello.js' })).toContainText('Hello, world!', { timeout: 30_000 });
});

test('choosing the embedded sandbox skips WebContainer and shows no notice', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  await expect(page.getByRole('note', { name: 'Sandbox notice' })).toHaveCount(0);
});

test('a message sent while the sandbox is still starting waits for it, then runs', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Write a small hello program and run it.');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await box.press('Enter');
  await expect(page.getByText('sent as soon as the sandbox is ready')).toBeVisible();
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)', { timeout: 15_000 });
  await expect(page.locator('.user').first()).toContainText('Write a small hello program and run it.');
  await expect(page.locator('.tool').filter({ hasText: '$ node hello.js' })).toContainText('Hello, world!', { timeout: 30_000 });
  // What was sent is not put back in the composer (one more Enter would send it twice).
  await expect(box).toHaveValue('');
});
