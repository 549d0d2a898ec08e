/**
 * Reloads at random moments while the agent runs multi-round turns and files are written from
 * the terminal, on the built app in Chromium. After each reload: every file write that finished
 * at least 300 ms before it is in the workspace, and the stored log lost and repeated nothing.
 */
import { expect, test, type Page } from '@playwright/test';

const APP = '/?sandbox=embedded';
const RELOADS = 22;
const SAVED_WITHIN_MS = 300;

/** A small seeded generator, so a failing run can be repeated (the seed is printed). */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

interface StoredLog {
  records: string[];
  users: string[];
  calls: string[];
  outputs: string[];
}

/** The open session's log as IndexedDB holds it. */
function storedLog(page: Page): Promise<StoredLog> {
  return page.evaluate(async () => {
    const id = localStorage.getItem('unroll.lastSession');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('unroll');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const values = await new Promise<unknown[]>((resolve, reject) => {
      const request = db
        .transaction('items')
        .objectStore('items')
        .getAll(IDBKeyRange.bound([id, 0], [id, Infinity]));
      request.onsuccess = () => resolve(request.result as unknown[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    const log: StoredLog = { records: [], users: [], calls: [], outputs: [] };
    for (const value of values as Record<string, unknown>[]) {
      log.records.push(JSON.stringify(value));
      if (value.type === 'message' && value.role === 'user') log.users.push(JSON.stringify(value.content));
      if (value.type === 'function_call' || value.type === 'custom_tool_call') log.calls.push(String(value.call_id));
      if (value.type === 'function_call_output' || value.type === 'custom_tool_call_output') log.outputs.push(String(value.call_id));
    }
    return log;
  });
}

async function terminalWrite(page: Page, name: string): Promise<number> {
  const terminal = page.getByRole('region', { name: 'Terminal' });
  const rows = terminal.locator('.xterm-rows');
  const before = (await rows.textContent())?.split('user@unroll:').length ?? 0;
  await terminal.locator('.xterm-screen').click();
  await page.keyboard.type(`echo ${name} > ${name}`);
  await page.keyboard.press('Enter');
  // The next prompt means the command (and its write) has finished.
  await expect.poll(async () => (await rows.textContent())?.split('user@unroll:').length ?? 0).toBeGreaterThan(before);
  return Date.now();
}

test('reloads at random moments lose no saved file and no finished item', async ({ page }) => {
  test.setTimeout(600_000);
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
  const next = random(seed);
  const written: { name: string; at: number }[] = [];
  let checkedFiles = 0;
  let checkedRecords = 0;
  let turnsCut = 0;
  await page.goto(APP);
  await expect(page.getByRole('region', { name: 'Terminal' }).locator('.xterm-rows')).toContainText('user@unroll:', { timeout: 30_000 });

  for (let run = 0; run < RELOADS; run++) {
    const box = page.getByRole('textbox', { name: 'Message' });
    await expect(box).toBeEditable({ timeout: 30_000 });
    await box.fill(`Give me the hello demo (run ${run})`);
    await box.press('Enter');
    const writes = Math.floor(next() * 3);
    for (let k = 0; k < writes; k++) {
      const name = `crash-${run}-${k}.txt`;
      written.push({ name, at: await terminalWrite(page, name) });
    }
    await page.waitForTimeout(Math.floor(next() * 6000));
    if (await page.getByRole('button', { name: 'Stop' }).isVisible()) turnsCut += 1;
    const before = await storedLog(page);
    const reloadAt = Date.now();
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeEditable({ timeout: 30_000 });

    const tree = page.getByRole('tree', { name: 'Workspace files' });
    for (const file of written.filter((w) => w.at <= reloadAt - SAVED_WITHIN_MS)) {
      await expect(tree.getByRole('treeitem', { name: file.name, exact: true }), `${file.name} (seed ${seed})`).toBeVisible();
      checkedFiles += 1;
    }
    const after = await storedLog(page);
    // Nothing stored before the reload is gone or changed; nothing is there twice.
    expect(after.records.slice(0, before.records.length), `seed ${seed}`).toEqual(before.records);
    expect(new Set(after.calls).size, `seed ${seed}`).toBe(after.calls.length);
    expect(new Set(after.outputs).size, `seed ${seed}`).toBe(after.outputs.length);
    for (let r = 0; r <= run; r++)
      expect(
        after.users.filter((u) => u.includes(`(run ${r})`)),
        `run ${r}, seed ${seed}`,
      ).toHaveLength(1);
    checkedRecords += before.records.length;
  }
  console.log(
    `crash test (seed ${seed}): ${RELOADS} reloads, ${turnsCut} of them mid-turn; ${written.length} terminal writes, ` +
      `${checkedFiles} file checks (written ≥ ${SAVED_WITHIN_MS} ms before a reload), ${checkedRecords} stored records checked after reloads`,
  );
});
