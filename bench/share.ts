/**
 * The share service under load, in this process (Hono on @hono/node-server, node-postgres),
 * against a real PostgreSQL primary and two streaming replicas started for the run
 * (server/scripts/pg-cluster.sh), or PGlite alone where PostgreSQL is not installed:
 * - a hot link read at a fixed 1 000 reads/s: p50/p99 latency and errors;
 * - 1 000 distinct links read at random, primary only against primary + 2 replicas: latency
 *   and the share of database reads the primary served (the in-process cache off, so every
 *   read reaches a database);
 * - reads while a replica is killed and while the primary is stopped: errors (goal 0);
 * - live follow: 200 viewers long-polling one share while chunks arrive: delivery p99.
 * The load comes from the same 2-core machine (and process), so the figures are a floor.
 *
 *   npx tsx bench/share.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../server/src/app';
import { openPglite, openPool, type Db } from '../server/src/db';
import { ShareStore } from '../server/src/shares';
import { machine, table, writeResult } from './stats';

interface Cluster {
  primary: string;
  replicas: string[];
  dir: string;
  bin: string;
  stop(): void;
}

function startCluster(): Cluster | { skipped: string } {
  const script = join(import.meta.dirname, '..', 'server', 'scripts', 'pg-cluster.sh');
  const base = mkdtempSync(join(tmpdir(), 'unroll-bench-pg-'));
  chmodSync(base, 0o755);
  const dir = join(base, 'cluster');
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  let out: string;
  try {
    out = execFileSync('bash', [script, 'start', dir, String(port)], { encoding: 'utf8' });
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    return { skipped: `PostgreSQL could not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` };
  }
  const env = Object.fromEntries([...out.matchAll(/export (\w+)='([^']*)'/g)].map((m) => [m[1], m[2]]));
  return {
    primary: env.UNROLL_PG_PRIMARY!,
    replicas: env.UNROLL_PG_REPLICAS!.split(','),
    dir: env.UNROLL_PG_DIR!,
    bin: env.UNROLL_PG_BIN!,
    stop: () => {
      execFileSync('bash', [script, 'stop', dir]);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

function pgCtl(cluster: Cluster, node: string, ...args: string[]): void {
  const command = [`${cluster.bin}/pg_ctl`, '-D', `${cluster.dir}/${node}`, ...args];
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', ...command], { stdio: 'ignore' });
  else execFileSync(command[0]!, command.slice(1), { stdio: 'ignore' });
}

async function startService(primary: Db, replicas: Db[], cacheBytes?: number) {
  const store = new ShareStore({ primary, replicas, replicaBackoffMs: 1_000, ...(cacheBytes !== undefined ? { cacheBytes } : {}) });
  await store.init();
  const app = createApp(store, { createsPerMinute: 1_000_000 });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { store, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

interface LoadResult {
  reads: number;
  errors: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** One row of the reads table: what was measured, its rate and latencies, and what the primary served. */
function readRow(measure: string, r: LoadResult, primaryShare: string): (string | number)[] {
  return [measure, r.perSecond.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), r.errors, primaryShare];
}

/** Reads `pick()` at `rate` per second for `seconds`, open loop (a late read does not delay the next). */
async function load(url: string, pick: () => string, rate: number, seconds: number, during?: (elapsed: number) => void): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = rate * seconds;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    during?.(performance.now() - started);
    const t0 = performance.now();
    pending.push(
      fetch(`${url}/v1/shares/${pick()}`)
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status !== 200) errors++;
          latencies.push(performance.now() - t0);
        })
        .catch(() => void errors++),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { reads: total, errors, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), perSecond: total / elapsed };
}

async function create(url: string, n: number, size = 1024): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = new Uint8Array(size).map(() => Math.floor(Math.random() * 256)) as Uint8Array<ArrayBuffer>;
    const response = await fetch(`${url}/v1/shares`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

async function liveFollow(url: string, viewers: number, chunks: number): Promise<{ p50: number; p99: number; delivered: number; expected: number }> {
  const response = await fetch(`${url}/v1/shares?live=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array([1]),
  });
  const { id, writeToken } = (await response.json()) as { id: string; writeToken: string };
  const sentAt = new Map<number, number>();
  const delays: number[] = [];
  let stop = false;
  const follower = async () => {
    let after = 0;
    while (!stop && after < chunks) {
      const r = await fetch(`${url}/v1/shares/${id}/chunks?after=${after}&wait=10`).catch(() => null);
      if (!r) continue;
      const { chunks: got } = (await r.json()) as { chunks: { seq: number }[] };
      const now = performance.now();
      for (const chunk of got) {
        delays.push(now - (sentAt.get(chunk.seq) ?? now));
        after = Math.max(after, chunk.seq);
      }
    }
  };
  const following = Array.from({ length: viewers }, follower);
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (let seq = 1; seq <= chunks; seq++) {
    sentAt.set(seq, performance.now());
    await fetch(`${url}/v1/shares/${id}/chunks`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${writeToken}`, 'x-chunk-seq': String(seq) },
      body: new Uint8Array(200).fill(seq % 256),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await Promise.race([Promise.all(following), new Promise((resolve) => setTimeout(resolve, 15_000))]);
  stop = true;
  delays.sort((a, b) => a - b);
  return { p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), delivered: delays.length, expected: viewers * chunks };
}

