/**
 * The app in Chromium: bytes shipped, cold start to a usable composer, and a 20 000-delta
 * answer streamed as fast as the scripted model can send it. Part of `npm run bench`; alone:
 *
 *   npx tsx bench/browser.ts [--reuse-build] [--out-dir DIR] [--only bundle,start,nowait,site,stream,longturn]
 *                            [--profile] [--deltas N] [--stream-runs N] [--start-runs N] [--rounds N]
 *
 * `--profile` adds one profiled stream run (bench/results/browser-profile.json); with
 * `BENCH_CPUPROFILE=file.cpuprofile` the raw profile is kept for DevTools' Performance panel.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildApp, bundleReport, DEFAULT_OUT_DIR, launchOptions, serveApp, skipReason } from './browser-app';
import { startProfile, summariseProfile, type CpuProfile, type ProfileSummary } from './browser-profile';
import { longTurnBench } from './browser-long-turn';
import { coldStart, REMEMBERED_UNREACHABLE } from './browser-start';
import { neverWaitsBench } from './browser-never-waits';
import { siteBench } from './browser-site';
import { streamBench } from './browser-stream';
import {
  BROWSER_TARGETS,
  parts,
  printBundle,
  printLongTurn,
  printNeverWaits,
  printProfile,
  printSite,
  printStarts,
  printStream,
} from './browser-report';
import { machine, writeResult } from './stats';

export interface BrowserOptions {
  /** Use the build already in `outDir` if there is one. */
  reuseBuild: boolean;
  /** One more, unmeasured stream run under the CPU profiler; writes browser-profile.json. */
  profile: boolean;
  deltas: number;
  streamRuns: number;
  startRuns: number;
  /** Rounds of the long-turn measure. */
  rounds: number;
  outDir: string;
  /**
   * Only these parts (bundle, start, stream); null for all. Results are written only when
   * everything ran with at least the default runs and deltas.
   */
  only: Set<string> | null;
}

export function parseBrowserArgs(argv: readonly string[]): BrowserOptions {
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    const n = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  const dir = argv.indexOf('--out-dir');
  const only = argv.indexOf('--only');
  return {
    reuseBuild: argv.includes('--reuse-build'),
    profile: argv.includes('--profile'),
    deltas: value('--deltas', 20_000),
    streamRuns: value('--stream-runs', 3),
    startRuns: value('--start-runs', 5),
    rounds: value('--rounds', 600),
    outDir: dir >= 0 && argv[dir + 1] ? argv[dir + 1]! : DEFAULT_OUT_DIR,
    only: only >= 0 && argv[only + 1] ? new Set(argv[only + 1]!.split(',')) : null,
  };
}

