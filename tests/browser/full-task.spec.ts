import { expect, test } from '@playwright/test';

test('a full task in the tab: the agent lists files, writes hello.js with apply_patch, runs it and explains (demo model, embedded sandbox, real SSE)', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // Nothing may leave the page: the demo model answers through an in-page fetch.
  const external: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('http://127.0.0.1')) external.push(request.url());
  });

  await page.goto('/?sandbox=embedded');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('Give me the hello demo');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await message.press('Enter');

  await expect(page.getByText('$ ls -la')).toBeVisible();
  await expect(page.getByText('$ node hello.js')).toBeVisible();
  await expect(page.getByText('What just happened', { exact: false })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByRole('treeitem', { name: /hello\.js/ })).toBeVisible();
  // The patch shows as a diff; the file the agent wrote opens in the editor.
  const patch = page.getByRole('group', { name: 'Tool call apply_patch' });
  await expect(patch).toContainText("+const name = process.argv[2] ?? 'world';");
  await page.getByRole('treeitem', { name: /hello\.js/ }).click();
  await expect(page.locator('.monaco-editor').first()).toContainText('Hello, ${name}!', { timeout: 15_000 });
  // It really ran (node on QuickJS in the embedded sandbox): its output is in the tool card.
  const run = page.locator('.tool').filter({ hasText: '$ node hello.js' });
  await expect(run).toContainText('1 + 2 + ... + 10 = 55');
  await expect(run).toContainText('exit 0');
  // The final message is rendered Markdown, with the program's output quoted in a code block.
  const answer = page.getByRole('region', { name: 'Transcript' }).locator('.assistant').last();
  await expect(answer.locator('h3')).toHaveText('What just happened');
  await expect(answer.locator('pre code')).toContainText('Hello, world!');
  await expect(page.getByRole('region', { name: 'Changed in this turn' })).toContainText('hello.js');
  await page.screenshot({ path: 'tests/artifacts/full-task.png' });

  expect(errors).toEqual([]);
  expect(external).toEqual([]);
});

test('Stop interrupts a running turn and the next turn still works', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('Give me the hello demo');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
  await message.press('Enter');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByText('Stopped.')).toBeVisible();

  await message.fill('What are you?');
  await message.press('Enter');
  const transcript = page.getByRole('region', { name: 'Transcript' });
  await expect(transcript.locator('> *').last()).toContainText(`I can't really work on "What are you?"`, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
});
