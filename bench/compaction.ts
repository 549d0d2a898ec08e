/**
 * Long sessions: a 200-round scripted session through the real loop, SDK and HTTP server,
 * with compaction. How much of each request repeats the previous one exactly (what a prompt
 * cache can reuse), and the bytes sent against the quadratic worst case. Part of
 * `npm run bench`; alone: `npx tsx bench/compaction.ts`.
 */
import { pathToFileURL } from 'node:url';
import { prefixStats, type PrefixStats } from '../src/core/cache-stats';
import { NOTES, plan, taskScript } from '../tests/support/tasks';
import { startHarness } from '../tests/support/harness';
import { isHandoffBody } from '../tests/support/invariants';
import { machine, table, writeResult } from './stats';

export const COMPACTION_TARGETS = { prefixShareBetweenCompactions: 0.99 };

export interface CompactionRun {
  window: number;
  mode: 'remote' | 'local';
  rounds: number;
  requests: number;
  stats: PrefixStats;
}

async function run(window: number, mode: 'remote' | 'local', rounds: number): Promise<CompactionRun> {
  const problems: string[] = [];
  const h = await startHarness({
    script: taskScript(problems),
    files: NOTES,
    config: {
      contextWindow: window,
      parallelToolCalls: false,
      ...(mode === 'local' ? { capabilities: { customTools: true, reasoning: true, compact: false } } : {}),
    },
    server: { contextWindow: window },
    ...(mode === 'remote' ? { client: { compact: true } } : {}),
  });
  try {
    for (const [i, steps] of plan(rounds).entries()) {
      const result = await h.agent.runTurn(`task ${i + 1}: run ${steps} steps`);
      if (result.reason !== 'completed') throw new Error(`task ${i + 1} ended ${result.reason}`);
    }
    if (problems.length) throw new Error(problems.join('\n'));
    const bodies = h.bodies().filter((b) => !isHandoffBody(b));
    return { window, mode, rounds, requests: bodies.length, stats: prefixStats(bodies) };
  } finally {
    await h.close();
  }
}

export async function compactionBench(): Promise<CompactionRun[]> {
  return [await run(128_000, 'remote', 200), await run(32_000, 'remote', 200), await run(32_000, 'local', 200), await run(8_000, 'remote', 200)];
}

export function printCompaction(runs: readonly CompactionRun[]): void {
  console.log('\nLong sessions: 200 rounds (tool outputs of ~300 tokens), real loop + SDK + HTTP');
  console.log(
    table(
      [
        'window',
        'compaction',
        'requests',
        'compactions',
        'exact-prefix share',
        'between compactions',
        'bytes sent',
        'quadratic worst case',
        'share of it',
      ],
      runs.map((r) => [
        r.window,
        r.mode,
        r.requests,
        r.stats.breaks,
        `${(100 * r.stats.prefixShare).toFixed(1)} %`,
        `${(100 * r.stats.prefixShareBetweenBreaks).toFixed(1)} %`,
        `${(r.stats.totalBytes / 1e6).toFixed(2)} MB`,
        `${(r.stats.quadraticBytes / 1e6).toFixed(2)} MB`,
        `${((100 * r.stats.totalBytes) / r.stats.quadraticBytes).toFixed(1)} %`,
      ]),
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = await compactionBench();
  printCompaction(runs);
  console.log(`\nwrote ${writeResult('compaction', { machine: machine(), runs })}`);
}
