import { expect, test, type Frame, type Page } from '@playwright/test';
import { APP_URL } from '../support/app-page';

/**
 * The workspace's site in the Preview pane of the built app, on the embedded sandbox: files
 * written in the terminal render with their stylesheet and TypeScript module, an edit in the
 * editor shows without a reload, errors reach the preview console with file and line, a bare
 * import says why it cannot work, and the page cannot reach the app's storage.
 */

const FRAME = 'iframe[title="Preview of the workspace site"]';

async function typeInTerminal(page: Page, line: string): Promise<void> {
  await page.locator('.xterm-screen').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

async function writeFile(page: Page, name: string, lines: string[]): Promise<void> {
  const quoted = lines.map((l) => `'${l.replace(/'/g, `'"'"'`)}'`).join(' ');
  await typeInTerminal(page, `printf '%s\\n' ${quoted} > ${name}`);
}

async function siteFrame(page: Page): Promise<Frame> {
  await expect.poll(() => page.frames().some((f) => f.url().endsWith('/preview-frame.html'))).toBe(true);
  return page.frames().find((f) => f.url().endsWith('/preview-frame.html'))!;
}

async function open(page: Page): Promise<void> {
  await page.goto(APP_URL);
  await expect(page.locator('.xterm-rows')).toContainText('user@unroll:/home/workspace$');
  await page.getByRole('tab', { name: 'Preview' }).click();
}

test('a site written in the terminal renders with its stylesheet and TypeScript module, and an edit in the editor shows without a reload', async ({
  page,
}) => {
  await open(page);
  await expect(page.getByRole('region', { name: 'Workspace site' })).toContainText('No index.html');
  await writeFile(page, 'style.css', ['h1 { color: rgb(10, 120, 30); }']);
  await writeFile(page, 'main.ts', [
    "const el = document.getElementById('title') as HTMLElement;",
    "el.textContent = 'Hello from ' + ('TypeScript' as string);",
  ]);
  await writeFile(page, 'index.html', [
    '<!doctype html><html><head><link rel="stylesheet" href="style.css"></head>',
    '<body><h1 id="title">static</h1><script type="module" src="main.ts"></script></body></html>',
  ]);

  const frame = page.frameLocator(FRAME);
  await expect(frame.locator('h1')).toHaveText('Hello from TypeScript');
  expect(await frame.locator('h1').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(10, 120, 30)');
  await page.screenshot({ path: 'tests/artifacts/site-preview.png' });

  // The editor: change main.ts and save; the preview follows by itself.
  await page.getByRole('tab', { name: 'Editor' }).click();
  await page.getByRole('tree').getByRole('treeitem', { name: 'main.ts', exact: true }).click();
  const editor = page.getByRole('region', { name: 'Editor' });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type("\nel.textContent += ' (edited)';");
  await page.keyboard.press('ControlOrMeta+s');
  await page.getByRole('tab', { name: 'Preview' }).click();
  await expect(frame.locator('h1')).toHaveText('Hello from TypeScript (edited)');
});

test('errors reach the preview console with their file and line, and a bare import says packages need WebContainer', async ({ page }) => {
  await open(page);
  await writeFile(page, 'lib.ts', ['export function fail(): never {', "  throw new Error('broken on purpose');", '}']);
  await writeFile(page, 'main.ts', ["import { fail } from './lib';", "console.log('before the error');", 'fail();']);
  await writeFile(page, 'index.html', ['<!doctype html><h1>errors</h1><script type="module" src="main.ts"></script>']);
  const console = page.getByRole('region', { name: 'Preview console' });
  await expect(console).toContainText('before the error');
  await expect(console.locator('li', { hasText: 'Uncaught Error: broken on purpose' })).toContainText('/lib.ts:2');

  await writeFile(page, 'main.ts', ["import React from 'react';", 'console.log(React);']);
  await expect(console).toContainText('Cannot import "react": packages need the WebContainer sandbox');
});

test("the previewed page cannot read the app's storage or reach into the app", async ({ page }) => {
  await open(page);
  await page.evaluate(() => localStorage.setItem('unroll.isolation-check', 'secret'));
  await writeFile(page, 'index.html', ['<!doctype html><h1>isolated</h1>']);
  await expect(page.frameLocator(FRAME).locator('h1')).toHaveText('isolated');
  const frame = await siteFrame(page);
  const seen = await frame.evaluate(async () => {
    const attempt = async (what: () => unknown) => {
      try {
        const value = await what();
        return `read: ${String(value)}`;
      } catch (err) {
        return `refused: ${(err as Error).name}`;
      }
    };
    return {
      origin: origin,
      localStorage: await attempt(() => localStorage.getItem('unroll.isolation-check')),
      indexedDB: await attempt(
        () =>
          new Promise((resolve, reject) => {
            const request = indexedDB.open('unroll');
            request.onsuccess = () => resolve('opened');
            request.onerror = () => reject(request.error ?? new Error('failed'));
          }),
      ),
      parentDocument: await attempt(() => parent.document.title),
      cookie: await attempt(() => document.cookie),
    };
  });
  expect(seen.origin).toBe('null');
  expect(seen.localStorage).toBe('refused: SecurityError');
  expect(seen.indexedDB).toMatch(/^refused: /);
  expect(seen.parentDocument).toBe('refused: SecurityError');
  expect(seen.cookie).toBe('refused: SecurityError');
  await expect(page.getByRole('button', { name: 'Open in new tab' })).toBeDisabled();
});

test('serve DIR opens the site in a folder, and a fetch of its data is answered from the workspace', async ({ page }) => {
  await open(page);
  await page.getByRole('tab', { name: 'Editor' }).click();
  await typeInTerminal(page, 'mkdir -p site');
  await writeFile(page, 'site/data.json', ['{"greeting": "from data.json"}']);
  await writeFile(page, 'site/index.html', [
    '<!doctype html><p id="out">waiting</p><script type="module">',
    "const r = await fetch('./data.json'); const missing = await fetch('./nope.json');",
    "document.getElementById('out').textContent = (await r.json()).greeting + ' / ' + missing.status;",
    '</script>',
  ]);
  await typeInTerminal(page, 'serve site');
  await expect(page.locator('.xterm-rows')).toContainText('Serving /home/workspace/site in the Preview pane');
  await expect(page.frameLocator(FRAME).locator('#out')).toHaveText('from data.json / 404');
  await expect(page.getByRole('region', { name: 'Preview console' })).toContainText('GET /nope.json 404 (Not Found)');
});

test('lesson 5 on the demo model: the page is previewed, its error reaches the agent, the fix clears the console', async ({ page }) => {
  await page.goto(APP_URL);
  await page.getByRole('button', { name: 'Lesson 5: a web page, previewed and fixed' }).click();
  const final = page.locator('.assistant', { hasText: 'What just happened' });
  await expect(final).toContainText('The page in `clicks/` works'.replace(/`/g, ''), { timeout: 45_000 });
  // The page works in the preview: the counter counts.
  const frame = page.frameLocator(FRAME);
  await frame.getByRole('button', { name: 'Click me' }).click();
  await expect(frame.locator('#counter')).toHaveText('1');
  // The error the agent saw was the page's own, with its file and line.
  await expect(page.locator('.tool').filter({ hasText: 'sleep 1 && echo checked the preview' }).first()).toContainText(
    "Cannot set properties of null (setting 'textContent')",
  );
  await expect(page.getByRole('region', { name: 'Preview console' }).locator('li.error')).toHaveCount(0);
  await page.screenshot({ path: 'tests/artifacts/lesson-web-page.png' });
});