export async function shareBench(): Promise<unknown> {
  console.log('\nShare service (in-process server and load, 127.0.0.1)');
  const cluster = startCluster();
  const report: Record<string, unknown> = { machine: machine() };
  if ('skipped' in cluster) {
    console.log(`PostgreSQL: ${cluster.skipped}; measuring PGlite only.`);
    const db = await openPglite('memory://');
    const service = await startService(db, []);
    const [hot] = await create(service.url, 1);
    const result = await load(service.url, () => hot!, 1_000, 5);
    console.log(
      table(
        ['measure', 'reads/s', 'p50 ms', 'p99 ms', 'errors'],
        [['hot link, PGlite', result.perSecond.toFixed(0), result.p50.toFixed(1), result.p99.toFixed(1), result.errors]],
      ),
    );
    service.close();
    await db.close();
    return { ...report, pglite: { hot: result } };
  }
  const dbs: Db[] = [];
  const open = async (url: string) => {
    const db = await openPool(url, { max: 10 });
    dbs.push(db);
    return db;
  };
  try {
    const primaryOnly = await startService(await open(cluster.primary), []);
    const withReplicas = await startService(await open(cluster.primary), await Promise.all(cluster.replicas.map(open)), 0);
    const [hot] = await create(primaryOnly.url, 1);
    const ids = await create(primaryOnly.url, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // replication
    await withReplicas.store.checkReplicas();

    const hotRead = await load(primaryOnly.url, () => hot!, 1_000, 5);
    const random = () => ids[Math.floor(Math.random() * ids.length)]!;
    const coldPrimary = await startService(await open(cluster.primary), [], 0);
    const primaryRandom = await load(coldPrimary.url, random, 1_000, 5);
    const before = { ...withReplicas.store.stats };
    const replicaRandom = await load(withReplicas.url, random, 1_000, 5);
    const served = { primary: withReplicas.store.stats.primary - before.primary, replica: withReplicas.store.stats.replica - before.replica };

    // Failures: a replica killed at 2 s, the primary stopped at 4 s, both back at the end.
    let killed = false;
    let stopped = false;
    const failures = await load(withReplicas.url, random, 300, 8, (elapsed) => {
      if (!killed && elapsed > 2_000) {
        killed = true;
        pgCtl(cluster, 'replica1', '-m', 'immediate', 'stop');
      }
      if (!stopped && elapsed > 4_000) {
        stopped = true;
        pgCtl(cluster, 'primary', '-m', 'fast', 'stop');
      }
    });
    pgCtl(cluster, 'primary', '-w', '-l', `${cluster.dir}/primary.log`, 'start');
    pgCtl(cluster, 'replica1', '-w', '-l', `${cluster.dir}/replica1.log`, 'start');

    const live = await liveFollow(withReplicas.url, 200, 20);

    console.log(
      table(
        ['measure', 'reads/s', 'p50 ms', 'p99 ms', 'errors', 'database reads by the primary'],
        [
          readRow('hot link at 1 000/s (cached)', hotRead, '—'),
          readRow('1 000 links at 1 000/s, primary only', primaryRandom, '100 %'),
          readRow(
            '1 000 links at 1 000/s, primary + 2 replicas',
            replicaRandom,
            `${((100 * served.primary) / Math.max(1, served.primary + served.replica)).toFixed(1)} %`,
          ),
          readRow('300/s while a replica is killed, then the primary stopped', failures, '—'),
        ],
      ),
    );
    console.log(
      `Live follow, 200 viewers, 20 chunks: delivery p50 ${live.p50.toFixed(0)} ms, p99 ${live.p99.toFixed(0)} ms (${live.delivered} of ${live.expected} delivered).`,
    );
    for (const s of [primaryOnly, withReplicas, coldPrimary]) s.close();
    return { ...report, hotRead, primaryRandom, replicaRandom, served, failures, live };
  } finally {
    await Promise.all(dbs.map((db) => db.close().catch(() => undefined)));
    cluster.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  shareBench().then(
    (result) => console.log(`\nWrote ${writeResult('share', result)}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
