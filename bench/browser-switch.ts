/**
 * The move to WebContainer at the first turn boundary after it is ready (bench/pages/switch-page.ts):
 * a fake WebContainer that boots in 5 s while demo turns run back to back. Reports when it was
 * ready, the turn running then, when the session moved, and whether that was the first
 * boundary after it (the next turn ran on WebContainer, none on embedded after the ready).
 */
import { chromium } from 'playwright-core';
import { launchOptions, serveApp, skipReason } from './browser-app';
import { buildWithBenchPages, STORE_OUT_DIR } from './browser-store';
import type { SwitchRun } from './pages/switch-page';

export interface SwitchReport {
  bootMs: number;
  runs: (SwitchRun & { atFirstBoundary: boolean; waitedMs: number })[];
}

const PAGE = '/bench/pages/switch.html';

export async function switchBench(runs = 3, bootMs = 5_000, reuseBuild = false): Promise<SwitchReport | null> {
  const skip = skipReason();
  if (skip) {
    console.log(`sandbox move bench skipped: ${skip}`);
    return null;
  }
  if (!reuseBuild) await buildWithBenchPages();
  const app = await serveApp(STORE_OUT_DIR);
  const browser = await chromium.launch(launchOptions());
  try {
    const results: SwitchReport['runs'] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(app.url + PAGE);
      await page.waitForFunction(() => typeof window.switchBench?.run === 'function');
      const run = await page.evaluate(([boot, max]) => window.switchBench.run(boot!, max!), [bootMs, 60_000]);
      await context.close();
      // The turn that was running when WebContainer became ready, and the first after it.
      const during = run.turns.find((t) => t.startMs <= run.readyMs && t.endMs >= run.readyMs);
      const after = run.turns.filter((t) => t.startMs > run.readyMs);
      const atFirstBoundary = during !== undefined && during.on === 'embedded' && after.length >= 1 && after.every((t) => t.on === 'webcontainer');
      results.push({ ...run, atFirstBoundary, waitedMs: run.movedMs - run.readyMs });
    }
    return { bootMs, runs: results };
  } finally {
    await browser.close();
    await app.close();
  }
}

export function printSwitch(report: SwitchReport): void {
  console.log(`\nThe move to a WebContainer that boots in ${report.bootMs / 1000} s, demo turns running back to back (Chromium)`);
  for (const run of report.runs) {
    const during = run.turns.find((t) => t.startMs <= run.readyMs && t.endMs >= run.readyMs);
    console.log(
      `  ready at ${run.readyMs.toFixed(0)} ms during turn ${during ? `${during.startMs.toFixed(0)}–${during.endMs.toFixed(0)} ms` : '(none)'}; ` +
        `moved at ${run.movedMs.toFixed(0)} ms (${run.waitedMs.toFixed(0)} ms later); ${run.turns.length} turns; ` +
        `${run.atFirstBoundary ? 'at the first turn boundary after it' : 'NOT at the first boundary'}`,
    );
  }
}
