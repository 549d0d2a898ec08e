import { expect, test } from '@playwright/test';
import { APP_URL as APP, send, transcript } from '../support/app-page';

// Sessions on Chromium's real IndexedDB with the offline demo model and the embedded sandbox.

test('reload in the middle of a turn: the session is back up to its last finished item and continues', async ({ page }) => {
  await page.goto(APP);
  await send(page, 'Give me the hello demo');
  // The first tool call has finished; the lesson is still streaming its next rounds.
  await expect(page.getByRole('group', { name: 'Tool call exec_command' }).first()).toContainText('✓');
  await page.reload();

  await expect(transcript(page).locator('.user').first()).toContainText('Give me the hello demo');
  await expect(page.getByRole('group', { name: 'Tool call exec_command' }).first()).toContainText('ls -la');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable();
  await send(page, 'Give me the hello demo again');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
  await expect(transcript(page).locator('.assistant').last()).toContainText('What just happened');
  await expect(page.getByRole('treeitem', { name: /hello\.js/ })).toBeVisible();

  // And again after a reload at rest: files come back with it.
  await page.reload();
  await expect(page.getByRole('treeitem', { name: /hello\.js/ })).toBeVisible();
  await expect(transcript(page).locator('.assistant').last()).toContainText('What just happened');
});

test('a share link opens read-only in a fresh browser, and forking brings its files and continues', async ({ page, browser }) => {
  await page.goto(APP);
  await send(page, 'Give me the hello demo');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Share Give me the hello demo' }).click();
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
  await expect(page.getByRole('region', { name: 'Share link' })).toContainText('Link size');
  await page.screenshot({ path: 'tests/artifacts/sessions-share.png' });
  expect(url).toContain('#share=');

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  await other.goto(url.replace(/^http:\/\/[^/]+\//, `${new URL(page.url()).origin}/`).replace('/#', '/?sandbox=embedded#'));
  const banner = other.getByRole('region', { name: 'Shared session' });
  await expect(banner).toContainText('read-only');
  await expect(banner).toContainText('1 file');
  await expect(transcript(other).locator('.assistant').last()).toContainText('What just happened');
  await expect(other.getByRole('textbox', { name: 'Message' })).not.toBeEditable();
  await expect(other.getByRole('treeitem', { name: /hello\.js/ })).toHaveCount(0);
  await other.screenshot({ path: 'tests/artifacts/sessions-shared-view.png' });

  await banner.getByRole('button', { name: 'Fork to continue' }).click();
  await expect(other.getByRole('treeitem', { name: /hello\.js/ })).toBeVisible();
  await expect(banner).toBeHidden();
  await send(other, 'what did you do?');
  await expect(other.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
  await expect(transcript(other).locator('.user').last()).toContainText('what did you do?');
  await fresh.close();
});

test('a tampered share link gives a clear error and the app still works', async ({ page }) => {
  await page.goto(`${APP}#share=eJwLycgsVgCi4pL8omx7aAFHBB0g`);
  await expect(page.getByRole('alert')).toContainText('share link could not be opened');
  await expect(page.getByRole('region', { name: 'Shared session' })).toHaveCount(0);
  await send(page, 'hi');
  await expect(transcript(page).locator('.assistant').last()).not.toBeEmpty();
});

test('sessions: new, switch, rename, delete with undo', async ({ page }) => {
  await page.goto(APP);
  const idle = page.getByRole('button', { name: 'Send' });
  await send(page, 'first chat');
  await expect(idle).toBeVisible();
  await send(page, '/new');
  await send(page, 'second chat');
  await expect(idle).toBeVisible();

  await page.getByRole('button', { name: 'Sessions' }).click();
  const list = page.getByRole('list', { name: 'Saved sessions' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').first()).toContainText('second chat');
  await page.getByRole('searchbox', { name: 'Search sessions' }).fill('FIRST');
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Rename first chat' }).click();
  await page.getByRole('textbox', { name: 'Session title' }).fill('Renamed chat');
  await page.getByRole('textbox', { name: 'Session title' }).press('Enter');
  await page.getByRole('searchbox', { name: 'Search sessions' }).fill('');
  await expect(list).toContainText('Renamed chat');
  await page.screenshot({ path: 'tests/artifacts/sessions-dialog.png' });
  await list.getByRole('button', { name: 'Renamed chat', exact: true }).click();
  await expect(transcript(page).locator('.user').first()).toContainText('first chat');

  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Delete second chat' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('button', { name: 'Sessions' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
});

test('with IndexedDB refused (as in some private modes) the app says so and still works', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      get() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
  });
  await page.goto(APP);
  await expect(page.getByRole('alert')).toContainText('cannot be saved');
  await send(page, 'hi');
  await expect(transcript(page).locator('.assistant').last()).not.toBeEmpty();
});
