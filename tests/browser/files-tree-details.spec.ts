/**
 * Details of the file tree and Monaco on the files harness page (tests/browser/pages/
 * workbench-files.html): inputs that take the focus, icons that read as files and folders,
 * workspace JavaScript read as modules, and the change view of a created file.
 */
import { expect, test, type Page } from '@playwright/test';
import { editor, fileTree as tree, treeItem as item } from '../support/workbench-page';

const PAGE = '/tests/browser/pages/workbench-files.html';

/** Uncaught errors and console errors the page produced; each test expects none. */
function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`console: ${message.text()}`);
  });
  return problems;
}

let problems: string[] = [];

test.beforeEach(async ({ page }) => {
  problems = watchPage(page);
});

test.afterEach(() => {
  expect(problems).toEqual([]);
});

test('New file puts the caret in the name field, after the focused folder', async ({ page }) => {
  await page.goto(PAGE);
  await item(page, 'src').click();
  await page.getByRole('button', { name: 'New file' }).click();
  const input = page.getByRole('textbox', { name: 'New file name' });
  await expect(input).toBeFocused();
  await expect(input).toHaveValue('src/');
  // Typed straight away, without clicking the field first.
  await page.keyboard.type('notes.md');
  await page.keyboard.press('Enter');
  await expect(item(page, 'notes.md')).toBeVisible();
  await expect(editor(page).getByRole('tab', { name: 'notes.md' })).toBeVisible();
  expect(await page.evaluate(() => window.__sandbox!.fs.readFile('src/notes.md'))).toBe('');
});

test('rows show a drawn file or folder icon, hidden from assistive technology', async ({ page }) => {
  await page.goto(PAGE);
  const iconOf = (name: string) => item(page, name).locator('svg.icon');
  for (const name of ['src', 'README.md']) {
    await expect(iconOf(name)).toHaveAttribute('aria-hidden', 'true');
    await expect(iconOf(name).locator('path').first()).toBeAttached();
  }
  const shape = (name: string) => iconOf(name).locator('path').first().getAttribute('d');
  expect(await shape('src')).not.toBe(await shape('README.md'));
  // The rows are named by the file name alone.
  await expect(tree(page).getByRole('treeitem', { name: 'README.md', exact: true })).toHaveCount(1);
  await tree(page).screenshot({ path: 'tests/artifacts/files-tree-icons.png' });
});

test('in a .js file, a top-level `name` is not struck through as the deprecated window.name', async ({ page }) => {
  await page.goto(PAGE);
  await page.evaluate(() => window.__sandbox!.fs.writeFile('greet.js', "const name = 'world';\nconsole.log(`Hello, ${name}!`, escape(name));\n"));
  await item(page, 'greet.js').click();
  const deprecated = editor(page).locator('.view-lines .squiggly-inline-deprecated');
  // escape() is deprecated in every library: once it is struck through, the diagnostics are in.
  await expect(deprecated).toHaveText(['escape']);
});

test('the change view of a created file shows only added lines', async ({ page }) => {
  await page.goto(`${PAGE}?diff=1`);
  await page.evaluate(() => window.__diff!.set('', 'const a = 1;\nconst b = 2;\n'));
  const diff = page.getByRole('region', { name: 'Changes to src/diff-demo.ts' });
  await expect(diff).toContainText('const b = 2;');
  await expect(diff.locator('.line-insert')).toHaveCount(2);
  await expect(diff.locator('.line-delete')).toHaveCount(0);
  await page.screenshot({ path: 'tests/artifacts/files-diff-added.png' });

  // A deleted file: only removed lines; and back to a side-by-side diff for a change.
  await page.evaluate(() => window.__diff!.set('gone = true;\n', ''));
  await expect(diff).toContainText('gone = true;');
  await expect(diff.locator('.line-delete')).toHaveCount(1);
  await expect(diff.locator('.line-insert')).toHaveCount(0);
  await page.evaluate(() => window.__diff!.set('let x = 1;\n', 'let x = 2;\n'));
  await expect(diff.locator('.modified-in-monaco-diff-editor .view-lines')).toContainText('let x = 2;');
  await expect(diff.locator('.original-in-monaco-diff-editor .view-lines')).toContainText('let x = 1;');
});
