/**
 * Streaming in the real app: the production build talks to the scripted model over HTTP, which
 * sends one long Markdown answer as fast as it can. The page records long tasks and long
 * animation frames; keys typed into the composer meanwhile measure how responsive it stays.
 */
import type { Browser, Page } from 'playwright-core';
import { startScriptedServer, type ScriptedServer } from '../src/model/scripted/server';
import { KEEP_NAMES_SHIM, type ServedApp } from './browser-app';
import { END_MARKER, LONG_PROMPT, LongAnswerModel, longAnswer } from './browser-reply';
import { median } from './stats';

export const STREAM_KEY = 'sk-bench-0123456789';
const KEY = STREAM_KEY;

export interface StreamRun {
  /** Enter pressed → the whole answer on screen and the turn over. */
  streamMs: number;
  /** Enter pressed → the first text of the answer on screen. */
  firstTextMs: number;
  longTasks: number;
  maxTaskMs: number;
  /** Sum over long tasks of their time beyond 50 ms. */
  blockingMs: number;
  /** Long animation frames (> 50 ms), where the browser reports them. */
  longFrames: number | null;
  maxFrameMs: number | null;
  /** Key typed into the composer → next animation frame, per probe. */
  inputToFrameMs: number[];
  /** The same keys seen from here: sending one until the page has handled it. */
  keyRoundTripMs: number[];
  /** Animation frames the page ran while streaming, and the longest gap between two. */
  frames: number;
  maxFrameGapMs: number;
  /** Characters of rendered answer text (a check that everything arrived). */
  renderedChars: number;
}

export interface StreamReport {
  deltas: number;
  answerChars: number;
  sseBytes: number;
  runs: StreamRun[];
  median: {
    streamMs: number;
    firstTextMs: number;
    longTasks: number;
    maxTaskMs: number;
    blockingMs: number;
    longFrames: number | null;
    maxFrameMs: number | null;
    inputToFrameMedianMs: number;
    inputToFrameMaxMs: number;
    probes: number;
    maxFrameGapMs: number;
  };
  /** Why fewer runs than asked were made, if so. */
  note?: string;
}

interface PageRecord {
  t0: number;
  firstText: number | null;
  end: number | null;
  tasks: { start: number; duration: number }[];
  frames: { start: number; duration: number; blocking: number }[];
  probes: { at: number; toFrame: number }[];
  /** rAF timestamps while probing. */
  ticks: number[];
  probing: boolean;
}

declare global {
  interface Window {
    __benchStream?: PageRecord;
  }
}

