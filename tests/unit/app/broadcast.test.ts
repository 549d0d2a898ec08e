/**
 * A live session through the real share service (server/, over HTTP, PGlite): the broadcaster
 * sends the session each time it grows, a failed send goes again with the same bytes (no
 * duplicate, no gap), and a follower shows the newest, decrypted and checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userMessage } from '../../../src/core/items';
import { Broadcast, followBroadcast } from '../../../src/app/broadcast';
import { parseServiceLink } from '../../../src/app/share-links';
import { buildDocument, type SessionDocument } from '../../../src/store/export';
import { newRow } from '../../../src/store/session-index';
import { startShareService, type RunningService } from '../../../server/tests/serve';
import { assistant } from '../../support/store-helpers';

let running: RunningService;

beforeAll(async () => {
  running = await startShareService();
}, 60_000);

afterAll(() => running.close());

describe('a live broadcast', () => {
  it('sends each growth once, retries with the same bytes after a failure, and a follower sees the newest', async () => {
    const log: unknown[] = [userMessage('first question'), assistant('first answer')];
    const document = (): SessionDocument => buildDocument(newRow('live', 1), [...log], null);
    let failNext = false;
    const sent: { seq: string | null; body: number }[] = [];
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).includes('/chunks') && init?.method === 'POST') {
        sent.push({ seq: new Headers(init.headers).get('x-chunk-seq'), body: (init.body as Uint8Array).byteLength });
        if (failNext) {
          failNext = false;
          throw new TypeError('network down');
        }
      }
      return fetch(input, init);
    };
    const problems: string[] = [];
    const broadcast = await Broadcast.start('https://unroll.example/', {
      service: running.url,
      load: async () => document(),
      fetch: flaky,
      intervalMs: 60_000,
      onProblem: (p) => problems.push(p),
    });
    const link = parseServiceLink(new URL(broadcast.url).hash);
    if (!link || 'problem' in link) throw new Error('not a link');
    expect(link.live).toBe(true);

    const shown: string[][] = [];
    const follow = new AbortController();
    const following = followBroadcast({ id: link.id, key: link.key, base: running.url }, (doc) => shown.push(doc.log.map((r) => JSON.stringify(r))), {
      signal: follow.signal,
      waitSeconds: 5,
    });

    await broadcast.tick(); // nothing new: nothing sent
    expect(sent).toEqual([]);
    log.push(userMessage('second question'));
    failNext = true;
    await broadcast.tick(); // fails
    expect(problems[0]).toContain('could not be reached');
    await broadcast.tick(); // the same chunk again
    expect(sent.map((s) => s.seq)).toEqual(['1', '1']);
    expect(sent[0]!.body).toBe(sent[1]!.body);
    log.push(assistant('second answer'));
    await broadcast.tick();
    expect(sent.map((s) => s.seq)).toEqual(['1', '1', '2']);

    for (let i = 0; i < 100 && !(shown.at(-1) ?? []).some((r) => r.includes('second answer')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(shown.at(-1)!.some((r) => r.includes('second answer'))).toBe(true);
    broadcast.stop();
    follow.abort();
    await following;
  });
});

describe('following a broadcast', () => {
  it('reconnects after failed waits from the last chunk it has, and stops when the broadcast ends', async () => {
    const log: unknown[] = [userMessage('q1')];
    const broadcast = await Broadcast.start('https://unroll.example/', {
      service: running.url,
      load: async () => buildDocument(newRow('live', 1), [...log], null),
      intervalMs: 60_000,
    });
    const link = parseServiceLink(new URL(broadcast.url).hash) as { id: string; key: string };
    let failures = 2;
    const afters: string[] = [];
    const dropping: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes('/chunks?')) {
        afters.push(new URL(url).searchParams.get('after') ?? '');
        if (failures > 0) {
          failures--;
          throw new TypeError('connection reset');
        }
      }
      return fetch(input, init);
    };
    const shown: number[] = [];
    let ended = false;
    const following = followBroadcast({ ...link, base: running.url }, (doc) => shown.push(doc.log.length), {
      signal: new AbortController().signal,
      fetch: dropping,
      waitSeconds: 5,
      retryMs: 20,
      onEnded: () => (ended = true),
    });
    log.push(assistant('a1'));
    await broadcast.tick();
    for (let i = 0; i < 100 && shown.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(shown.at(-1)).toBe(2);
    expect(afters.slice(0, 3)).toEqual(['0', '0', '0']); // two dropped waits, then the same one again
    broadcast.stop();
    await following;
    expect(ended).toBe(true);
    expect(afters.at(-1)).toBe('1');
  });
});
