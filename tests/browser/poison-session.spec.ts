import { expect, test, type Page } from '@playwright/test';

// A session whose answer is one 8 MB paragraph used to overflow the stack in the Markdown
// renderer, blank the transcript, and (being the last session) do so again at every reload.
const APP = '/?sandbox=embedded';
const EIGHT_MB = 8 * 1024 * 1024;

/** One paragraph, no blank line anywhere, with inline Markdown all along it. */
function hugeParagraph(): string {
  const sentence = 'The **quick** brown fox _jumps_ over the `lazy` dog <b>again</b> and [again](https://example.com). ';
  return sentence.repeat(Math.ceil(EIGHT_MB / sentence.length)).slice(0, EIGHT_MB);
}

function exportFile(title: string, answer: string) {
  const document = {
    format: 'unroll-session',
    version: 1,
    session: { title, model: 'demo', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000 },
    items: [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: answer, annotations: [] }] },
    ],
    snapshot: null,
  };
  return { name: `${title}.unroll.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(document)) };
}

async function importSession(page: Page, file: ReturnType<typeof exportFile>) {
  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByLabel('Import a session file').setInputFiles(file);
  await expect(page.getByRole('dialog', { name: 'Sessions' })).toBeHidden({ timeout: 30_000 });
}

const transcript = (page: Page) => page.getByRole('region', { name: 'Transcript' });

/** The page still answers: typing lands in the composer and the Sessions dialog opens and closes. */
async function expectUsable(page: Page) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(box).toBeEditable();
  await box.fill('still here');
  await expect(box).toHaveValue('still here');
  await page.getByRole('button', { name: 'Sessions' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sessions' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

test('an imported 8 MB one-paragraph answer shows as plain text and the app survives a reload', async ({ page }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(APP);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable();

  await importSession(page, exportFile('poison', hugeParagraph()));
  const answer = transcript(page).locator('.assistant').last();
  await expect(answer).toContainText('shown as plain text: too large to format');
  // The Markdown is shown as written, not formatted (nor the raw <b> turned into markup).
  await expect(answer).toContainText('The **quick** brown fox _jumps_ over the `lazy` dog <b>again</b>');
  await expect(answer.locator('strong, em, code, b, a')).toHaveCount(0);
  await expectUsable(page);

  await page.reload();
  await expect(transcript(page).locator('.assistant').last()).toContainText('shown as plain text: too large to format');
  await expectUsable(page);
  expect(errors).toEqual([]);
});

test('a session that did not finish opening last time is not reopened, and stays reachable', async ({ page }) => {
  await page.goto(APP);
  await importSession(page, exportFile('guarded', 'hello there'));
  await expect(transcript(page).locator('.assistant').last()).toContainText('hello there');
  // Drawn, so no longer marked as opening.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('unroll.openingSessions'))).toBeNull();
  // What a page that froze while opening the session leaves behind.
  await page.evaluate(() => {
    const id = localStorage.getItem('unroll.lastSession');
    localStorage.setItem('unroll.openingSessions', JSON.stringify([id]));
  });

  await page.reload();
  await expect(page.getByRole('alert')).toContainText('“guarded (imported)” was not reopened because it failed to open last time');
  await expect(transcript(page)).not.toContainText('hello there');
  await expectUsable(page);

  await page.getByRole('button', { name: 'Sessions' }).click();
  await page.getByRole('dialog', { name: 'Sessions' }).getByRole('button', { name: 'guarded (imported)', exact: true }).click();
  await expect(transcript(page).locator('.assistant').last()).toContainText('hello there');
  // Opened by hand and drawn: it counts as fine again.
  await page.reload();
  await expect(transcript(page).locator('.assistant').last()).toContainText('hello there');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('the Markdown renderer in Chromium', () => {
  const HARNESS = '/tests/browser/pages/markdown.html';

  test.beforeEach(async ({ page }) => {
    await page.goto(HARNESS);
    await page.waitForFunction(() => window.__markdown !== undefined);
  });

  test('formats ordinary Markdown and strips what could run', async ({ page }) => {
    await page.evaluate(() =>
      window.__markdown!.show(
        'Some **bold** and `code`.\n\n<img src=x onerror="window.__owned = 1"> [link](javascript:window.__owned=2)\n\n```js\nconst a = 1;\n```',
      ),
    );
    const view = page.locator('.markdown');
    await expect(view.locator('strong')).toHaveText('bold');
    await expect(view.locator('pre code.hljs')).toContainText('const a = 1;');
    // The image waits behind its click-to-load button (remote images never load by themselves).
    await expect(view.getByRole('button', { name: /^Load image from / })).toHaveCount(1);
    await expect(view.locator('[onerror]')).toHaveCount(0);
    await expect(view.locator('a')).not.toHaveAttribute('href', /javascript/);
    await expect(view.getByRole('note')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { __owned?: number }).__owned)).toBeUndefined();
  });

  test('shows an 8 MB paragraph as plain text in pieces, and streams more of it cheaply', async ({ page }) => {
    const ms = await page.evaluate((size) => {
      const sentence = 'The **quick** brown fox _jumps_ over the `lazy` dog. ';
      return window.__markdown!.show(sentence.repeat(Math.ceil(size / sentence.length)).slice(0, size));
    }, EIGHT_MB);
    const view = page.locator('.markdown');
    await expect(view.getByRole('note')).toHaveText('shown as plain text: too large to format');
    await expect(view).toContainText('The **quick** brown fox _jumps_ over the `lazy` dog.');
    await expect(view.locator('strong, em, code')).toHaveCount(0);
    expect(ms).toBeLessThan(2000);

    const more = view.getByRole('button', { name: /Show more \(7\.9 MB not shown\)/ });
    const pieces = view.locator('.plain > div');
    await expect(pieces).toHaveCount(2);
    await more.click();
    await expect(pieces).toHaveCount(6);
    await expect(view.getByRole('button', { name: /Show more \(7\.7 MB not shown\)/ })).toBeVisible();

    const slowest = await page.evaluate(() => window.__markdown!.stream(Array.from({ length: 30 }, (_, i) => ` delta ${i}`)));
    expect(slowest).toBeLessThan(250);
  });

  test('shows pathological nesting as plain text, and formats the blocks around it', async ({ page }) => {
    const quotes = await page.evaluate(() => window.__markdown!.show('>'.repeat(10_000) + ' x'));
    const view = page.locator('.markdown');
    await expect(view.getByRole('note')).toHaveText('shown as plain text: could not be formatted');
    expect(quotes).toBeLessThan(2000);

    const emphasis = await page.evaluate(() =>
      window.__markdown!.show('Before **this**.\n\n' + '_a '.repeat(10_000) + 'b_'.repeat(10_000) + '\n\nAfter **that**.'),
    );
    await expect(view.getByRole('note')).toHaveText('shown as plain text: could not be formatted');
    await expect(view.locator('strong')).toHaveText(['this', 'that']);
    expect(emphasis).toBeLessThan(2000);
  });

  test('still formats a long paragraph below the size limit', async ({ page }) => {
    await page.evaluate(() => window.__markdown!.show('A **long** paragraph with _emphasis_ and `code`. '.repeat(1_900)));
    const view = page.locator('.markdown');
    await expect(view.getByRole('note')).toHaveCount(0);
    await expect(view.locator('strong')).toHaveCount(1_900);
  });
});
