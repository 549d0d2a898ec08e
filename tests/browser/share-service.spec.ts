import { expect, test, type Page } from '@playwright/test';
import type { Db } from '../../server/src/db';
import { startShareService, type RunningService } from '../../server/tests/serve';

/**
 * A session too large for a link on its own, shared through the share service (started here,
 * in this process, on PGlite): the link opens it whole in a fresh browser, the service stores
 * no plaintext of it, and a wrong key says so.
 */

const APP = '/?sandbox=embedded';
const MARKER = 'plaintext-marker-5e3a9';
let db: Db;
let running: RunningService;
let service = '';

test.beforeAll(async () => {
  running = await startShareService();
  db = running.db;
  service = running.url;
});

test.afterAll(() => running.close());

async function terminal(page: Page, line: string): Promise<void> {
  await page.locator('.xterm-screen').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

const transcript = (page: Page) => page.getByRole('region', { name: 'Transcript' });

test('a large session goes through the share service, encrypted, and opens whole in a fresh browser', async ({ page, browser }) => {
  await page.goto(APP);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Share service URL').fill(service);
  await page.keyboard.press('Escape');

  // Random text does not compress: the session is far past what a link can carry.
  await expect(page.locator('.xterm-rows')).toContainText('user@unroll:/home/workspace$');
  await terminal(
    page,
    `node -e "let s = ''; for (let i = 0; i < 30000; i++) s += Math.random().toString(36).slice(2, 5); require('fs').writeFileSync('noise.txt', s)"`,
  );
  await terminal(page, `echo ${MARKER} > secret.txt`);
  await expect(page.getByRole('treeitem', { name: /secret\.txt/ })).toBeVisible();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Give me the hello demo');
  await box.press('Enter');
  await expect(transcript(page).locator('.assistant').last()).toContainText('What just happened', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('combobox', { name: 'Service links last' }).selectOption({ label: 'a week' });
  await page.getByRole('button', { name: 'Share Give me the hello demo' }).click();
  const panel = page.getByRole('region', { name: 'Share link' });
  await expect(panel).toContainText('encrypted in this browser');
  await expect(panel).toContainText('On the share service until');
  await expect(page.getByText('Links made in this browser (1)')).toBeVisible();
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
  expect(url).toMatch(/#s=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}&via=/);
  expect(url.length).toBeLessThan(300);
  await page.screenshot({ path: 'tests/artifacts/share-service.png' });

  // What the service holds is ciphertext: no trace of the session's text.
  const rows = await db.query<{ body: Uint8Array }>('SELECT body FROM shares');
  expect(rows).toHaveLength(1);
  expect(rows[0]!.body.length).toBeGreaterThan(32_000);
  expect(Buffer.from(rows[0]!.body).includes(MARKER)).toBe(false);
  expect(Buffer.from(rows[0]!.body).includes('What just happened')).toBe(false);

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  const local = url.replace(/^http:\/\/[^/]+\//, `${new URL(page.url()).origin}/`).replace('/#', '/?sandbox=embedded#');
  await other.goto(local);
  const banner = other.getByRole('region', { name: 'Shared session' });
  await expect(banner).toContainText('read-only');
  await expect(transcript(other).locator('.assistant').last()).toContainText('What just happened');
  await banner.getByRole('button', { name: 'Fork to continue' }).click();
  await expect(other.getByRole('treeitem', { name: /secret\.txt/ })).toBeVisible();
  await expect(other.getByRole('treeitem', { name: /noise\.txt/ })).toBeVisible();

  // A wrong key: a clear error, and the app still works.
  const wrong = await fresh.newPage();
  await wrong.goto(local.replace(/\.([A-Za-z0-9_-]{43})/, `.${'B'.repeat(43)}`));
  await expect(wrong.getByRole('alert')).toContainText('does not open this share');
  await fresh.close();

  // Delete link: the share is gone from the service.
  await panel.getByRole('button', { name: 'Delete link' }).click();
  await expect(panel).toContainText('The link is deleted');
  expect(await db.query('SELECT id FROM shares')).toEqual([]);
  await expect(page.getByText(/Links made in this browser/)).toHaveCount(0);
});

test('a broadcast is followed live in a second browser: new steps arrive without a reload, and the viewer can fork', async ({ page, browser }) => {
  await page.goto(APP);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Share service URL').fill(service);
  await page.keyboard.press('Escape');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Give me the hello demo');
  await box.press('Enter');
  await expect(transcript(page).locator('.assistant').last()).toContainText('What just happened', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Broadcast Give me the hello demo' }).click();
  const panel = page.getByRole('region', { name: 'Live broadcast' });
  await expect(panel).toContainText('Broadcasting live');
  const url = await panel.getByRole('textbox', { name: 'Broadcast URL' }).inputValue();
  expect(url).toMatch(/#s=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}&live=1/);
  await page.getByRole('button', { name: 'Close' }).click();

  const room = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const student = await room.newPage();
  await student.goto(url.replace(/^http:\/\/[^/]+\//, `${new URL(page.url()).origin}/`).replace('/#', '/?sandbox=embedded#'));
  await expect(student.getByRole('region', { name: 'Shared session' })).toContainText('read-only');
  await expect(transcript(student).locator('.user')).toHaveCount(1);

  // The teacher goes on; the student sees it as it happens, without reloading.
  await box.fill('Lesson 3: teach me why every prompt starts with the previous one (the prompt cache).');
  await box.press('Enter');
  await expect(transcript(student).locator('.user')).toHaveCount(2, { timeout: 20_000 });
  await expect(transcript(student).locator('.user').last()).toContainText('Lesson 3');
  await student.screenshot({ path: 'tests/artifacts/broadcast-viewer.png' });
  // A student forks where the lesson is: the session and its files become theirs.
  await student.getByRole('region', { name: 'Shared session' }).getByRole('button', { name: 'Fork to continue' }).click();
  await expect(student.getByRole('treeitem', { name: /hello\.js/ })).toBeVisible();
  await expect(student.getByRole('textbox', { name: 'Message' })).toBeEditable();
  await room.close();
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('region', { name: 'Live broadcast' }).getByRole('button', { name: 'Stop broadcast' }).click();
  await expect(page.getByRole('region', { name: 'Live broadcast' })).toHaveCount(0);
});
