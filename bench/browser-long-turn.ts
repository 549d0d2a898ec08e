/**
 * One turn of many rounds in the real app (each round an `echo` the embedded sandbox runs):
 * how many DOM nodes and transcript entries the page holds at the end, and the JS heap after a
 * forced garbage collection — the live transcript's window should keep both bounded.
 */
import type { Browser } from 'playwright-core';
import { reply } from '../src/model/scripted/index';
import { startScriptedServer } from '../src/model/scripted/server';
import { KEEP_NAMES_SHIM, type ServedApp } from './browser-app';
import { connect, STREAM_KEY } from './browser-stream';

export interface LongTurnReport {
  rounds: number;
  /** Enter pressed → the final answer on screen. */
  turnMs: number;
  domNodes: number;
  transcriptEntries: number;
  heapUsedMb: number;
}

export async function longTurnBench(browser: Browser, app: ServedApp, rounds = 600): Promise<LongTurnReport> {
  const server = await startScriptedServer({
    requireKey: STREAM_KEY,
    script: (ctx) => (ctx.requestNumber < rounds ? [reply.exec(`echo round ${ctx.requestNumber}`)] : [reply.text('All rounds done.')]),
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(KEEP_NAMES_SHIM);
    const page = await context.newPage();
    await connect(page, app.url, server);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('run the rounds');
    const started = performance.now();
    await box.press('Enter');
    await page.getByText('All rounds done.').waitFor({ timeout: 600_000 });
    const turnMs = performance.now() - started;
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    const transcriptEntries = await page.locator('section.transcript > .entry').count();
    return { rounds, turnMs, domNodes: metric('Nodes'), transcriptEntries, heapUsedMb: metric('JSHeapUsedSize') / 2 ** 20 };
  } finally {
    await context.close();
    await server.close();
  }
}
