/**
 * A file opened from the tree is shown: the Editor tab comes forward from Preview or the
 * Inspector, and on a narrow window the Files pane gives way to the Editor.
 */
import { expect, test, type Page } from '@playwright/test';

const APP = '/?sandbox=embedded';

const tree = (page: Page) => page.getByRole('tree', { name: 'Workspace files' });
const editor = (page: Page) => page.getByRole('tabpanel', { name: 'Editor' });

async function newFile(page: Page, name: string) {
  await page.getByRole('button', { name: 'New file' }).click();
  const input = page.getByRole('textbox', { name: 'New file name' });
  await input.fill(name);
  await input.press('Enter');
  await expect(editor(page).getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

test('clicking a file while Preview or the Inspector is shown switches to the Editor', async ({ page }) => {
  await page.goto(APP);
  const tabs = page.getByRole('tablist', { name: 'Editor and preview' });
  await tabs.getByRole('tab', { name: 'Inspector' }).click();
  await expect(editor(page)).toBeHidden();

  // Creating a file opens it, in view.
  await newFile(page, 'notes.md');
  await expect(tabs.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
  await newFile(page, 'todo.md');

  for (const other of ['Inspector', 'Preview']) {
    await tabs.getByRole('tab', { name: other }).click();
    await expect(editor(page)).toBeHidden();
    await tree(page).getByRole('treeitem', { name: 'notes.md', exact: true }).click();
    await expect(tabs.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
    await expect(editor(page).getByRole('tab', { name: 'notes.md' })).toHaveAttribute('aria-selected', 'true');
    await expect(editor(page).locator('.monaco-editor')).toBeVisible();
  }

  // From the keyboard too.
  await tabs.getByRole('tab', { name: 'Preview' }).click();
  await tree(page).getByRole('treeitem', { name: 'todo.md', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(tabs.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
  await expect(editor(page).getByRole('tab', { name: 'todo.md' })).toHaveAttribute('aria-selected', 'true');
});

test('on a narrow window, Files → a file shows the Editor pane', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(APP);
  const panes = page.getByRole('tablist', { name: 'Panes' });
  await panes.getByRole('tab', { name: 'Files' }).click();
  await newFile(page, 'notes.md');
  await expect(panes.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');

  await panes.getByRole('tab', { name: 'Files' }).click();
  await expect(editor(page)).toBeHidden();
  await tree(page).getByRole('treeitem', { name: 'notes.md', exact: true }).click();
  await expect(panes.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
  await expect(tree(page)).toBeHidden();
  await expect(editor(page).locator('.monaco-editor')).toBeVisible();
});
