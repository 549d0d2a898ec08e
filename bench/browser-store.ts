/**
 * Sessions in Chromium's IndexedDB: one append at item 20 vs item 2 000, reopening a
 * 2 000-item session and a 200-turn one (with its workspace history) in the app until the last
 * message is on screen, saving the workspace after a one-line edit in a 1 000-file / 10 MB
 * workspace, and the share-link size of a typical session. Part of `npm run bench`; alone:
 * `npx tsx bench/browser-store.ts`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { KEEP_NAMES_SHIM, launchOptions, serveApp, skipReason, type ServedApp } from './browser-app';
import { machine, median, table, writeResult } from './stats';

export const STORE_TARGETS = { appendRatio: 1.5, reopenMs: 500, saveBytes: 64 * 1024, saveMs: 20 };

/** The build with the bench pages (bench/pages/*.html), shared by the store and move benches. */
export const STORE_OUT_DIR = join(tmpdir(), 'unroll-bench-store-dist');
const OUT_DIR = STORE_OUT_DIR;
const PAGE = '/bench/pages/store.html';
const MARKER = 'The last answer of the benchmark session.';

export interface StoreReport {
  machine: string;
  append: { at20Ms: number; at2000Ms: number; ratio: number; runs: number };
  reopen: { items: number; renderedMs: number; emptyStartMs: number; extraMs: number; runs: number };
  reopenTurns: { turns: number; renderedMs: number; extraMs: number; runs: number };
  save: {
    files: number;
    workspaceBytes: number;
    samples: number;
    medianMs: number;
    medianBytes: number;
    maxBytes: number;
    firstMs: number;
    firstBytes: number;
  };
  share: { items: number; files: number; linkBytes: number; jsonBytes: number };
}

export async function buildWithBenchPages(): Promise<void> {
  process.env.UNROLL_BENCH_PAGES = '1';
  delete process.env.UNROLL_TEST_PAGES;
  try {
    await build({ logLevel: 'error', build: { outDir: OUT_DIR, emptyOutDir: true } });
  } finally {
    delete process.env.UNROLL_BENCH_PAGES;
  }
}

async function appendRun(browser: Browser, app: ServedApp): Promise<[number, number]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(app.url + PAGE);
  // 101 appends from item 20 and from item 2 000, in turns.
  const run = await page.evaluate(() => window.storeBench.appends(20, 2000, 101));
  await context.close();
  return [median(run.small), median(run.large)];
}

/** ms from navigation start until `text` is on screen (or the composer is usable, for ''). */
async function timeToText(browser: Browser, app: ServedApp, seedItems: number, seedTurns = 0): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  if (seedItems) {
    await page.goto(app.url + PAGE);
    await page.evaluate(([n, marker]) => window.storeBench.seed(n as number, marker as string), [seedItems, MARKER]);
  } else if (seedTurns) {
    await page.goto(app.url + PAGE);
    await page.evaluate(([n, marker]) => window.storeBench.seedTurns(n as number, marker as string), [seedTurns, MARKER]);
  }
  await page.addInitScript(KEEP_NAMES_SHIM);
  await page.addInitScript(
    (marker: string) => {
      const w = window as unknown as { __shownAt?: number };
      const check = () => {
        if (w.__shownAt) return;
        const done = marker
          ? [...document.querySelectorAll('.assistant')].some((el) => el.textContent?.includes(marker))
          : Boolean(document.querySelector('textarea[aria-label="Message"]:not([readonly])'));
        if (done) w.__shownAt = performance.now();
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true });
    },
    seedItems || seedTurns ? MARKER : '',
  );
  await page.goto(`${app.url}/?sandbox=embedded`);
  await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt, undefined, { timeout: 30_000 });
  const ms = await page.evaluate(() => (window as unknown as { __shownAt: number }).__shownAt);
  await context.close();
  return ms;
}

