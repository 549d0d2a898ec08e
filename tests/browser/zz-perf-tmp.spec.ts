import { expect, test } from '@playwright/test';
test('perf', async ({ page }) => {
  await page.goto('/tests/browser/pages/workbench-files.html');
  await expect(page.getByRole('treeitem', { name: 'README.md' })).toBeVisible();
  const r = await page.evaluate(async () => {
    const s = window.__sandbox!;
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) await s.fs.writeFile(`many/file-${i}.txt`, String(i));
    const t1 = performance.now();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
    const t2 = performance.now();
    return { loop: t1 - t0, after: t2 - t1, rows: document.querySelectorAll('[role=treeitem]').length };
  });
  console.log(JSON.stringify(r));
  await page.goto('/tests/browser/pages/workbench-files.html');
  await expect(page.getByRole('treeitem', { name: 'README.md' })).toBeVisible();
  const r2 = await page.evaluate(async () => {
    const s = window.__sandbox!;
    window.__workspace!.dispose();
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) await s.fs.writeFile(`many/file-${i}.txt`, String(i));
    return { bareLoop: performance.now() - t0 };
  });
  console.log(JSON.stringify(r2));
});
