/**
 * The sandbox contract in Chromium, once per backend, through tests/browser/pages/contract.html.
 *
 * Embedded must pass everywhere. WebContainer needs StackBlitz: where it cannot boot, the
 * test is skipped and the run prints one line saying why. A probe from Node decides the
 * page's boot timeout only — when StackBlitz is plainly unreachable the page gets a short
 * one, but the page itself still has to notice and report the skip.
 */
import { expect, test, type Page } from '@playwright/test';
import type { ContractPageState } from './pages/contract-page';

const PAGE = '/tests/browser/pages/contract.html';
const REACHABLE_BOOT_TIMEOUT_MS = 30_000;
const UNREACHABLE_BOOT_TIMEOUT_MS = 3_000;

/** Whether stackblitz.com answers at all from here; the reason when it does not. */
async function probeStackBlitz(): Promise<{ reachable: boolean; detail: string }> {
  try {
    const response = await fetch('https://stackblitz.com/headless', { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return { reachable: true, detail: `HTTP ${response.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    return { reachable: false, detail };
  }
}

async function finished(page: Page, timeoutMs: number): Promise<ContractPageState> {
  await page.waitForFunction(() => ['done', 'skipped', 'error'].includes(window.__contract?.status ?? ''), null, {
    timeout: timeoutMs,
  });
  const state = await page.evaluate(() => window.__contract);
  if (!state) throw new Error('the contract page published nothing');
  return state;
}

function printTable(backend: string, state: ContractPageState): void {
  const width = Math.max(...state.results.map((r) => r.name.length), 4);
  const lines = state.results.map((r) => {
    const mark = r.status === 'passed' ? 'ok  ' : r.status === 'failed' ? 'FAIL' : 'skip';
    return `  ${mark} ${r.name.padEnd(width)} ${String(r.ms).padStart(6)} ms${r.error ? `  ${r.error}` : ''}`;
  });
  const passed = state.results.filter((r) => r.status === 'passed').length;
  console.log(`[contract] ${backend}: ${passed}/${state.results.length} passed\n${lines.join('\n')}`);
}

for (const backend of ['embedded', 'webcontainer'] as const) {
  test(`sandbox contract in Chromium: ${backend}`, async ({ page }) => {
    test.setTimeout(backend === 'webcontainer' ? 600_000 : 180_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    let query = `backend=${backend}`;
    let probe: { reachable: boolean; detail: string } | undefined;
    if (backend === 'webcontainer') {
      probe = await probeStackBlitz();
      query += `&bootTimeoutMs=${probe.reachable ? REACHABLE_BOOT_TIMEOUT_MS : UNREACHABLE_BOOT_TIMEOUT_MS}`;
    }
    await page.goto(`${PAGE}?${query}`);
    expect(await page.evaluate(() => crossOriginIsolated), 'the harness page is cross-origin isolated').toBe(true);
    const state = await finished(page, backend === 'webcontainer' ? 540_000 : 170_000);

    if (state.status === 'skipped' && backend === 'webcontainer') {
      const reason =
        probe && !probe.reachable
          ? `${state.reason} [stackblitz.com unreachable from the test machine: ${probe.detail}]`
          : (state.reason ?? 'no reason given');
      console.log(`[contract] webcontainer: skipped — ${reason}`);
      expect(pageErrors, 'page errors while finding out').toEqual([]);
      test.skip(true, reason);
      return;
    }
    expect(state.status, state.reason).toBe('done');
    printTable(backend, state);
    expect(state.results.length, 'cases run').toBeGreaterThan(0);
    expect(state.results.filter((r) => r.status === 'failed').map((r) => `${r.name}: ${r.error}`)).toEqual([]);
    if (backend === 'webcontainer') {
      // Every capability is present, so nothing may be skipped either.
      expect(state.results.filter((r) => r.status === 'skipped').map((r) => r.name)).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  });
}
