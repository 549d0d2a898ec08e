/**
 * The share service's API over real HTTP (@hono/node-server on a free port) with PGlite as the
 * database, and with explicit database stand-ins where a replica or the primary must fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../src/app';
import { openPglite, type Db } from '../src/db';
import { ShareStore } from '../src/shares';
import { startShareService, type RunningService } from './serve';

let primary: Db;
const running: RunningService[] = [];

beforeAll(async () => {
  primary = await openPglite('memory://');
}, 60_000);

afterAll(async () => {
  for (const service of running) await service.close();
  await primary.close();
});

/** A service on the shared PGlite (or `db`), with `replicas`. */
async function start(options: AppOptions & { replicas?: Db[]; db?: Db; now?: () => number } = {}) {
  const service = await startShareService({ ...options, db: options.db ?? primary, replicas: options.replicas ?? [] });
  running.push(service);
  return service;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const upload = (url: string, body: Uint8Array | string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/shares`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body: (typeof body === 'string' ? bytes(body) : body) as Uint8Array<ArrayBuffer>,
  });

describe('the share API', () => {
  it('stores the bytes and serves them back, immutable, with an ETag', async () => {
    const { url } = await start();
    const body = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    const created = await upload(url, body);
    expect(created.status).toBe(201);
    const { id, deleteToken, expiresAt } = (await created.json()) as { id: string; deleteToken: string; expiresAt: null };
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(deleteToken.length).toBeGreaterThan(20);
    expect(expiresAt).toBeNull();
    const read = await fetch(`${url}/v1/shares/${id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('application/octet-stream');
    expect(read.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(body);
    const again = await fetch(`${url}/v1/shares/${id}`, { headers: { 'if-none-match': read.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('answers every bad input with a clear JSON error, never a stack trace', async () => {
    const { url } = await start({ maxBytes: 1000 });
    const cases: [Response, number, string][] = [
      [await upload(url, 'x', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type'],
      [await upload(url, new Uint8Array(0)), 400, 'bad_request'],
      [await upload(url, new Uint8Array(5000)), 413, 'too_large'],
      [await upload(url, 'x', { 'x-expires-in': 'soon' }), 400, 'bad_request'],
      [await upload(url, 'x', { 'idempotency-key': 'has spaces in it' }), 400, 'bad_request'],
      [await fetch(`${url}/v1/shares/not-an-id`), 404, 'not_found'],
      [await fetch(`${url}/v1/shares/AAAAAAAAAAAAAAAAAAAAAA`), 404, 'not_found'],
      [await fetch(`${url}/v2/anything`), 404, 'not_found'],
    ];
    for (const [response, status, code] of cases) {
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toMatch(/\bat .*\(|node_modules|\.ts:\d+/);
    }
  });

  it('gives a retried create (same Idempotency-Key) the same share, and refuses the key for another body', async () => {
    const { url } = await start();
    const first = (await (await upload(url, 'same body', { 'idempotency-key': 'k-1' })).json()) as { id: string; deleteToken: string };
    const retry = await upload(url, 'same body', { 'idempotency-key': 'k-1' });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ...first, expiresAt: null });
    const other = await upload(url, 'another body', { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(409);
  });

  it("deletes only with the share's delete token", async () => {
    const { url } = await start();
    const { id, deleteToken } = (await (await upload(url, 'to delete')).json()) as { id: string; deleteToken: string };
    expect((await fetch(`${url}/v1/shares/${id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${url}/v1/shares/${id}`, { method: 'DELETE', headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
    expect((await fetch(`${url}/v1/shares/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${deleteToken}` } })).status).toBe(204);
    expect((await fetch(`${url}/v1/shares/${id}`)).status).toBe(404);
  });

  it('lets shares expire, and collects them in small batches', async () => {
    let now = Date.now();
    const { url, store } = await start({ now: () => now });
    const { id } = (await (await upload(url, 'short-lived', { 'x-expires-in': '60' })).json()) as { id: string };
    expect((await fetch(`${url}/v1/shares/${id}`)).headers.get('cache-control')).toMatch(/^public, max-age=(59|60)$/);
    now += 61_000;
    expect((await fetch(`${url}/v1/shares/${id}`)).status).toBe(404);
    expect(await store.collect(10)).toBeGreaterThanOrEqual(1);
    expect(await primary.query('SELECT id FROM shares WHERE id = $1', [id])).toEqual([]);
  });

  it('limits creates per address: 429 with Retry-After', async () => {
    const { url } = await start({ createsPerMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await upload(url, `n${i}`)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await upload(url, 'more');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it("allows the app's origin from a browser (CORS), exposing the ETag", async () => {
    const { url } = await start({ origins: ['https://app.example'] });
    const preflight = await fetch(`${url}/v1/shares`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    // A browser appending a live chunk sends its write token and number: the preflight allows both.
    const chunk = await fetch(`${url}/v1/shares/x/chunks`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-chunk-seq',
      },
    });
    expect(chunk.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-chunk-seq');
    const read = await fetch(`${url}/v1/health`, { headers: { origin: 'https://app.example' } });
    expect(read.headers.get('access-control-expose-headers')).toContain('ETag');
  });
});

/** A database that answers through `db` until `down` is set, then fails every query. */
function switchable(db: Db) {
  const state = { down: false, queries: 0 };
  const wrapped: Db = {
    name: `switchable ${db.name}`,
    query: async (sql, params) => {
      state.queries++;
      if (state.down) throw new Error('connection refused');
      return db.query(sql, params);
    },
    exec: async (sql) => {
      if (state.down) throw new Error('connection refused');
      return db.exec(sql);
    },
    close: async () => undefined,
  };
  return { db: wrapped, state };
}

describe('reads across replicas', () => {
  it('reads from a replica, falls back to the primary for a share the replica lacks (never a false 404), and one read per id at a time', async () => {
    const empty = await openPglite('memory://');
    const replica = switchable(empty);
    const { url, store } = await start({ replicas: [replica.db] });
    await new ShareStore({ primary: empty }).init(); // the replica has the schema, not the rows
    const { id } = (await (await upload(url, 'fresh')).json()) as { id: string };
    const reads = await Promise.all(Array.from({ length: 50 }, () => fetch(`${url}/v1/shares/${id}`)));
    expect(reads.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(store.stats.primary).toBe(1);
    expect(replica.state.queries).toBeGreaterThanOrEqual(1);
    await empty.close();
  });

  it('keeps reading when a replica goes down, and when the primary does; writes answer 503 then', async () => {
    const main = switchable(primary);
    const replica = switchable(primary); // a replica in step with the primary
    const { url, store } = await start({ db: main.db, replicas: [replica.db] });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(((await (await upload(url, `r${i}`)).json()) as { id: string }).id);
    replica.state.down = true;
    expect((await fetch(`${url}/v1/shares/${ids[0]}`)).status).toBe(200);
    replica.state.down = false;
    main.state.down = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const before = store.stats.replica;
    expect((await fetch(`${url}/v1/shares/${ids[1]}`)).status).toBe(200);
    const write = await upload(url, 'while the primary is down');
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    main.state.down = false;
    expect((await upload(url, 'after it came back')).status).toBe(201);
    expect(store.stats.replica).toBeGreaterThanOrEqual(before);
  });
});