export async function storeBench(runs = 3): Promise<StoreReport | null> {
  const skip = skipReason();
  if (skip) {
    console.log(`browser store bench skipped: ${skip}`);
    return null;
  }
  await buildWithBenchPages();
  const app = await serveApp(OUT_DIR);
  const browser = await chromium.launch(launchOptions());
  try {
    await timeToText(browser, app, 0); // warm the browser's own services
    const appends: [number, number][] = [];
    for (let i = 0; i < runs; i++) appends.push(await appendRun(browser, app));
    const at20 = median(appends.map((a) => a[0]));
    const at2000 = median(appends.map((a) => a[1]));
    const rendered: number[] = [];
    const turns: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < runs; i++) {
      rendered.push(await timeToText(browser, app, 2000));
      turns.push(await timeToText(browser, app, 0, 200));
      empty.push(await timeToText(browser, app, 0));
    }
    const saveContext = await browser.newContext();
    const savePage = await saveContext.newPage();
    await savePage.goto(app.url + PAGE);
    const saves = await savePage.evaluate(() => window.storeBench.workspaceSaves(1000, 10_240, 21));
    await saveContext.close();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.url + PAGE);
    const share = await page.evaluate(() => window.storeBench.shareBytes(50, 20));
    await context.close();
    return {
      machine: machine(),
      append: { at20Ms: at20, at2000Ms: at2000, ratio: at2000 / at20, runs },
      reopen: { items: 2000, renderedMs: median(rendered), emptyStartMs: median(empty), extraMs: median(rendered) - median(empty), runs },
      reopenTurns: { turns: 200, renderedMs: median(turns), extraMs: median(turns) - median(empty), runs },
      save: {
        files: 1000,
        workspaceBytes: 1000 * 10_240,
        samples: saves.ms.length,
        medianMs: median(saves.ms),
        medianBytes: median(saves.bytes),
        maxBytes: Math.max(...saves.bytes),
        firstMs: saves.firstMs,
        firstBytes: saves.firstBytes,
      },
      share: { items: 50, files: 20, linkBytes: share.bytes, jsonBytes: share.json },
    };
  } finally {
    await browser.close();
    await app.close();
  }
}

export function printStore(report: StoreReport): void {
  console.log('\nSessions in Chromium (IndexedDB)');
  console.log(
    table(
      ['measure', 'value', 'target'],
      [
        ['append at item 20 (median)', `${report.append.at20Ms.toFixed(3)} ms`, ''],
        ['append at item 2 000 (median)', `${report.append.at2000Ms.toFixed(3)} ms`, ''],
        ['ratio 2 000 / 20', report.append.ratio.toFixed(2), `≤ ${STORE_TARGETS.appendRatio}`],
        ['reopen 2 000 items: last message on screen', `${report.reopen.renderedMs.toFixed(0)} ms`, ''],
        ['same page with no session (composer usable)', `${report.reopen.emptyStartMs.toFixed(0)} ms`, ''],
        ['reopen cost (difference)', `${report.reopen.extraMs.toFixed(0)} ms`, `≤ ${STORE_TARGETS.reopenMs} ms`],
        ['reopen 200 turns + workspace history: last message on screen', `${report.reopenTurns.renderedMs.toFixed(0)} ms`, ''],
        ['reopen cost, 200 turns (difference)', `${report.reopenTurns.extraMs.toFixed(0)} ms`, `≤ ${STORE_TARGETS.reopenMs} ms`],
        ['first save of a 1 000-file / 10 MB workspace', `${report.save.firstMs.toFixed(0)} ms, ${(report.save.firstBytes / 1e6).toFixed(1)} MB`, ''],
        [`save after a one-line edit (median of ${report.save.samples})`, `${report.save.medianMs.toFixed(2)} ms`, `≤ ${STORE_TARGETS.saveMs} ms`],
        [
          'bytes written per one-line-edit save (median / max)',
          `${report.save.medianBytes} B / ${report.save.maxBytes} B`,
          `≤ ${STORE_TARGETS.saveBytes} B`,
        ],
        ['share link, 50 items + 20 files', `${report.share.linkBytes} B (JSON ${report.share.jsonBytes} B)`, ''],
      ],
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await storeBench();
  if (report) {
    printStore(report);
    const file = writeResult('browser-store', report);
    console.log(`\nwrote ${file}`);
  }
}
