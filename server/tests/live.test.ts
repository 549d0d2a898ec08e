/**
 * Live shares over real HTTP with PGlite: chunks appended in order with the write token, no
 * gaps or duplicates under retries, and followers that get new chunks at once (long poll).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShareService, type RunningService } from './serve';

let service: RunningService;
let url = '';

beforeAll(async () => {
  service = await startShareService();
  url = service.url;
}, 60_000);

afterAll(() => service.close());

const bytes = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

async function live(): Promise<{ id: string; writeToken: string }> {
  const response = await fetch(`${url}/v1/shares?live=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes('start'),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; writeToken: string };
}

const append = (id: string, token: string, seq: number, body: string) =>
  fetch(`${url}/v1/shares/${id}/chunks`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}`, 'x-chunk-seq': String(seq) },
    body: bytes(body),
  });

async function follow(id: string, after: number, wait = 0): Promise<{ seq: number; text: string }[]> {
  const response = await fetch(`${url}/v1/shares/${id}/chunks?after=${after}&wait=${wait}`);
  expect(response.status).toBe(200);
  const { chunks } = (await response.json()) as { chunks: { seq: number; data: string }[] };
  return chunks.map((c) => ({ seq: c.seq, text: Buffer.from(c.data, 'base64').toString() }));
}

describe('live shares', () => {
  it('appends chunks in order with the write token, and a retry of a stored chunk is accepted again', async () => {
    const { id, writeToken } = await live();
    expect((await append(id, writeToken, 1, 'one')).status).toBe(201);
    expect((await append(id, writeToken, 2, 'two')).status).toBe(201);
    expect((await append(id, writeToken, 2, 'two')).status).toBe(200);
    expect(await follow(id, 0)).toEqual([
      { seq: 1, text: 'one' },
      { seq: 2, text: 'two' },
    ]);
    expect(await follow(id, 1)).toEqual([{ seq: 2, text: 'two' }]);
  });

  it('refuses gaps, other bytes under a taken number, a wrong token and a share that is not live', async () => {
    const { id, writeToken } = await live();
    const gap = await append(id, writeToken, 2, 'skips one');
    expect(gap.status).toBe(409);
    expect(((await gap.json()) as { error: { message: string } }).error.message).toContain('the next one is 1');
    expect((await append(id, writeToken, 1, 'first')).status).toBe(201);
    expect((await append(id, writeToken, 1, 'other bytes')).status).toBe(409);
    expect((await append(id, 'wrong', 2, 'x')).status).toBe(403);
    const plain = (await (
      await fetch(`${url}/v1/shares`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes('x') })
    ).json()) as { id: string; writeToken?: string };
    expect(plain.writeToken).toBeUndefined();
    expect((await append(plain.id, writeToken, 1, 'x')).status).toBe(403);
    expect(await follow(id, 0)).toEqual([{ seq: 1, text: 'first' }]);
  });

  it('keeps concurrent writers of one number from both succeeding: no duplicates, no gaps', async () => {
    const { id, writeToken } = await live();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => append(id, writeToken, 1, `writer ${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await follow(id, 0)).toHaveLength(1);
  });

  it('wakes a waiting follower as soon as a chunk arrives', async () => {
    const { id, writeToken } = await live();
    const started = Date.now();
    const waiting = follow(id, 0, 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await append(id, writeToken, 1, 'news');
    expect(await waiting).toEqual([{ seq: 1, text: 'news' }]);
    expect(Date.now() - started).toBeLessThan(15_000); // woken by the chunk, not by the 20 s wait
  });
});

describe('ending a live share', () => {
  it('tells waiting followers at once, and later ones at once, that no more chunks come', async () => {
    const { id, writeToken } = await live();
    expect((await append(id, writeToken, 1, 'last words')).status).toBe(201);
    const waiting = fetch(`${url}/v1/shares/${id}/chunks?after=1&wait=20`).then((r) => r.json() as Promise<{ chunks: unknown[]; ended: boolean }>);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${url}/v1/shares/${id}/end`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
    expect((await fetch(`${url}/v1/shares/${id}/end`, { method: 'POST', headers: { authorization: `Bearer ${writeToken}` } })).status).toBe(204);
    expect(await waiting).toEqual({ chunks: [], ended: true });
    const later = (await (await fetch(`${url}/v1/shares/${id}/chunks?after=0&wait=20`)).json()) as { chunks: unknown[]; ended: boolean };
    expect(later.chunks).toHaveLength(1);
    expect(later.ended).toBe(false); // chunks still to read first
    expect(await (await fetch(`${url}/v1/shares/${id}/chunks?after=1&wait=20`)).json()).toEqual({ chunks: [], ended: true });
  });
});
