import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

// Durable storage in the built app: Chromium's real StorageManager, or one whose estimate (or
// IndexedDB writes) the test replaces before the page's scripts run.
const APP = '/?sandbox=embedded';
const MB = 1024 * 1024;

async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

async function finishTurn(page: Page, text: string) {
  await send(page, text);
  await expect(page.getByRole('region', { name: 'Transcript' }).locator('.assistant').last()).toContainText('What just happened', {
    timeout: 30_000,
  });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
}

/** Counts `navigator.storage.persist()` calls, answering as the browser does. */
async function countPersistCalls(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { persistCalls: number };
    w.persistCalls = 0;
    const persist = StorageManager.prototype.persist;
    StorageManager.prototype.persist = function () {
      w.persistCalls += 1;
      return persist.call(this);
    };
  });
  return () => page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls);
}

async function reportEstimate(page: Page, usage: number, quota: number) {
  await page.addInitScript(
    ([u, q]) => {
      StorageManager.prototype.estimate = async () => ({ usage: u, quota: q });
    },
    [usage, quota] as const,
  );
}

test('the Sessions dialog says whether storage is persistent and how much is used; persistence is asked after the first turn, once', async ({
  page,
}) => {
  const persistCalls = await countPersistCalls(page);
  await page.goto(APP);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable();
  await page.waitForTimeout(500);
  expect(await persistCalls()).toBe(0);

  await finishTurn(page, 'Give me the hello demo');
  await expect.poll(persistCalls).toBe(1);

  await page.getByRole('button', { name: 'Sessions' }).click();
  const storage = page.getByRole('dialog').getByRole('region', { name: 'Storage' });
  await expect(storage).toContainText(/Space used: [\d.]+ (B|KB|MB) of [\d.]+ (MB|GB|TB) \(\d+ %\)/);
  await expect(storage).toContainText(/Stored persistently|The browser may clear these sessions when it runs low on space/);
  await page.getByRole('dialog').screenshot({ path: 'tests/artifacts/storage-status-dialog.png' });
  await page.getByRole('button', { name: 'Close' }).click();

  // The next turn, and the next page load, do not ask again.
  await finishTurn(page, 'Give me the hello demo again');
  await page.waitForTimeout(500);
  expect(await persistCalls()).toBe(1);
  await page.reload();
  await finishTurn(page, 'Give me the hello demo once more');
  await page.waitForTimeout(500);
  expect(await persistCalls()).toBe(0); // the counter restarts with the page; the browser remembers the answer
});

test('nearly full: a warning offers Export, which downloads the session', async ({ page }) => {
  await reportEstimate(page, 990 * MB, 1000 * MB);
  await page.goto(APP);
  const warning = page.getByRole('alert', { name: 'Storage nearly full' });
  await expect(warning).toContainText('990 MB of 1000 MB (99 %)');
  await expect(warning).toContainText('delete old sessions');

  await finishTurn(page, 'Give me the hello demo');
  await page.screenshot({ path: 'tests/artifacts/storage-status-warning.png' });
  const download = page.waitForEvent('download');
  await warning.getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Give-me-the-hello-demo.unroll.json');
  // The export's layout belongs to the store; that it is the session, with its reply, is what matters here.
  const exported = await readFile((await file.path())!, 'utf8');
  expect(() => JSON.parse(exported)).not.toThrow();
  expect(exported).toContain('Give me the hello demo');
  expect(exported).toContain('What just happened');

  await page.getByRole('button', { name: 'Sessions' }).click();
  await expect(page.getByRole('dialog').getByRole('region', { name: 'Storage' })).toContainText('nearly full');
  await page.getByRole('dialog').screenshot({ path: 'tests/artifacts/storage-status-dialog-full.png' });
  await page.getByRole('button', { name: 'Close' }).click();

  await warning.getByRole('button', { name: 'Dismiss' }).click();
  await expect(warning).toBeHidden();
});

test('a save refused for lack of room: the problem banner offers Export, and only one banner shows', async ({ page }) => {
  await reportEstimate(page, 999 * MB, 1000 * MB);
  // Writes fail as a full disk makes them fail once the test sets `diskFull`; reads still work.
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: Parameters<typeof put>) {
      if ((window as unknown as { diskFull?: boolean }).diskFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await page.goto(APP);
  await finishTurn(page, 'Give me the hello demo');
  await page.evaluate(() => ((window as unknown as { diskFull: boolean }).diskFull = true));
  await finishTurn(page, 'Give me the hello demo again');

  const problem = page.getByRole('alert').filter({ hasText: 'no more room' });
  await expect(problem).toBeVisible();
  await expect(page.getByRole('alert', { name: 'Storage nearly full' })).toHaveCount(0);
  const download = page.waitForEvent('download');
  await problem.getByRole('button', { name: 'Export this session' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.unroll\.json$/);
});
