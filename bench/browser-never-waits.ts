/**
 * A start that never waits, in the production build at the default URL where StackBlitz cannot
 * be reached (this machine), each run in a fresh browser context with nothing remembered:
 * - the first demo answer: from navigation until the answer's first text shows, the demo
 *   prompt sent as soon as Send is enabled;
 * - the last session: after that turn (and its file), the page is opened again and timed until
 *   its transcript and its file are on screen (the failed boot forgotten first, so the app
 *   boots WebContainer beside again, as on a first visit);
 * - a share link of that session, opened in another fresh context, until it is shown.
 * Times are the page's own (`performance.now()`, from navigation start), read when the
 * condition first holds (checked on every DOM change).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { KEEP_NAMES_SHIM, type ServedApp } from './browser-app';
import { summary, type Summary } from './browser-start';

export interface NeverWaitsRun {
  firstAnswerMs: number;
  lastSessionMs: number;
  shareLinkMs: number;
  /** The sandbox the status named when the last session showed. */
  sandboxThen: string;
}

export interface NeverWaitsReport {
  runs: NeverWaitsRun[];
  firstAnswer: Summary;
  lastSession: Summary;
  shareLink: Summary;
}

declare global {
  interface Window {
    __benchMarks?: Record<string, number>;
  }
}

const DEMO_PROMPT = 'Give me the hello demo';

/**
 * Installed before any page script: records when each condition first holds. With `send`, the
 * first visit of the context types the prompt and clicks Send as soon as it is enabled, as a
 * person would.
 */
function watchMarks(send: string | null): void {
  const marks: Record<string, number> = {};
  window.__benchMarks = marks;
  // Only the first visit of a context types: a later one only watches.
  let sent = localStorage.getItem('bench.sent') === '1';
  const check = () => {
    const now = performance.now();
    const assistant = [...document.querySelectorAll('.assistant')].some((el) => (el.textContent ?? '').trim().length > 0);
    if (assistant) marks.assistant ??= now;
    if ([...document.querySelectorAll('[role="treeitem"]')].some((el) => /hello\.js/.test(el.textContent ?? ''))) marks.file ??= now;
    if (document.querySelector('[aria-label="Shared session"]')) marks.shared ??= now;
    if (!send || sent) return;
    const box = document.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]');
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Send');
    if (!box || box.disabled || !button || button.disabled) return;
    sent = true;
    localStorage.setItem('bench.sent', '1');
    marks.sent = now;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
    setter?.call(box, send);
    box.dispatchEvent(new Event('input', { bubbles: true }));
    queueMicrotask(() => button.click());
  };
  const observer = new MutationObserver(check);
  const begin = () => {
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
    check();
  };
  if (document.documentElement) begin();
  else document.addEventListener('DOMContentLoaded', begin, { once: true });
}

async function marksWhen(page: Page, names: string[], timeoutMs: number): Promise<Record<string, number>> {
  await page.waitForFunction((wanted) => wanted.every((name) => window.__benchMarks?.[name] !== undefined), names, {
    timeout: timeoutMs,
    polling: 50,
  });
  return page.evaluate(() => ({ ...window.__benchMarks! }));
}

async function freshContext(browser: Browser, send: string | null): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(KEEP_NAMES_SHIM);
  await context.addInitScript(watchMarks, send);
  return context;
}

async function oneRun(browser: Browser, app: ServedApp): Promise<NeverWaitsRun> {
  const context = await freshContext(browser, DEMO_PROMPT);
  let shareUrl: string;
  let firstAnswerMs: number;
  try {
    const page = await context.newPage();
    await page.goto(`${app.url}/`, { waitUntil: 'commit' });
    firstAnswerMs = (await marksWhen(page, ['assistant'], 30_000)).assistant!;
    // The demo turn ends with its file written and Send enabled again.
    await page.locator('.assistant', { hasText: 'What just happened' }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('treeitem', { name: /hello\.js/ }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Sessions' }).click();
    await page.getByRole('button', { name: `Share ${DEMO_PROMPT}` }).click();
    shareUrl = await page.getByRole('textbox', { name: 'Share URL' }).inputValue();
    await page.keyboard.press('Escape');
    // Saved before leaving (the app flushes on pagehide as well).
    await page.waitForTimeout(500);

    // The same browser opens the app again; the failed boot is forgotten, as on a first visit.
    await page.evaluate(() => localStorage.removeItem('unroll.webcontainerUnreachable'));
    await context.clearCookies();
    const again = await context.newPage();
    await page.close();
    await again.goto(`${app.url}/`, { waitUntil: 'commit' });
    const marks = await marksWhen(again, ['assistant', 'file'], 30_000);
    const lastSessionMs = Math.max(marks.assistant!, marks.file!);
    const sandboxThen = (await again.locator('[aria-label="Sandbox"]').textContent()) ?? '';
    await again.close();

    const viewer = await freshContext(browser, null);
    try {
      const view = await viewer.newPage();
      await view.goto(shareUrl.replace(/^https?:\/\/[^/]+\//, `${app.url}/`), { waitUntil: 'commit' });
      const shared = await marksWhen(view, ['shared', 'assistant'], 30_000);
      return { firstAnswerMs, lastSessionMs, shareLinkMs: Math.max(shared.shared!, shared.assistant!), sandboxThen };
    } finally {
      await viewer.close();
    }
  } finally {
    await context.close();
  }
}

export async function neverWaitsBench(browser: Browser, app: ServedApp, runs: number): Promise<NeverWaitsReport> {
  const results: NeverWaitsRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await oneRun(browser, app));
  return {
    runs: results,
    firstAnswer: summary(results.map((r) => r.firstAnswerMs)),
    lastSession: summary(results.map((r) => r.lastSessionMs)),
    shareLink: summary(results.map((r) => r.shareLinkMs)),
  };
}
