/**
 * The file tree and the Monaco editor in Chromium, on tests/browser/pages/workbench-files.html:
 * a real embedded sandbox (`window.__sandbox`) seeded with a few files, one of them named
 * like an HTML injection.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { editor, fileTree as tree, shownText, treeItem as item } from '../support/workbench-page';

const PAGE = '/tests/browser/pages/workbench-files.html';
const XSS_NAME = '<img src=x onerror=alert(1)>.js';

/** Uncaught errors, console errors and dialogs the page produced; each test expects none. */
function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      problems.push(`console: ${message.text()} (${message.location().url})`);
    }
  });
  return problems;
}

async function readSandbox(page: Page, path: string): Promise<string> {
  return page.evaluate((p) => window.__sandbox!.fs.readFile(p), path);
}

async function shell(page: Page, command: string): Promise<void> {
  const result = await page.evaluate((c) => window.__sandbox!.exec.run(c), command);
  expect(result.exitCode, result.output).toBe(0);
}

async function openFile(page: Page, name: string): Promise<void> {
  await item(page, name).click();
  await expect(editor(page).locator('.monaco-editor')).toBeVisible();
}

let problems: string[] = [];

test.beforeEach(async ({ page }) => {
  problems = watchPage(page);
  await page.goto(PAGE);
  await expect(item(page, 'README.md')).toBeVisible();
});

test.afterEach(() => {
  expect(problems).toEqual([]);
});

test('the tree lists the seeded files, folders first, node_modules collapsed', async ({ page }) => {
  const names = await tree(page).getByRole('treeitem').allTextContents();
  expect(names.map((name) => name.replace(/[▸▾]/g, '').trim())).toEqual(['assets', 'node_modules', 'src', XSS_NAME, 'package.json', 'README.md']);
  await expect(item(page, 'node_modules')).toHaveAttribute('aria-expanded', 'false');
  await expect(item(page, 'README.md')).toHaveAttribute('aria-level', '1');
  await expect(item(page, 'README.md')).not.toHaveAttribute('aria-expanded');
});

test('a file named like HTML renders as inert text', async ({ page }) => {
  const row = item(page, XSS_NAME);
  await expect(row).toBeVisible();
  await expect(row).toContainText(XSS_NAME);
  await expect(tree(page).locator('img')).toHaveCount(0);
  await row.click();
  await expect(editor(page).getByRole('tab', { name: XSS_NAME })).toBeVisible();
  await expect(editor(page).locator('img')).toHaveCount(0);
  await page.waitForTimeout(300);
  // afterEach checks that no dialog (alert) fired.
});

test('Monaco loads lazily: not before a file opens, then with its workers', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script' || request.url().endsWith('.js')) scripts.push(new URL(request.url()).pathname);
  });
  await page.reload();
  await expect(item(page, 'README.md')).toBeVisible();
  expect(scripts.filter((path) => /monaco|editor\.api/.test(path))).toEqual([]);
  await expect(page.locator('.monaco-editor')).toHaveCount(0);

  await openFile(page, 'package.json');
  expect(scripts.some((path) => /monaco/.test(path))).toBe(true);
  await expect.poll(() => scripts.some((path) => /json\.worker/.test(path))).toBe(true);
});

test('clicking a file opens it in Monaco; typing and Ctrl+S save to the sandbox', async ({ page }) => {
  await openFile(page, 'README.md');
  await expect.poll(() => shownText(page)).toContain('# Files harness');
  const tab = editor(page).getByRole('tab', { name: 'README.md' });
  await expect(tab).toHaveAttribute('aria-selected', 'true');

  await editor(page).locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('Edited in the browser.\n');
  await expect(tab).toContainText('(unsaved)');
  expect(await readSandbox(page, 'README.md')).not.toContain('Edited in the browser.');

  await page.keyboard.press('ControlOrMeta+s');
  await expect.poll(() => readSandbox(page, 'README.md')).toContain('Edited in the browser.');
  await expect(tab).not.toContainText('(unsaved)');
});

