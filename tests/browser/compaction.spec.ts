import { expect, test } from '@playwright/test';
import { send } from '../support/app-page';

// Compaction in the app with the offline demo model (its /responses/compact answers in the page).
test('/compact puts a marker in the chat, greys what came before, and survives a reload', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  await send(page, 'Give me the hello demo');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
  const meter = page.getByRole('group', { name: 'Context' });
  await expect(meter).toContainText('compacts at');
  await expect(meter).toContainText('% reused from the previous');

  await send(page, '/compact');
  const marker = page.getByRole('separator', { name: 'Compaction' });
  await expect(marker).toContainText('Compacted by the provider (/compact)');
  await expect(page.locator('.entry.stale').first()).toContainText('Give me the hello demo');
  await page.screenshot({ path: 'tests/artifacts/compaction.png' });

  await page.reload();
  await expect(page.getByRole('separator', { name: 'Compaction' })).toContainText('no longer sent');
  await expect(page.locator('.entry.stale').first()).toContainText('Give me the hello demo');
  await send(page, 'What are you?');
  await expect(page.locator('.entry:not(.stale) .assistant').last()).toContainText('offline demo model', { timeout: 30_000 });
});
