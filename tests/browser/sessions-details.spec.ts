/**
 * Details of the Sessions dialog and share links, in the app on Chromium's IndexedDB with the
 * offline demo model: Rename takes the focus, Undo after a delete is usable over the modal
 * dialog, and a forked share link leaves the address bar.
 */
import { expect, test, type Page } from '@playwright/test';

const APP = '/?sandbox=embedded';

async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
}

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Sessions' });
const list = (page: Page) => page.getByRole('list', { name: 'Saved sessions' });

test('Rename puts the whole title in a focused field, so typing replaces it', async ({ page }) => {
  await page.goto(APP);
  await send(page, 'first chat');
  await page.getByRole('button', { name: 'Sessions' }).click();
  await dialog(page).getByRole('button', { name: 'Rename first chat' }).click();
  await expect(dialog(page).getByRole('textbox', { name: 'Session title' })).toBeFocused();
  await page.keyboard.type('Renamed chat');
  await page.keyboard.press('Enter');
  await expect(list(page).getByRole('button', { name: 'Renamed chat', exact: true })).toBeVisible();
});

test('after a delete, Undo shows inside the Sessions dialog and brings the session back', async ({ page }) => {
  await page.goto(APP);
  await send(page, 'say hi.');
  await send(page, '/new');
  await send(page, 'second chat');
  await page.getByRole('button', { name: 'Sessions' }).click();
  await expect(list(page).getByRole('listitem')).toHaveCount(2);

  await dialog(page).getByRole('button', { name: 'Delete say hi.' }).click();
  await expect(list(page).getByRole('listitem')).toHaveCount(1);
  const notice = dialog(page).getByRole('status').filter({ hasText: 'Deleted' });
  // The title's own full stop, and no second one.
  await expect(notice.locator('p')).toHaveText('Deleted “say hi.”');
  await page.screenshot({ path: 'tests/artifacts/sessions-undo-delete.png' });
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(list(page).getByRole('listitem')).toHaveCount(2);
  await expect(notice).toHaveCount(0);
});

test('Fork to continue takes #share= out of the address, so a reload opens the fork', async ({ page, browser }) => {
  await page.goto(APP);
  await send(page, 'say hi');
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Share say hi' }).click();
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  await other.goto(url.replace(/^http:\/\/[^/]+\//, `${new URL(page.url()).origin}/`).replace('/#', '/?sandbox=embedded#'));
  const banner = other.getByRole('region', { name: 'Shared session' });
  await banner.getByRole('button', { name: 'Fork to continue' }).click();
  await expect(banner).toBeHidden();
  await expect.poll(() => new URL(other.url()).hash).toBe('');
  expect(new URL(other.url()).search).toBe('?sandbox=embedded');

  await other.reload();
  await expect(other.getByRole('textbox', { name: 'Message' })).toBeEditable();
  await expect(other.getByRole('region', { name: 'Transcript' }).locator('.user').first()).toContainText('say hi');
  await expect(banner).toHaveCount(0);
  await other.getByRole('button', { name: 'Sessions' }).click();
  await expect(list(other).getByRole('listitem')).toHaveCount(1);
  await expect(list(other)).toContainText('say hi (fork)');
  await fresh.close();
});