/** Runs the suite, prints its tables and writes bench/results/browser.json; skips without Chromium. */
export async function runBrowserSuite(options: BrowserOptions): Promise<void> {
  console.log('\nApp in Chromium (production build, vite preview on 127.0.0.1)');
  const skip = skipReason();
  if (skip) {
    console.log(`Skipped the browser suite: ${skip}.`);
    return;
  }
  const began = performance.now();
  const built = await buildApp(options.outDir, options.reuseBuild);
  console.log(built.reused ? `Reusing the build in ${built.outDir}.` : `Built into ${built.outDir} in ${(built.ms / 1000).toFixed(1)} s.`);
  const bundle = bundleReport(built.outDir);
  const app = await serveApp(built.outDir);
  let browser: Browser;
  try {
    browser = await chromium.launch(launchOptions());
  } catch (err) {
    await app.close();
    console.log(`Skipped the browser suite: Chromium did not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`);
    return;
  }
  try {
    const chromiumVersion = browser.version();
    console.log(`Chromium ${chromiumVersion}, headless.\n`);
    const wanted = (part: string) => !options.only || options.only.has(part);
    if (wanted('bundle')) printBundle(bundle, built.outDir);

    const starts = wanted('start')
      ? [
          await coldStart(browser, app, '/?sandbox=embedded', options.startRuns, 1),
          await coldStart(browser, app, '/', options.startRuns),
          await coldStart(browser, app, '/', options.startRuns, 0, 20_000, REMEMBERED_UNREACHABLE),
        ]
      : [];
    if (starts.length) printStarts(starts, built.outDir);

    const neverWaits = wanted('nowait') ? await neverWaitsBench(browser, app, options.startRuns) : null;
    if (neverWaits) printNeverWaits(neverWaits);

    const site = wanted('site') ? await siteBench(browser, app, built.outDir, options.startRuns) : null;
    if (site) printSite(site);

    const stream = wanted('stream')
      ? await streamBench(browser, app, { deltas: options.deltas, runs: options.streamRuns, timeoutMs: 180_000 })
      : null;
    if (stream) printStream(stream);

    const longTurn = wanted('longturn') ? await longTurnBench(browser, app, options.rounds) : null;
    if (longTurn) printLongTurn(longTurn);

    const profile = options.profile ? await profileStream(browser, app, options) : null;
    if (profile) printProfile(profile);

    const defaults = parseBrowserArgs([]);
    const reduced =
      options.deltas !== defaults.deltas ||
      options.startRuns < defaults.startRuns ||
      options.streamRuns < defaults.streamRuns ||
      options.rounds !== defaults.rounds;
    if (!stream || !longTurn || starts.length < 2 || !wanted('bundle') || reduced) {
      const why = reduced ? 'fewer runs or deltas than the defaults' : 'only part of the suite ran';
      console.log(`\nBrowser suite: ${((performance.now() - began) / 1000).toFixed(0)} s. Results not written (${why}).`);
      return;
    }
    const embedded = starts[0]!;
    const file = writeResult('browser', {
      date: new Date().toISOString(),
      machine: machine(),
      chromium: chromiumVersion,
      targets: BROWSER_TARGETS,
      bundle: {
        ...bundle,
        initialJsParts: parts(
          built.outDir,
          bundle.initialJs.map((a) => a.file),
        ),
      },
      coldStart: starts,
      neverWaits,
      site,
      stream,
      longTurn,
      pass: {
        lastSession: neverWaits ? neverWaits.lastSession.median <= BROWSER_TARGETS.lastSessionMs : null,
        shareLink: neverWaits ? neverWaits.shareLink.median <= BROWSER_TARGETS.shareLinkMs : null,
        firstAnswer: neverWaits ? neverWaits.firstAnswer.median <= BROWSER_TARGETS.firstAnswerMs : null,
        sitePaint: site ? site.firstPaint.median <= BROWSER_TARGETS.sitePaintMs : null,
        siteReload: site ? site.reload.median <= BROWSER_TARGETS.siteReloadMs : null,
        transformTsx: site ? site.transform2000Ms.median <= BROWSER_TARGETS.transformTsxMs : null,
        transformerLazy: site ? site.transformerBytesBeforeUsable === 0 : null,
        initialJs: bundle.total.js.gzip / 1024 <= BROWSER_TARGETS.initialJsGzipKb,
        coldStartEmbedded: embedded.usable.median <= BROWSER_TARGETS.coldStartMs,
        coldStartDefault: starts[1]!.usable.median <= BROWSER_TARGETS.coldStartMs,
        streamNoLongTask: stream.runs.every((r) => r.maxTaskMs <= BROWSER_TARGETS.maxTaskMs),
        streamResponsive: stream.runs.every((r) => r.inputToFrameMs.every((t) => t <= BROWSER_TARGETS.keyToFrameMs)),
      },
    });
    console.log(`\nBrowser suite: ${((performance.now() - began) / 1000).toFixed(0)} s. Wrote ${file}`);
  } finally {
    await browser.close();
    await app.close();
  }
}

async function profileStream(browser: Browser, app: Awaited<ReturnType<typeof serveApp>>, options: BrowserOptions): Promise<ProfileSummary> {
  let stop: (() => Promise<CpuProfile>) | undefined;
  let profile: CpuProfile | undefined;
  await streamBench(browser, app, {
    deltas: options.deltas,
    runs: 1,
    timeoutMs: 300_000,
    around: {
      before: async (page) => void (stop = (await startProfile(page)).stop),
      after: async () => void (profile = await stop?.()),
    },
  });
  if (!profile) throw new Error('the profiler returned nothing');
  // The raw profile opens in DevTools (Performance panel) when BENCH_CPUPROFILE names a file.
  if (process.env.BENCH_CPUPROFILE) writeFileSync(process.env.BENCH_CPUPROFILE, JSON.stringify(profile));
  const summary = summariseProfile(profile, options.outDir);
  writeResult('browser-profile', { date: new Date().toISOString(), deltas: options.deltas, ...summary });
  return summary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = parseBrowserArgs(process.argv.slice(2));
  console.log(`Machine: ${machine()}`);
  runBrowserSuite(options).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
