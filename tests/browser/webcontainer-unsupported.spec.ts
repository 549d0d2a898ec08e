/**
 * Where WebContainer cannot run, the start says why in words a person can act on: an iPhone
 * or iPad, or a browser that blocks cookies and site storage (which StackBlitz's frame needs).
 */
import { expect, test } from '@playwright/test';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

test.beforeEach(async ({ context, baseURL }) => {
  await context.route(
    (url) => !url.href.startsWith(baseURL ?? 'http://127.0.0.1'),
    (route) => route.abort('internetdisconnected'),
  );
});

test.describe('on an iPhone', () => {
  test.use({ userAgent: IPHONE });

  test('the embedded sandbox is used and the notice names iOS', async ({ page }) => {
    await page.goto('/');
    const notice = page.getByRole('note', { name: 'Sandbox notice' });
    await expect(notice).toContainText("WebContainer can't start: WebContainer does not run on iOS and iPadOS here");
    await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  });
});

test('with cookies and site storage blocked, the notice says so', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'cookieEnabled', { get: () => false }));
  await page.goto('/');
  const notice = page.getByRole('note', { name: 'Sandbox notice' });
  await expect(notice).toContainText('this browser blocks cookies and site storage');
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
});