/** Installed before the app's scripts: long tasks, long frames and key probes from page start. */
function recordPage(): void {
  const record: PageRecord = { t0: 0, firstText: null, end: null, tasks: [], frames: [], probes: [], ticks: [], probing: false };
  window.__benchStream = record;
  const observe = (type: string, onEntry: (entry: PerformanceEntry) => void) => {
    if (!PerformanceObserver.supportedEntryTypes.includes(type)) return;
    new PerformanceObserver((list) => list.getEntries().forEach(onEntry)).observe({ type, buffered: true });
  };
  observe('longtask', (e) => record.tasks.push({ start: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) =>
    record.frames.push({
      start: e.startTime,
      duration: e.duration,
      blocking: (e as PerformanceEntry & { blockingDuration: number }).blockingDuration,
    }),
  );
  addEventListener(
    'keydown',
    (event) => {
      if (!record.probing || event.key !== 'x') return;
      const at = event.timeStamp;
      requestAnimationFrame(() => record.probes.push({ at, toFrame: performance.now() - at }));
    },
    true,
  );
}

/** Watches for the answer's first text and for the end of the turn, from `t0`. */
function watchAnswer(marker: string): void {
  const record = window.__benchStream!;
  record.t0 = performance.now();
  record.probing = true;
  const tick = (time: number) => {
    record.ticks.push(time);
    if (record.probing) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const timer = setInterval(() => {
    const answer = [...document.querySelectorAll('.assistant')].pop();
    if (answer && record.firstText === null && answer.textContent?.trim()) record.firstText = performance.now();
    const stop = [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Stop');
    if (answer?.textContent?.includes(marker) && !stop) {
      record.end = performance.now();
      record.probing = false;
      clearInterval(timer);
    }
  }, 10);
}

/** Points the app at `server` through the Settings dialog, as a person would. */
export async function connect(page: Page, appUrl: string, server: ScriptedServer): Promise<void> {
  await page.goto(`${appUrl}/?sandbox=embedded`);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Provider').selectOption('custom');
  await page.getByLabel('Base URL').fill(server.url);
  await page.getByLabel('API key', { exact: true }).fill(KEY);
  await page.getByLabel('Model').fill('unroll-scripted');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Send' }).waitFor();
}

export interface StreamOptions {
  deltas: number;
  runs: number;
  /**
   * After a run this slow, no more runs are made: the target is missed many times over and
   * more runs would only stretch `npm run bench`. Default 20 s.
   */
  stopAfterRunMs?: number;
  /** Between key probes while streaming. */
  probeEveryMs?: number;
  /** Called with the page once the stream is about to start and when it has ended (profiling). */
  around?: { before(page: Page): Promise<void>; after(page: Page): Promise<void> };
  timeoutMs?: number;
}

export async function streamBench(browser: Browser, app: ServedApp, options: StreamOptions): Promise<StreamReport> {
  const answer = longAnswer(options.deltas);
  const server = await startScriptedServer({ model: new LongAnswerModel(answer), requireKey: KEY });
  try {
    const runs: StreamRun[] = [];
    let note: string | undefined;
    for (let i = 0; i < options.runs; i++) {
      const run = await streamOnce(browser, app, server, options);
      runs.push(run);
      const limit = options.stopAfterRunMs ?? 20_000;
      if (i + 1 < options.runs && run.streamMs > limit) {
        note = `stopped after ${runs.length} of ${options.runs} runs: a run took ${(run.streamMs / 1000).toFixed(1)} s (> ${limit / 1000} s)`;
        break;
      }
    }
    const pick = (f: (r: StreamRun) => number) => median(runs.map(f));
    const pickMaybe = (f: (r: StreamRun) => number | null) => (runs.every((r) => f(r) !== null) ? median(runs.map((r) => f(r)!)) : null);
    const allProbes = runs.flatMap((r) => r.inputToFrameMs);
    return {
      deltas: answer.deltas.length,
      answerChars: answer.text.length,
      sseBytes: await sseSize(server),
      runs,
      median: {
        streamMs: pick((r) => r.streamMs),
        firstTextMs: pick((r) => r.firstTextMs),
        longTasks: pick((r) => r.longTasks),
        maxTaskMs: pick((r) => r.maxTaskMs),
        blockingMs: pick((r) => r.blockingMs),
        longFrames: pickMaybe((r) => r.longFrames),
        maxFrameMs: pickMaybe((r) => r.maxFrameMs),
        inputToFrameMedianMs: allProbes.length ? median(allProbes) : Number.NaN,
        inputToFrameMaxMs: pick((r) => (r.inputToFrameMs.length ? Math.max(...r.inputToFrameMs) : Number.NaN)),
        probes: allProbes.length,
        maxFrameGapMs: pick((r) => r.maxFrameGapMs),
      },
      ...(note ? { note } : {}),
    };
  } finally {
    await server.close();
  }
}

/** Bytes of the SSE body for the long answer (the stream the page parses). */
async function sseSize(server: ScriptedServer): Promise<number> {
  const response = await fetch(`${server.url}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'unroll-scripted', stream: true, input: LONG_PROMPT }),
  });
  return new TextEncoder().encode(await response.text()).length;
}

async function streamOnce(browser: Browser, app: ServedApp, server: ScriptedServer, options: StreamOptions): Promise<StreamRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(KEEP_NAMES_SHIM);
    await context.addInitScript(recordPage);
    const page = await context.newPage();
    await connect(page, app.url, server);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(LONG_PROMPT);
    await box.focus();
    await options.around?.before(page);
    await page.evaluate(watchAnswer, END_MARKER);
    await page.keyboard.press('Enter');

    // Keys go in on their own clock, so a busy page delays them (and shows it) instead of
    // delaying the probing; a second loop watches for the end.
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let ended = false;
    const pressMs: number[] = [];
    const probing = (async () => {
      while (!ended && Date.now() < deadline) {
        const sent = performance.now();
        await page.keyboard.press('x');
        pressMs.push(performance.now() - sent);
        await sleep(options.probeEveryMs ?? 100);
      }
    })();
    while (Date.now() < deadline && !ended) {
      ended = await page.evaluate(() => window.__benchStream!.end !== null);
      if (!ended) await sleep(50);
    }
    ended = true;
    await probing;
    await options.around?.after(page);
    const record = await page.evaluate(() => window.__benchStream!);
    if (record.end === null) throw new Error(`the answer did not finish within ${options.timeoutMs ?? 60_000} ms`);
    const renderedChars = await page.evaluate(() => [...document.querySelectorAll('.assistant')].pop()?.textContent?.length ?? 0);

    const during = <T extends { start: number }>(list: T[]) => list.filter((e) => e.start >= record.t0 && e.start <= record.end!);
    const tasks = during(record.tasks);
    const frames = during(record.frames).filter((f) => f.duration > 50);
    const ticks = record.ticks.filter((t) => t <= record.end!);
    const hasFrames = await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'));
    return {
      streamMs: record.end - record.t0,
      firstTextMs: (record.firstText ?? Number.NaN) - record.t0,
      longTasks: tasks.length,
      maxTaskMs: Math.max(0, ...tasks.map((t) => t.duration)),
      blockingMs: tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      longFrames: hasFrames ? frames.length : null,
      maxFrameMs: hasFrames ? Math.max(0, ...frames.map((f) => f.duration)) : null,
      inputToFrameMs: record.probes.filter((p) => p.at >= record.t0 && p.at <= record.end!).map((p) => p.toFrame),
      keyRoundTripMs: pressMs,
      frames: ticks.length,
      maxFrameGapMs: Math.max(0, ...ticks.map((t, i) => t - (i ? ticks[i - 1]! : record.t0))),
      renderedChars,
    };
  } finally {
    await context.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
