/** The workbench's file tree and Monaco editor, as a browser test finds them on the app or a harness page. */
import type { Locator, Page } from '@playwright/test';

export const fileTree = (page: Page): Locator => page.getByRole('tree', { name: 'Workspace files' });
export const treeItem = (page: Page, name: string): Locator => fileTree(page).getByRole('treeitem', { name, exact: true });
export const editor = (page: Page): Locator => page.getByRole('region', { name: 'Editor' });

/** The text Monaco shows (its rendered lines, which hold the whole of a short file). */
export async function shownText(page: Page): Promise<string> {
  const lines = editor(page).locator('.view-lines .view-line');
  const texts = await lines.evaluateAll((nodes) =>
    nodes
      .map((node) => ({ top: parseFloat((node as HTMLElement).style.top), text: (node.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  return texts.join('\n');
}
