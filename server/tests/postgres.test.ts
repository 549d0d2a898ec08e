/**
 * The share store on real PostgreSQL: a primary and two streaming replicas on 127.0.0.1,
 * started by server/scripts/pg-cluster.sh (`.ci/run` starts them and sets UNROLL_PG_*).
 * Replica routing, read-your-writes, a lagging replica skipped, a replica killed and the
 * primary stopped mid-test (and both brought back without a restart of the store).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool, type Db } from '../src/db';
import { PrimaryUnavailable, ShareStore } from '../src/shares';

const PRIMARY = process.env.UNROLL_PG_PRIMARY;
const REPLICAS = (process.env.UNROLL_PG_REPLICAS ?? '').split(',').filter(Boolean);
const DIR = process.env.UNROLL_PG_DIR ?? '';
const BIN = process.env.UNROLL_PG_BIN ?? '';
const available = Boolean(PRIMARY && REPLICAS.length === 2 && DIR && BIN);
if (!available) {
  console.log(
    '[postgres] skipped: no PostgreSQL cluster (start one with server/scripts/pg-cluster.sh start DIR and export what it prints; .ci/run does)',
  );
}

function pgCtl(node: string, ...args: string[]): void {
  const command = [`${BIN}/pg_ctl`, '-D', `${DIR}/${node}`, ...args];
  const asPostgres = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...command]] : [command[0]!, command.slice(1)];
  execFileSync(asPostgres[0] as string, asPostgres[1] as string[], { stdio: 'ignore' });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bytes = (text: string) => new TextEncoder().encode(text);

async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!available)('the share store on PostgreSQL with two streaming replicas', () => {
  const opened: Db[] = [];
  const open = async (url: string) => {
    const db = await openPool(url, { connectTimeoutMs: 1_000, statementTimeoutMs: 3_000 });
    opened.push(db);
    return db;
  };
  const store = async (options: { cacheBytes?: number; maxLagBytes?: number } = {}) => {
    const s = new ShareStore({ primary: await open(PRIMARY!), replicas: await Promise.all(REPLICAS.map(open)), replicaBackoffMs: 500, ...options });
    await s.init();
    return s;
  };
  const onReplica = async (replica: string, id: string) =>
    (await (await open(replica)).query('SELECT 1 FROM shares WHERE id = $1', [id])).length === 1;

  beforeAll(async () => {
    await (await store()).checkReplicas();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close().catch(() => undefined)));
  });

  it('serves reads from the replicas once they have the share', async () => {
    const writer = await store();
    const { id } = await writer.create(bytes('replicated'));
    for (const replica of REPLICAS) await until(() => onReplica(replica, id), 'replication');
    const reader = await store({ cacheBytes: 0 });
    for (let i = 0; i < 6; i++) expect(new TextDecoder().decode((await reader.read(id))!.body)).toBe('replicated');
    expect(reader.stats).toMatchObject({ primary: 0, replica: 6 });
  });

  it('never answers "not found" for a share just made: the primary answers what a replica lacks', async () => {
    const s = await store({ cacheBytes: 0 });
    for (let i = 0; i < 30; i++) {
      const { id } = await s.create(bytes(`fresh ${i}`));
      expect((await s.read(id))?.id).toBe(id);
    }
  });

  it('skips a replica that lags past the bound, and takes it back once it caught up', async () => {
    const s = await store({ cacheBytes: 0, maxLagBytes: 64 * 1024 });
    const lagging = await open(REPLICAS[0]!);
    await lagging.query('SELECT pg_wal_replay_pause()');
    try {
      for (let i = 0; i < 4; i++) await s.create(new Uint8Array(100_000).map(() => Math.floor(Math.random() * 256)));
      // The other replica keeps up (asynchronously): wait for it, then compare.
      await until(async () => (await s.checkReplicas())[1]!.used, 'the other replica to keep up');
      const health = await s.checkReplicas();
      expect(health[0]).toMatchObject({ used: false });
      expect(health[0]!.lagBytes).toBeGreaterThan(64 * 1024);
      const reads = s.stats.replica;
      const { id } = await s.create(bytes('read while one lags'));
      await until(() => onReplica(REPLICAS[1]!, id), 'replication to the other replica');
      expect((await s.read(id))?.id).toBe(id);
      expect(s.stats.replica).toBe(reads + 1);
    } finally {
      await lagging.query('SELECT pg_wal_replay_resume()');
    }
    await until(async () => (await s.checkReplicas())[0]!.used, 'the replica to catch up');
  });

  it('keeps reading with no errors while a replica is killed, and while the primary is stopped; writes answer unavailable, then work again', async () => {
    const s = await store({ cacheBytes: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await s.create(bytes(`kept ${i}`))).id);
    for (const replica of REPLICAS) await until(() => onReplica(replica, ids.at(-1)!), 'replication');

    let errors = 0;
    let reads = 0;
    let reading = true;
    const loop = (async () => {
      while (reading) {
        for (const id of ids) {
          try {
            if ((await s.read(id))?.id !== id) errors++;
          } catch {
            errors++;
          }
          reads++;
        }
        await sleep(5);
      }
    })();

    try {
      pgCtl('replica1', '-m', 'immediate', 'stop');
      await sleep(500);
      pgCtl('primary', '-m', 'fast', 'stop');
      await sleep(500);
      await expect(s.create(bytes('while the primary is down'))).rejects.toBeInstanceOf(PrimaryUnavailable);
    } finally {
      pgCtl('primary', '-w', '-l', `${DIR}/primary.log`, 'start');
      pgCtl('replica1', '-w', '-l', `${DIR}/replica1.log`, 'start');
    }
    reading = false;
    await loop;
    expect(reads).toBeGreaterThan(20);
    expect(errors).toBe(0);
    await until(async () => Boolean(await s.create(bytes('after the primary came back'))), 'writes to work again');
  });
});

const BOUNCER = process.env.UNROLL_PG_BOUNCER;
if (available && !BOUNCER) console.log('[postgres] PgBouncer case skipped: pgbouncer is not installed (Debian package pgbouncer)');

describe.skipIf(!available || !BOUNCER)('the share store through PgBouncer in transaction mode', () => {
  it('migrates, creates, reads, deletes and appends live chunks with a small pool under concurrent load', async () => {
    const primary = await openPool(BOUNCER!, { max: 3 });
    try {
      const s = new ShareStore({ primary, cacheBytes: 0 });
      await s.init(); // each migration step is one transaction with SET LOCAL: nothing leaks between pooled connections
      const made = await Promise.all(Array.from({ length: 40 }, (_, i) => s.create(bytes(`through the bouncer ${i}`))));
      const read = await Promise.all(made.map((m) => s.read(m.id)));
      expect(read.map((r) => r && new TextDecoder().decode(r.body))).toEqual(made.map((_, i) => `through the bouncer ${i}`));
      expect(await s.remove(made[0]!.id, made[0]!.deleteToken)).toBe('deleted');
      const live = await s.create(bytes('live'), { live: true });
      const appended = await Promise.all(
        [1, 2, 3].map(async (seq) => {
          // In order, as a broadcaster sends them.
          await sleep(seq * 20);
          return s.append(live.id, live.writeToken!, seq, bytes(`chunk ${seq}`));
        }),
      );
      expect(appended.every((a) => a.ok)).toBe(true);
      expect((await s.chunks(live.id, 0))?.map((c) => c.seq)).toEqual([1, 2, 3]);
    } finally {
      await primary.close();
    }
  });
});