test('tabs switch models and keep each file’s own text; closing a tab shows the next', async ({ page }) => {
  await item(page, 'src').click();
  await openFile(page, 'main.ts');
  await expect.poll(() => shownText(page)).toContain('export function greet');
  await openFile(page, 'package.json');
  await expect.poll(() => shownText(page)).toContain('"name": "harness"');
  await editor(page).getByRole('tab', { name: 'main.ts' }).click();
  await expect.poll(() => shownText(page)).toContain('export function greet');
  await editor(page).getByRole('button', { name: 'Close main.ts' }).click();
  await expect(editor(page).getByRole('tab')).toHaveCount(1);
  await expect.poll(() => shownText(page)).toContain('"name": "harness"');
});

test('a shell write makes a new file appear; an open clean tab follows changes on disk', async ({ page }) => {
  await openFile(page, 'package.json');
  await shell(page, 'mkdir -p gen && echo "made by the agent" > gen/new.txt');
  await expect(item(page, 'gen')).toHaveAttribute('aria-expanded', 'true');
  await expect(item(page, 'new.txt')).toBeVisible();

  await shell(page, `printf '{ "name": "changed" }\\n' > package.json`);
  await expect.poll(() => shownText(page)).toContain('"name": "changed"');

  await shell(page, 'rm package.json');
  await expect(item(page, 'package.json')).toHaveCount(0);
  await expect(editor(page).getByRole('alert')).toContainText('package.json was deleted.');
  await editor(page).getByRole('button', { name: 'Save to restore it' }).click();
  await expect(item(page, 'package.json')).toBeVisible();
  await expect.poll(() => readSandbox(page, 'package.json')).toContain('"name": "changed"');
});

test('a dirty tab changed on disk offers Reload and Keep mine', async ({ page }) => {
  await openFile(page, 'README.md');
  await editor(page).locator('.view-lines').click();
  await page.keyboard.type('mine ');
  await shell(page, 'echo "theirs" > README.md');
  const notice = editor(page).getByRole('alert');
  await expect(notice).toContainText('README.md changed on disk.');
  await expect.poll(() => shownText(page)).toContain('mine ');

  await notice.getByRole('button', { name: 'Keep mine' }).click();
  await expect(notice).toHaveCount(0);
  await shell(page, 'echo "theirs again" > README.md');
  await editor(page).getByRole('button', { name: 'Reload' }).click();
  await expect.poll(() => shownText(page)).toBe('theirs again\n');
  await expect(editor(page).getByRole('tab', { name: 'README.md' })).not.toContainText('(unsaved)');
});

test('closing a dirty tab asks first', async ({ page }) => {
  await openFile(page, 'README.md');
  await editor(page).locator('.view-lines').click();
  await page.keyboard.type('draft ');
  await editor(page).getByRole('button', { name: 'Close README.md' }).click();
  const ask = editor(page).getByRole('alertdialog', { name: 'Unsaved changes' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor(page).getByRole('tab', { name: 'README.md' })).toBeVisible();
  await editor(page).getByRole('button', { name: 'Close README.md' }).click();
  await ask.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(editor(page).getByRole('tab')).toHaveCount(0);
  expect(await readSandbox(page, 'README.md')).toContain('draft ');
});

test('a binary file opens as "binary file, N bytes"', async ({ page }) => {
  await item(page, 'assets').click();
  await item(page, 'logo.png').click();
  await expect(editor(page)).toContainText('Binary file, 12 bytes');
});

test('the tree works from the keyboard', async ({ page }) => {
  await item(page, 'assets').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(item(page, 'src')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'src')).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'main.ts')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(editor(page).getByRole('tab', { name: 'main.ts' })).toHaveAttribute('aria-selected', 'true');
  await expect(item(page, 'main.ts')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(item(page, 'src')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(item(page, 'src')).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('End');
  await expect(item(page, 'README.md')).toBeFocused();
});

test('New file creates and opens a file', async ({ page }) => {
  await page.getByRole('button', { name: 'New file' }).click();
  const input = page.getByRole('textbox', { name: 'New file name' });
  await input.fill('notes/todo.md');
  await input.press('Enter');
  await expect(item(page, 'todo.md')).toBeVisible();
  await expect(editor(page).getByRole('tab', { name: 'todo.md' })).toBeVisible();
  expect(await readSandbox(page, 'notes/todo.md')).toBe('');
});

test('Upload files writes them into the focused folder', async ({ page }) => {
  await item(page, 'src').click();
  await page.getByTestId('upload-input').setInputFiles([
    { name: 'uploaded.txt', mimeType: 'text/plain', buffer: Buffer.from('from the user\n') },
    { name: 'blob.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 250]) },
  ]);
  await expect(item(page, 'uploaded.txt')).toBeVisible();
  expect(await readSandbox(page, 'src/uploaded.txt')).toBe('from the user\n');
  const bytes = await page.evaluate(async () => [...(await window.__sandbox!.fs.readFileBytes('src/blob.bin'))]);
  expect(bytes).toEqual([0, 1, 2, 250]);
});

test('dropping files from the OS uploads them, with a drop highlight', async ({ page }) => {
  const files = page.getByRole('region', { name: 'Files' });
  const transfer = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['dropped\n'], 'dropped.txt', { type: 'text/plain' }));
    return data;
  });
  await item(page, 'assets').dispatchEvent('dragenter', { dataTransfer: transfer });
  await item(page, 'assets').dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(files).toHaveClass(/dropping/);
  await expect(files).toContainText('Drop to upload into /assets');
  await page.screenshot({ path: 'tests/artifacts/files-editor-drop.png' });
  await item(page, 'assets').dispatchEvent('drop', { dataTransfer: transfer });
  await expect(files).not.toHaveClass(/dropping/);
  await expect.poll(() => readSandbox(page, 'assets/dropped.txt').catch(() => '')).toBe('dropped\n');
  await expect(item(page, 'dropped.txt')).toBeVisible();
});

