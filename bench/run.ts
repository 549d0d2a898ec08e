/**
 * `npm run bench`: prints the tables, writes bench/results/*.json. The browser suite runs last
 * and takes its flags from here (`npm run bench -- --profile`; see bench/browser.ts).
 */
import { parseBrowserArgs, runBrowserSuite } from './browser';
import { printStore, storeBench } from './browser-store';
import { printSwitch, switchBench } from './browser-switch';
import { shareBench } from './share';
import { printTools, toolsBench } from './tools';
import { compactionBench, printCompaction } from './compaction';
import { clientOverhead, sseThroughput } from './engine';
import { sandboxBench } from './sandbox';
import { machine, table, writeResult } from './stats';

const TARGETS = { at100Ms: 2, at5000Ms: 25, eventsPerSecond: 50_000, trivialExecMs: 5, snapshotRoundTripMs: 200 };

async function main(): Promise<void> {
  const host = machine();
  console.log(`Machine: ${host}\n`);

  const overhead = await clientOverhead();
  console.log('Client overhead per sampling round (build + serialise + parse + fold; no network, no tools)');
  console.log(
    table(
      ['history items', 'request bytes', 'median ms', 'µs per item', 'runs'],
      overhead.map((r) => [r.items, r.requestBytes, r.medianMs.toFixed(3), r.perItemUs.toFixed(2), r.runs]),
    ),
  );
  const at = (n: number) => overhead.find((r) => r.items === n)!;
  const growth = at(5_000).medianMs / at(1_000).medianMs;
  console.log(`\nGrowth 1 000 → 5 000 items: ×${growth.toFixed(2)} for ×5 items (linear ≈ ×5 or less).`);
  console.log(
    `Targets: ≤ ${TARGETS.at100Ms} ms at 100 items (${at(100).medianMs.toFixed(3)} ms), ≤ ${TARGETS.at5000Ms} ms at 5 000 items (${at(5_000).medianMs.toFixed(3)} ms).\n`,
  );

  const sse = await sseThroughput();
  console.log('SSE parse throughput (openai SDK parser + engine fold)');
  console.log(
    table(
      ['events', 'bytes', 'median ms', 'events/s', 'MB/s'],
      [[sse.events, sse.bytes, sse.medianMs.toFixed(1), sse.eventsPerSecond, sse.mbPerSecond.toFixed(1)]],
    ),
  );
  console.log(`Target: ≥ ${TARGETS.eventsPerSecond} events/s.`);

  const sb = await sandboxBench();
  console.log('\nEmbedded sandbox (just-bash, in-memory filesystem)');
  console.log(
    table(
      ['measure', 'median', 'target'],
      [
        ['exec `true`', `${sb.trivialExecMs.toFixed(3)} ms`, `≤ ${TARGETS.trivialExecMs} ms`],
        ['write 1 000 small files', `${sb.write1000Ms.toFixed(1)} ms`, ''],
        ['read 1 000 small files', `${sb.read1000Ms.toFixed(1)} ms`, ''],
        [`snapshot export (${sb.snapshotFiles} files, ${sb.snapshotBytes} bytes as JSON)`, `${sb.snapshotExportMs.toFixed(1)} ms`, ''],
        ['snapshot restore', `${sb.snapshotRestoreMs.toFixed(1)} ms`, ''],
        ['snapshot export → restore round trip', `${sb.snapshotRoundTripMs.toFixed(1)} ms`, `≤ ${TARGETS.snapshotRoundTripMs} ms`],
      ],
    ),
  );
  writeResult('sandbox', { date: new Date().toISOString(), machine: host, targets: TARGETS, embedded: sb });

  const file = writeResult('engine', {
    date: new Date().toISOString(),
    machine: host,
    targets: TARGETS,
    clientOverhead: overhead,
    growth1000to5000: growth,
    sseThroughput: sse,
    pass: {
      at100: at(100).medianMs <= TARGETS.at100Ms,
      at5000: at(5_000).medianMs <= TARGETS.at5000Ms,
      linear: growth <= 6,
      sse: sse.eventsPerSecond >= TARGETS.eventsPerSecond,
    },
  });
  console.log(`\nWrote ${file}`);

  const compaction = await compactionBench();
  printCompaction(compaction);
  console.log(`\nWrote ${writeResult('compaction', { machine: machine(), runs: compaction })}`);

  await runBrowserSuite(parseBrowserArgs(process.argv.slice(2)));

  const store = await storeBench();
  if (store) {
    printStore(store);
    console.log(`\nWrote ${writeResult('browser-store', store)}`);
  }

  // Reuses the build the store bench made (it has the bench pages).
  const moves = await switchBench(3, 5_000, store !== null);
  if (moves) {
    printSwitch(moves);
    console.log(`\nWrote ${writeResult('browser-switch', { machine: machine(), ...moves })}`);
  }

  console.log(`\nWrote ${writeResult('share', await shareBench())}`);
  const tools = await toolsBench();
  printTools(tools);
  console.log(`Wrote ${writeResult('tools', { date: new Date().toISOString(), machine: host, ...tools })}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
