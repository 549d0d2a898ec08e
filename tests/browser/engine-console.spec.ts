import { expect, test } from '@playwright/test';

test('the engine runs the hello lesson in the tab: demo model, embedded sandbox, real SSE through the SDK', async ({ page }) => {
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
  await expect(page.getByText('$ bash hello.sh')).toBeVisible();
  await expect(page.getByText('What just happened', { exact: false })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(page.getByRole('treeitem', { name: /hello\.sh/ })).toBeVisible();
  // The file the agent wrote opens in the editor.
  await page.getByRole('treeitem', { name: /hello\.sh/ }).click();
  await expect(page.locator('.monaco-editor').first()).toContainText('Hello, $name!', { timeout: 15_000 });
  await expect(page.locator('.tool').filter({ hasText: '$ bash hello.sh' })).toContainText('1 + 2 + ... + 10 = 55');
  await page.screenshot({ path: 'tests/artifacts/engine-console.png' });

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