test('Download workspace as zip gives workspace.zip with text and binary files', async ({ page }) => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download workspace as zip' }).click()]);
  expect(download.suggestedFilename()).toBe('workspace.zip');
  const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(entries).sort()).toEqual([XSS_NAME, 'README.md', 'assets/logo.png', 'package.json', 'src/main.ts', 'src/styles.css'].sort());
  expect(new TextDecoder().decode(entries['README.md'])).toContain('# Files harness');
  expect([...(entries['assets/logo.png'] ?? [])]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
});

test('a thousand new files show up in the tree quickly', async ({ page }) => {
  const started = await page.evaluate(async () => {
    const start = performance.now();
    for (let i = 0; i < 1000; i++) await window.__sandbox!.fs.writeFile(`many/file-${i}.txt`, String(i));
    return start;
  });
  await expect(item(page, 'many')).toHaveAttribute('aria-expanded', 'true');
  await expect(tree(page).getByRole('treeitem')).toHaveCount(1007);
  const elapsed = await page.evaluate((start) => performance.now() - start, started);
  console.log(`1000 files written and shown in ${Math.round(elapsed)} ms`);
  expect(elapsed).toBeLessThan(3000);
  await expect(item(page, 'file-999.txt')).toBeAttached();
});

test('the editor follows the system colour scheme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openFile(page, 'README.md');
  await expect(editor(page).locator('.monaco-editor')).toHaveClass(/vs-dark/);
  await page.screenshot({ path: 'tests/artifacts/files-editor-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(editor(page).locator('.monaco-editor')).not.toHaveClass(/vs-dark/);
});

test('DiffView shows a read-only diff and follows new texts', async ({ page }) => {
  await page.goto(`${PAGE}?diff=1`);
  const diff = page.getByRole('region', { name: 'Changes to src/diff-demo.ts' });
  await expect(diff.locator('.monaco-diff-editor')).toBeVisible();
  await expect(diff.locator('.modified-in-monaco-diff-editor .view-lines')).toContainText('const c = 4;');
  await expect(diff.locator('.original-in-monaco-diff-editor .view-lines')).toContainText('const b = 2;');
  await page.evaluate(() => window.__diff!.set('let x = 1;\n', 'let x = 2;\n'));
  await expect(diff.locator('.modified-in-monaco-diff-editor .view-lines')).toContainText('let x = 2;');
});

test('screenshot: tree and editor with a file the agent just wrote', async ({ page }) => {
  await item(page, 'src').click();
  await openFile(page, 'main.ts');
  await expect.poll(() => shownText(page)).toContain('export function greet');
  await shell(page, 'echo "export const answer = 42;" > src/answer.ts');
  await expect(item(page, 'answer.ts')).toBeVisible();
  await page.screenshot({ path: 'tests/artifacts/files-editor.png' });
});
