import { expect, test, type Page } from '@playwright/test';
import { reply, sequence } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, scriptedServerForFile, send } from '../support/app-page';

const KEY = 'sk-test-secret-0123456789';
const XSS = [
  'Here is **bold** text.',
  '',
  '<img src=x onerror="window.__xss = 1"> <script>window.__xss = 2</script>',
  '',
  '[a link](javascript:window.__xss=3) and <a href="https://example.com" onclick="window.__xss=4">another</a>',
].join('\n');

// The real app against the scripted model over HTTP (CORS), configured through Settings.
let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), {
  requireKey: KEY,
  script: (ctx) => {
    if (/xss/.test(ctx.lastUserText)) return reply.text(XSS);
    if (/touch/.test(ctx.lastUserText)) {
      return sequence([
        reply.exec('touch made.txt'),
        (c) => reply.text(/rejected by user/.test(c.lastToolOutput ?? '') ? 'You said no.' : 'Created made.txt.'),
      ])(ctx);
    }
    return reply.text('hello from the server');
  },
});

async function connect(page: Page, key: string, approval = 'on-request') {
  await openWithServer(page, { url: server.url, key: key, approval });
}

test('model Markdown renders formatted and inert', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await connect(page, KEY);
  await send(page, 'show me xss');
  const answer = page.locator('.assistant').last();
  await expect(answer.locator('strong')).toHaveText('bold');
  await expect(answer.locator('a', { hasText: 'another' })).toHaveAttribute('href', 'https://example.com');
  await expect(answer.locator('script')).toHaveCount(0);
  await expect(answer.locator('[onerror], [onclick]')).toHaveCount(0);
  // DOMPurify drops a javascript: href altogether.
  expect((await answer.locator('a', { hasText: 'a link' }).getAttribute('href')) ?? '').not.toMatch(/^\s*javascript:/i);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);
  // The key stays in settings storage: nowhere in the page.
  expect(await page.content()).not.toContain(KEY);
});

test('a bad key gives a clear error card', async ({ page }) => {
  await connect(page, 'sk-wrong');
  await send(page, 'hi');
  const alert = page.getByRole('alert').filter({ hasText: 'The API key was rejected' });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await expect(alert).toContainText('401');
  await page.screenshot({ path: 'tests/artifacts/app-bad-key.png' });
});

test('approval: approve runs the command, deny does not', async ({ page }) => {
  await connect(page, KEY, 'untrusted');
  await send(page, 'touch a file');
  const card = page.getByRole('group', { name: 'Approval request' }).last();
  await expect(card).toContainText('touch made.txt');
  await page.screenshot({ path: 'tests/artifacts/app-approval.png' });
  await card.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.locator('.assistant').last()).toHaveText('Created made.txt.');
  await expect(page.getByRole('treeitem', { name: /made\.txt/ })).toBeVisible();

  await send(page, 'touch it again');
  const second = page.getByRole('group', { name: 'Approval request' }).last();
  await second.getByRole('button', { name: 'Deny' }).click();
  await expect(second).toContainText('Denied');
  await expect(page.locator('.assistant').last()).toHaveText('You said no.');
});
