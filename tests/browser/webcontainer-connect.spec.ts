/**
 * A preview opened in a new tab is sent to `<app>/webcontainer/connect/<id>`: in the built app
 * that is the connect page (not a second copy of the app), served without COOP, and it hands
 * the relay to StackBlitz's connect frame while it keeps the preview tab as its opener.
 */
import { expect, test } from '@playwright/test';

test('/webcontainer/connect/<id> is the connect page, without COOP', async ({ page }) => {
  const response = await page.goto('/webcontainer/connect/abc');
  expect(response!.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['cross-origin-opener-policy']).toBeUndefined();
  expect(headers['cross-origin-embedder-policy']).toBeUndefined();
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByRole('heading', { name: 'Connecting the preview to Unroll…' })).toBeVisible();
  // Opened without an opener, it says so instead of failing silently.
  await expect(page.getByRole('status')).toContainText('Nothing to connect');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);

  // The app itself stays cross-origin isolated.
  const app = await page.request.get('/');
  expect(app.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(app.headers()['cross-origin-embedder-policy']).toBe('require-corp');
});

test("opened by a preview tab, the connect page keeps its opener and loads StackBlitz's connect frame", async ({ page, context, baseURL }) => {
  await context.route('https://stackblitz.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>connect frame</title>' }),
  );
  // The opener stands in for the preview tab: a page without COOP on another origin.
  await page.goto('about:blank');
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((url) => void window.open(url), `${baseURL}/webcontainer/connect/abc`),
  ]);
  await popup.waitForLoadState();
  expect(await popup.evaluate(() => window.opener !== null)).toBe(true);
  await expect(popup.locator('iframe[src="https://stackblitz.com/webcontainer/connect/abc"]')).toHaveCount(1);
  await expect(popup.getByRole('status')).toContainText('closes by itself');
});
