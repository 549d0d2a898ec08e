/**
 * Errors the previewed page reports show under the preview's toolbar, until cleared
 * (tests/browser/pages/terminal-preview.html with a sandbox whose previews the test drives).
 */
import { expect, test } from '@playwright/test';

test("the preview pane lists the page's uncaught errors and console errors", async ({ page }) => {
  await page.goto('/tests/browser/pages/terminal-preview.html?previews=fake');
  await page.evaluate(() => window.__previews?.open(5173));
  const pane = page.getByRole('region', { name: 'Preview' });
  await expect(pane.locator('iframe')).toHaveAttribute('src', /server=5173$/);
  const errors = pane.getByRole('region', { name: 'Errors from the page' });
  await expect(errors).toHaveCount(0);

  await page.evaluate(() => {
    window.__previews?.error({
      kind: 'uncaught_exception',
      port: 5173,
      path: '/about',
      message: 'ReferenceError: count is not defined',
      stack: 'ReferenceError: count is not defined\n    at App (App.jsx:3:9)',
    });
    window.__previews?.error({ kind: 'console_error', port: 5173, path: '/', message: 'Failed to fetch /api/items' });
  });
  await expect(errors).toContainText('2 errors from the page');
  const items = errors.getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('Uncaught');
  await expect(items.nth(0)).toContainText(':5173/about');
  await expect(items.nth(0)).toContainText('ReferenceError: count is not defined');
  await expect(items.nth(1)).toContainText('console.error');
  await expect(items.nth(1)).toContainText('Failed to fetch /api/items');
  // The page stays in view under the list.
  await expect(pane.locator('iframe')).toBeVisible();
  await page.screenshot({ path: 'tests/artifacts/preview-errors.png' });

  await errors.getByRole('button', { name: 'Clear' }).click();
  await expect(errors).toHaveCount(0);
});
