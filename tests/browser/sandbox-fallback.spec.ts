import { expect, test } from '@playwright/test';

// The machine running this has no route to StackBlitz; blocking every other host as well
// makes the test mean "offline" wherever it runs.
test.beforeEach(async ({ context, baseURL }) => {
  await context.route(
    (url) => !url.href.startsWith(baseURL ?? 'http://127.0.0.1'),
    (route) => route.abort('internetdisconnected'),
  );
});

test('offline, the app is usable on the embedded sandbox at once while WebContainer boots beside it, then says why it did not come', async ({
  page,
}) => {
  await page.goto('/');
  // Nothing waits for StackBlitz: the embedded sandbox serves from the start.
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  const starting = page.getByRole('status', { name: 'WebContainer start' });
  await expect(starting).toContainText('starting beside the embedded sandbox');
  await expect(starting.getByRole('button', { name: 'Stay on embedded' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await page.screenshot({ path: 'tests/artifacts/sandbox-starting-beside.png' });

  // Usable meanwhile: a turn runs commands in it, while WebContainer is still being waited for.
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.locator('.tool').filter({ hasText: '$ node hello.js' })).toContainText('Hello, world!', { timeout: 30_000 });
  await expect(starting).toBeVisible();

  // The StackBlitz frame never answers: after the short deadline the notice says so.
  const notice = page.getByRole('note', { name: 'Sandbox notice' });
  await expect(notice).toContainText('Using the embedded sandbox.', { timeout: 30_000 });
  await expect(notice).toContainText('StackBlitz did not answer within 15 s');
  await expect(notice).toContainText('no Node.js, npm or live preview');
  await expect(notice).toContainText('This browser will not try WebContainer again for the next few days');
  await expect(starting).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  await page.screenshot({ path: 'tests/artifacts/sandbox-fallback.png' });
});

test('choosing the embedded sandbox skips WebContainer and shows no notice', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  await expect(page.getByRole('note', { name: 'Sandbox notice' })).toHaveCount(0);
});

test('Stay on embedded: the notice goes, and the session stays where it is', async ({ page }) => {
  await page.goto('/');
  const starting = page.getByRole('status', { name: 'WebContainer start' });
  await starting.getByRole('button', { name: 'Stay on embedded' }).click();
  await expect(starting).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
});

test('"WebContainer only" does not fall back on its own: it shows the failure and offers Retry or the embedded sandbox', async ({ page }) => {
  // The browser says it is offline, so WebContainer fails at once instead of after its boot timeout.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false }));
  await page.goto('/?sandbox=webcontainer');
  const failure = page.getByRole('alert', { name: 'Sandbox failure' });
  await expect(failure).toContainText('WebContainer did not start.');
  await expect(failure).toContainText("WebContainer can't start: the browser is offline");
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: WebContainer did not start');
  await expect(page.getByRole('combobox', { name: 'Sandbox preference' })).toHaveValue('webcontainer');
  await expect(page.getByRole('note', { name: 'Sandbox notice' })).toHaveCount(0);
  await page.screenshot({ path: 'tests/artifacts/sandbox-required-failed.png' });

  // Retry starts over in a fresh page (one WebContainer per page); still offline, it fails again.
  await Promise.all([page.waitForEvent('load'), failure.getByRole('button', { name: 'Retry' }).click()]);
  await expect(page.getByRole('alert', { name: 'Sandbox failure' })).toContainText('WebContainer did not start.');

  // A message sent meanwhile waits, and goes out once the user picks the embedded sandbox.
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Write a small hello program and run it.');
  await box.press('Enter');
  await page.getByRole('button', { name: 'Use the embedded sandbox' }).click();
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  await expect(page.getByRole('combobox', { name: 'Sandbox preference' })).toHaveValue('embedded');
  await expect(page.getByRole('alert', { name: 'Sandbox failure' })).toHaveCount(0);
  await expect(page.locator('.tool').filter({ hasText: '$ node hello.js' })).toContainText('Hello, world!', { timeout: 30_000 });
  // The choice holds for the next visit.
  expect(await page.evaluate(() => [localStorage.getItem('unroll.sandbox'), location.search])).toEqual(['embedded', '']);
});

test('after WebContainer failed here, the next start skips it at once, says why, and offers to try again', async ({ page }) => {
  await page.goto('/');
  const notice = page.getByRole('note', { name: 'Sandbox notice' });
  await expect(notice).toContainText('This browser will not try WebContainer again for the next few days', { timeout: 30_000 });

  const tried: string[] = [];
  page.on('request', (request) => {
    if (/stackblitz|webcontainer/.test(new URL(request.url()).hostname)) tried.push(request.url());
  });
  await page.reload();
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  await expect(notice).toContainText('WebContainer did not start here on');
  await expect(notice).toContainText('started on the embedded sandbox at once');
  expect(tried, 'WebContainer is not tried again on its own').toEqual([]);

  const again = page.waitForRequest((request) => /stackblitz|webcontainer/.test(new URL(request.url()).hostname), { timeout: 15_000 });
  await notice.getByRole('button', { name: 'Try WebContainer again' }).click();
  await again;
});
