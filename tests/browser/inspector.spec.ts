import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { demoScript } from '../../src/model/scripted/index';
import type { ScriptedServer } from '../../src/model/scripted/server';
import { openWithServer, scriptedServerForFile } from '../support/app-page';

const KEY = 'sk-inspector-secret-4242424242';

// Lesson 1 against the scripted model over HTTP with a real key, in step-through mode, with the
// Inspector open: every request is there, the prefix is marked, and the key is nowhere.
let server: ScriptedServer;
scriptedServerForFile((s) => (server = s), { requireKey: KEY, script: demoScript });

test('lesson 1 in step-through mode: the inspector shows each request, the reused prefix, and never the key', async ({ page }) => {
  await openWithServer(page, { url: server.url, key: KEY });

  await page.getByLabel('Step through').check();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Write a small hello program and run it.');
  await box.press('Enter');

  const step = page.getByRole('group', { name: 'Next step' }).last();
  const inspector = page.getByTestId('inspector-pane');
  // Continue through request 1, its tool call, and request 2.
  for (const expected of ['Next: request 1', '$ ls -la', 'Next: request 2']) {
    await expect(step).toContainText(expected);
    await step.getByRole('button', { name: 'Continue' }).click();
  }
  const rounds = inspector.getByRole('list', { name: 'Rounds' }).getByRole('button');
  await expect(rounds).toHaveCount(2);
  await expect(rounds.nth(0)).toContainText('first');
  await expect(rounds.nth(0)).toContainText(' ms');
  await expect(rounds.nth(1)).toContainText('reused');

  // Round 2: what round 1 sent is marked reusable; round 1's output (reasoning, a note, the
  // call) and the call's output are new.
  const parts = inspector.getByRole('list', { name: 'Request parts' });
  await expect(parts.locator('[data-cached="prefix"]').first()).toContainText('reusable from cache');
  const fresh = parts.locator('[data-cached="new"]');
  await expect(fresh).toHaveCount(4);
  await expect(fresh.nth(2)).toContainText('exec_command');
  await expect(fresh.nth(3)).toContainText('output');
  await expect(inspector).toContainText('cached');
  await expect(inspector.getByRole('list', { name: 'Response events' })).toContainText('response.completed');
  await page.screenshot({ path: 'tests/artifacts/inspector.png' });

  const download = page.waitForEvent('download');
  await inspector.getByRole('button', { name: 'Export round' }).click();
  const file = await (await download).path();
  const exported = await readFile(file, 'utf8');
  expect(JSON.parse(exported)).toMatchObject({ format: 'unroll-round', version: 1 });
  expect(exported).not.toContain(KEY);

  // Finish the lesson, then look for the key everywhere the page keeps text.
  for (let i = 0; i < 6 && (await step.getByRole('button', { name: 'Continue' }).count()); i++) {
    await step.getByRole('button', { name: 'Continue' }).click();
    await page.waitForTimeout(100);
  }
  await page.getByLabel('Step through').uncheck();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
  await inspector.getByText('The JSON body').click();
  const html = await page.content();
  expect(html).not.toContain(KEY);
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  expect(stored).not.toContain(KEY);
});

test('a teacher with no key picks a lesson: it runs on the demo model and its notes sit beside the inspector', async ({ page }) => {
  await page.goto('/?sandbox=embedded');
  const lessons = page.getByRole('region', { name: 'Lessons' });
  await lessons.getByRole('button', { name: 'Lesson 2: a failing test, fixed' }).click();
  await page.getByRole('tab', { name: 'Inspector' }).click();
  await expect(page.getByRole('complementary', { name: 'Lesson notes' })).toContainText('Lesson 2');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 60_000 });
  // The test failed, was fixed, and passed: two runs of it, the first failing.
  const runs = page.locator('.tool').filter({ hasText: /\$ node math2?\.test\.js/ });
  await expect(runs).toHaveCount(2);
  await expect(runs.first()).toContainText('exit 1');
  await expect(runs.last()).toContainText('exit 0');
  await expect(page.getByRole('region', { name: 'Plan' }).last()).toContainText(/(\d+)\/\1 done/);
  await expect(page.getByTestId('inspector-pane').getByRole('list', { name: 'Rounds' }).getByRole('button')).toHaveCount(7);
  // The transcript followed the lesson to its end, and the picked lesson left the composer empty.
  await expect(page.getByRole('region', { name: 'Transcript' }).locator('.assistant').last()).toBeInViewport();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
});

test('replay a shared session round by round, the inspector following, without calling any model', async ({ page, browser }) => {
  await page.goto('/?sandbox=embedded');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Give me the hello demo');
  await box.press('Enter');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: 'Share Give me the hello demo' }).click();
  const url = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();

  const fresh = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const other = await fresh.newPage();
  const requests: string[] = [];
  other.on('request', (r) => requests.push(r.url()));
  await other.goto(url.replace(/^http:\/\/[^/]+\//, `${new URL(page.url()).origin}/`).replace('/#', '/?sandbox=embedded#'));
  await expect(other.getByRole('region', { name: 'Shared session' })).toBeVisible();
  await other.getByRole('tab', { name: 'Inspector' }).click();
  await other.getByRole('button', { name: 'Replay' }).click();
  const bar = other.getByRole('toolbar', { name: 'Replay' });
  await expect(bar).toContainText('Round 1 of 4');
  const rounds = other.getByTestId('inspector-pane').getByRole('list', { name: 'Rounds' }).getByRole('button');
  await expect(rounds).toHaveCount(1);
  await bar.getByRole('button', { name: 'Forward ▶' }).click();
  await bar.getByRole('button', { name: 'Forward ▶' }).click();
  await expect(bar).toContainText('Round 3 of 4');
  await expect(rounds).toHaveCount(3);
  await expect(other.getByRole('group', { name: 'Tool call exec_command' }).last()).toContainText('node hello.js');
  await bar.getByRole('button', { name: '◀ Back' }).click();
  await expect(rounds).toHaveCount(2);
  await other.screenshot({ path: 'tests/artifacts/replay.png' });
  await bar.getByRole('button', { name: 'Exit replay' }).click();
  await expect(other.locator('.assistant').last()).toContainText('What just happened');
  // Only the app's own files were fetched: no model was called.
  expect(requests.filter((r) => !r.startsWith(new URL(page.url()).origin))).toEqual([]);
  expect(requests.some((r) => r.includes('/responses'))).toBe(false);
  await fresh.close();
});
