/**
 * Where the page's main thread spends its time: a V8 CPU profile (CDP `Profiler`) summarised
 * per function and per source file, mapped back through the build's source maps so the names
 * are the app's and its packages', not the minifier's.
 */
import type { Page } from 'playwright-core';
import { originOf, SourceMaps } from './browser-sourcemap';

export interface ProfileRow {
  /** Original `file:line` of the function (through the source map), or V8's name for native work. */
  where: string;
  /** The original source line where the function starts, trimmed: usually its signature. */
  code: string;
  ms: number;
  /** Of all sampled time. */
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  /** Time spent in the function itself (includes layout it forces, and native calls it makes). */
  selfTime: ProfileRow[];
  /**
   * The app's own functions (`src/`) with everything they call, each counted once per sample:
   * which of our code paths the self time above belongs to.
   */
  appTotalTime: ProfileRow[];
  /** Self time per original file, packages grouped by name. */
  byOrigin: { origin: string; ms: number; share: number }[];
}

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Starts sampling the page's main thread; `stop` returns the raw profile. */
export async function startProfile(page: Page, intervalUs = 500): Promise<{ stop(): Promise<CpuProfile> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      await cdp.detach();
      return profile;
    },
  };
}

/** `outDir` holds the build and its `.map` files. */
export function summariseProfile(profile: CpuProfile, outDir: string, top = 15): ProfileSummary {
  const maps = new SourceMaps(outDir);
  const info = new Map<number, { key: string; code: string; origin: string; parent: number | undefined }>();
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const file = frame.url ? pathOf(frame.url) : '';
    const original = file ? maps.lookup(file, frame.lineNumber, frame.columnNumber) : null;
    const name = frame.functionName || '(anonymous)';
    const key = original ? `${original.source}:${original.line + 1}` : file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
    const origin = original ? originOf(original.source) : file || name;
    info.set(node.id, { key, code: original?.code ?? '', origin, parent: parents.get(node.id) });
  }

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  const codes = new Map<string, string>();
  let sampledUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; it is charged to the node sampled at i.
    const us = Math.max(0, profile.timeDeltas[i] ?? 0);
    const leaf = info.get(profile.samples[i]!);
    if (!leaf || us === 0) continue;
    sampledUs += us;
    self.set(leaf.key, (self.get(leaf.key) ?? 0) + us);
    byOrigin.set(leaf.origin, (byOrigin.get(leaf.origin) ?? 0) + us);
    const seen = new Set<string>();
    for (let node: typeof leaf | undefined = leaf; node; node = node.parent === undefined ? undefined : info.get(node.parent)) {
      if (node.key === '(root)' || seen.has(node.key)) continue;
      seen.add(node.key);
      codes.set(node.key, node.code);
      total.set(node.key, (total.get(node.key) ?? 0) + us);
    }
  }
  const rows = (map: Map<string, number>, keep: (where: string) => boolean = () => true): ProfileRow[] =>
    [...map]
      .filter(([where]) => keep(where))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, us]) => ({ where, code: codes.get(where) ?? '', ms: us / 1000, share: sampledUs ? us / sampledUs : 0 }));
  return {
    sampledMs: sampledUs / 1000,
    selfTime: rows(self),
    appTotalTime: rows(total, (where) => where.startsWith('src/')),
    byOrigin: [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([origin, us]) => ({ origin, ms: us / 1000, share: sampledUs ? us / sampledUs : 0 })),
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/^\//, '');
  } catch {
    return url;
  }
}
