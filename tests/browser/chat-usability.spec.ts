import { expect, test, type Page } from '@playwright/test';
import { reply } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { messageBox as box, scriptedServerForFile, send, transcript } from '../support/app-page';

// The chat's small frictions: commands typed out in full, output of commands scrolled into
// view, the demo's suggested prompts, Retry after a failed turn, and the read-only composer.
const APP = '/?sandbox=embedded';
const KEY = 'sk-usability-0123456789';

let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), { requireKey: KEY, script: (ctx) => reply.text(`Saw: ${ctx.lastUserText}`) });

async function ready(page: Page) {
  await page.goto(APP);
  await expect(page.getByRole('status', { name: 'Sandbox' })).toHaveText('Sandbox: embedded (just-bash)');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
}

test('a command typed out in full runs on the first Enter; a partial one completes', async ({ page }) => {
  await ready(page);
  await send(page, '/model');
  await expect(transcript(page).getByText(/^Model: unroll-scripted/)).toBeVisible();
  await expect(box(page)).toHaveValue('');

  await send(page, '/approvals');
  await expect(transcript(page).getByText(/^Approvals: on-request/)).toBeVisible();
  await expect(box(page)).toHaveValue('');

  await send(page, '/appr');
  await expect(box(page)).toHaveValue('/approvals ');
});

test("a command's output scrolls into view when the chat is scrolled up", async ({ page }) => {
  await ready(page);
  const region = transcript(page);
  // Enough output to scroll.
  for (let n = 1; n <= 6; n++) {
    await send(page, '/status');
    await expect(page.getByRole('region', { name: 'Status' })).toHaveCount(n);
  }
  expect(await region.evaluate((el) => el.scrollHeight > el.clientHeight * 1.5)).toBe(true);
  await region.hover();
  await page.mouse.wheel(0, -100_000);
  await expect.poll(() => region.evaluate((el) => el.scrollTop)).toBe(0);

  await send(page, '/status');
  await expect(page.getByRole('region', { name: 'Status' })).toHaveCount(7);
  await expect(page.getByRole('region', { name: 'Status' }).last()).toBeInViewport();
});

test("the demo's suggested prompts are buttons that put the prompt in the message box", async ({ page }) => {
  await ready(page);
  await send(page, 'What can you do?');
  const suggested = page.getByRole('group', { name: 'Suggested prompts' });
  await expect(suggested.getByRole('button')).toHaveText([
    'Write a small hello program and run it.',
    'Lesson 2: write a module and its test, watch the test fail, then fix the bug.',
    'Lesson 3: teach me why every prompt starts with the previous one (the prompt cache).',
    'Lesson 4: fill the context with some output, then explain compaction.',
    'Lesson 5: build a small web page, preview it, break it and fix it.',
    'Lesson 6: show me why the order of the tools matters (the prompt cache).',
  ]);
  await suggested.getByRole('button', { name: 'Write a small hello program and run it.' }).click();
  await expect(box(page)).toHaveValue('Write a small hello program and run it.');
  await expect(box(page)).toBeFocused();
  await box(page).press('Enter');
  await expect(page.locator('.tool').filter({ hasText: '$ node hello.js' })).toContainText('Hello, world!', { timeout: 30_000 });
});

test('"Could not reach the model" offers Retry, which sends the turn again without repeating the message', async ({ page }) => {
  await ready(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Provider').selectOption('custom');
  await page.getByLabel('Base URL').fill(server.url);
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByLabel('Model', { exact: true }).fill('unroll-scripted');
  await page.keyboard.press('Escape');

  let reachable = false;
  await page.route(`${server.url}/**`, (route) => (reachable ? route.continue() : route.abort('connectionrefused')));
  const before = server.requests.length;
  await send(page, 'hello through a flaky link');
  const card = page.getByRole('alert').filter({ hasText: 'Could not reach the model' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('choose Retry');

  reachable = true;
  await card.getByRole('button', { name: 'Retry' }).click();
  await expect(transcript(page).locator('.assistant').last()).toHaveText('Saw: hello through a flaky link');
  await expect(transcript(page).locator('.user').filter({ hasText: 'hello through a flaky link' })).toHaveCount(1);
  await expect(card.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  const sent = server.requests.slice(before).filter((r) => r.path.endsWith('/responses'));
  expect(sent).toHaveLength(1);
  const users = JSON.stringify((sent[0]!.body as { input: unknown[] }).input).split('hello through a flaky link').length - 1;
  expect(users).toBe(1);
});

test('a session open in another tab: the composer and the notice name the same way out', async ({ page, context }) => {
  await ready(page);
  const other = await context.newPage();
  await other.goto(APP);
  const banner = other.getByRole('region', { name: 'Session open elsewhere' });
  await expect(banner).toContainText('open in another tab');
  await expect(banner.getByRole('button', { name: 'Use it here' })).toBeVisible();
  const composer = box(other);
  await expect(composer).not.toBeEditable();
  await expect(composer).toHaveAttribute('placeholder', /open in another tab.*“Use it here”/);
  await expect(composer).not.toHaveAttribute('placeholder', /fork/i);
  await other.close();
});
