/**
 * Cold start of the production build: a fresh browser context per run (empty cache), times
 * taken in the page from navigation start.
 */
import type { Browser } from 'playwright-core';
import { KEEP_NAMES_SHIM, sizeOf, type ServedApp } from './browser-app';
import { median } from './stats';

export interface ColdStartRun {
  /** First contentful paint. */
  fcpMs: number;
  /** The composer's "Message" textbox is on screen and enabled. */
  composerVisibleMs: number;
  /** …and a message can be sent: the Send button is enabled (it may wait for the sandbox, queued). */
  usableMs: number;
  /** A sandbox is running and the session is open on it (the status names the sandbox). */
  sandboxReadyMs: number;
  /** JavaScript files fetched by the time the composer was usable (page and workers). */
  jsFiles: string[];
}

export interface ColdStartReport {
  path: string;
  runs: ColdStartRun[];
  fcp: Summary;
  composerVisible: Summary;
  usable: Summary;
  sandboxReady: Summary;
  /** The JS fetched before the composer was usable, in the median run. */
  jsToUsable: { files: number; raw: number; gzip: number; list: string[] };
}

export interface Summary {
  median: number;
  p90: number;
  min: number;
  max: number;
}

interface Ready {
  timeOrigin: number;
  fcp: number | null;
  visible: number | null;
  usable: number | null;
  sandbox: number | null;
}

declare global {
  interface Window {
    __benchStart?: Ready;
  }
}

/**
 * Installed before any page script: watches paints and the composer from navigation start.
 * What it checks is what a person checks: the box is there, enabled, and Send works. When the
 * draft is empty it types one word, as a person would, so Send can enable.
 */
function watchStart(): void {
  const ready: Ready = { timeOrigin: performance.timeOrigin, fcp: null, visible: null, usable: null, sandbox: null };
  window.__benchStart = ready;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') ready.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
  let typed = false;
  const check = () => {
    const status = document.querySelector('[aria-label="Sandbox"]')?.textContent ?? '';
    if (ready.sandbox === null && /^Sandbox: (embedded|WebContainer)/.test(status)) ready.sandbox = performance.now();
    const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]');
    if (!box || box.disabled || box.getClientRects().length === 0) return;
    ready.visible ??= performance.now();
    if (!box.value.trim() && !typed) {
      typed = true;
      box.value = 'hello';
      box.dispatchEvent(new Event('input', { bubbles: true }));
    }
    const send = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Send');
    if (send && !send.disabled && send.getClientRects().length > 0) ready.usable ??= performance.now();
    if (ready.usable !== null && ready.sandbox !== null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  const begin = () => {
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
    check();
  };
  if (document.documentElement) begin();
  else document.addEventListener('DOMContentLoaded', begin, { once: true });
}

/**
 * `warmup` runs are made first and dropped: the first context of a freshly launched browser
 * pays for starting the browser's own services, which a person's running browser has done.
 */
export async function coldStart(
  browser: Browser,
  app: ServedApp,
  path: string,
  runs: number,
  warmup = 0,
  timeoutMs = 20_000,
  /** Runs in the page before the app, e.g. to set up what this browser remembers; named in the report. */
  prepare?: { label: string; script: () => void },
): Promise<ColdStartReport> {
  for (let i = 0; i < warmup; i++) await oneColdStart(browser, app.url, path, timeoutMs, prepare?.script);
  const results: ColdStartRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await oneColdStart(browser, app.url, path, timeoutMs, prepare?.script));
  const pick = (f: (r: ColdStartRun) => number) => summary(results.map(f));
  const middle = [...results].sort((a, b) => a.usableMs - b.usableMs)[results.length >> 1]!;
  const sizes = middle.jsFiles.map((file) => sizeOf(app.outDir, file, false));
  return {
    path: prepare ? `${path} (${prepare.label})` : path,
    runs: results,
    fcp: pick((r) => r.fcpMs),
    composerVisible: pick((r) => r.composerVisibleMs),
    usable: pick((r) => r.usableMs),
    sandboxReady: pick((r) => r.sandboxReadyMs),
    jsToUsable: {
      files: sizes.length,
      raw: sizes.reduce((t, s) => t + s.raw, 0),
      gzip: sizes.reduce((t, s) => t + s.gzip, 0),
      list: middle.jsFiles,
    },
  };
}

async function oneColdStart(browser: Browser, baseUrl: string, path: string, timeoutMs: number, prepare?: () => void): Promise<ColdStartRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(KEEP_NAMES_SHIM);
    if (prepare) await context.addInitScript(prepare);
    await context.addInitScript(watchStart);
    const fetched: { file: string; at: number }[] = [];
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === baseUrl && url.pathname.endsWith('.js')) fetched.push({ file: url.pathname.slice(1), at: Date.now() });
    });
    const page = await context.newPage();
    await page.goto(baseUrl + path, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__benchStart?.usable != null && window.__benchStart?.sandbox != null, undefined, {
      timeout: timeoutMs,
      polling: 50,
    });
    const ready = await page.evaluate(() => ({ ...window.__benchStart! }));
    const usableAt = ready.timeOrigin + (ready.usable ?? 0);
    return {
      fcpMs: ready.fcp ?? Number.NaN,
      composerVisibleMs: ready.visible ?? Number.NaN,
      usableMs: ready.usable ?? Number.NaN,
      sandboxReadyMs: ready.sandbox ?? Number.NaN,
      // Requests are stamped in this process; a few ms of slack covers the hop from the page.
      jsFiles: [...new Set(fetched.filter((f) => f.at <= usableAt + 5).map((f) => f.file))],
    };
  } finally {
    await context.close();
  }
}

/** This browser remembers that WebContainer failed to start an hour ago (see the app's WebContainerMemory). */
export const REMEMBERED_UNREACHABLE = {
  label: 'WebContainer failed here before',
  script: () =>
    localStorage.setItem('unroll.webcontainerUnreachable', JSON.stringify({ at: Date.now() - 3_600_000, reason: 'StackBlitz unreachable' })),
};

export function summary(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const p90 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]!;
  return { median: median(sorted), p90, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
