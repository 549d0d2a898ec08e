/**
 * The workspace kept with the conversation, on the built app in Chromium (real IndexedDB,
 * embedded sandbox, offline demo model): the ways files used to be lost, each as a user meets it.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { APP_URL as APP, send, transcript } from '../support/app-page';
import { editor, shownText, treeItem as file } from '../support/workbench-page';

const idle = (page: Page) => expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });

async function helloDemo(page: Page) {
  await page.goto(APP);
  await send(page, 'Give me the hello demo');
  await idle(page);
  await expect(file(page, 'hello.js')).toBeVisible();
}

test('new session, then a reload during its first turn: the files are still there', async ({ page }) => {
  await helloDemo(page);
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'New session' }).click();
  await send(page, 'Give me the hello demo');
  // Mid-turn: its first command has run, later rounds are still coming.
  await expect(page.getByRole('group', { name: 'Tool call exec_command' }).first()).toContainText('✓');
  await page.reload();
  await expect(transcript(page).locator('.user').first()).toContainText('Give me the hello demo');
  await expect(file(page, 'hello.js')).toBeVisible();
});

test('Ctrl+S, then a reload 100 ms later: the edit is kept', async ({ page }) => {
  await helloDemo(page);
  await file(page, 'hello.js').click();
  await expect(editor(page).locator('.monaco-editor')).toBeVisible();
  await expect.poll(() => shownText(page)).toContain('Hello');
  await editor(page).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('// saved just before the reload\n');
  await page.keyboard.press('ControlOrMeta+s');
  await expect(editor(page).getByRole('tab', { name: 'hello.js' })).not.toContainText('(unsaved)');
  await page.waitForTimeout(100);
  await page.reload();
  await file(page, 'hello.js').click();
  await expect.poll(() => shownText(page)).toContain('saved just before the reload');
});

test('fork from an early message has that message’s files, not later ones', async ({ page }) => {
  await helloDemo(page);
  await send(page, 'thanks');
  await idle(page);
  await transcript(page).locator('.user').first().hover();
  await transcript(page).getByRole('button', { name: 'Fork from here' }).first().click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('Give me the hello demo');
  // Before the first message the demo had written nothing.
  await expect(transcript(page).locator('.user')).toHaveCount(0);
  await expect(file(page, 'hello.js')).toHaveCount(0);
  await page.screenshot({ path: 'tests/artifacts/fork-early-files.png' });
  // And it stays so across a reload.
  await page.reload();
  await expect(page.getByRole('tree', { name: 'Workspace files' })).toBeVisible();
  await expect(file(page, 'hello.js')).toHaveCount(0);
});

test('export and import of a compacted session keep every item and the marker, byte for byte', async ({ page }) => {
  await helloDemo(page);
  await send(page, '/compact');
  await expect(page.getByRole('separator', { name: 'Compaction' })).toHaveCount(1, { timeout: 30_000 });
  await idle(page);
  const shown = await transcript(page).locator('.user, .assistant').count();

  const exportOf = async (title: RegExp) => {
    await page.getByRole('button', { name: 'Sessions' }).click();
    const row = page.getByRole('list', { name: 'Saved sessions' }).getByRole('listitem').filter({ hasText: title }).first();
    const download = page.waitForEvent('download');
    await row.getByRole('button', { name: /^Export / }).click();
    const path = await (await download).path();
    await page.getByRole('button', { name: 'Close' }).click();
    return readFile(path, 'utf8');
  };
  const first = await exportOf(/hello demo/);
  const document = JSON.parse(first) as { log: unknown[] };
  expect(document.log.some((r) => (r as { type?: string }).type === 'unroll.history_replaced')).toBe(true);

  // The original goes to the trash, so the list holds the imported copy alone.
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: /^Delete .*hello demo/ }).click();
  await page
    .getByLabel('Import a session file')
    .setInputFiles({ name: 'compacted.unroll.json', mimeType: 'application/json', buffer: Buffer.from(first) });
  await expect(page.getByRole('dialog', { name: 'Sessions' })).toBeHidden({ timeout: 30_000 });
  await expect(page.getByRole('separator', { name: 'Compaction' })).toHaveCount(1);
  await expect(transcript(page).locator('.user, .assistant')).toHaveCount(shown);
  await expect(file(page, 'hello.js')).toBeVisible();
  // Exporting the imported copy gives the same bytes, but for its title, which says where it came from.
  const again = await exportOf(/hello demo/);
  const marked = JSON.parse(first) as { session: { title: string } };
  marked.session.title += ' (imported)';
  expect(again).toBe(JSON.stringify(marked));
});
