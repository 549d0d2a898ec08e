import { describe, expect, it } from 'vitest';
import { pairingProblems } from '../../../src/core/history';
import { userMessage } from '../../../src/core/items';
import { StoreError, toStoreError } from '../../../src/store/errors';
import { createSessionStore } from '../../../src/store/idb-session-store';
import { itemKey } from '../../../src/store/item-log';
import { assistant, call, countingDatabase, quotaDatabase, testClock, testDb, testStore, typicalItems } from '../../support/store-helpers';

describe('item log', () => {
  it('appends items one by one and loads them back in order', async () => {
    const { store } = await testStore();
    const session = await store.create({ model: 'gpt-5.1-codex' });
    const items = typicalItems(30);
    for (const item of items) await store.append(session.id, item);
    const loaded = await store.load(session.id);
    expect(loaded.items).toEqual(items);
    expect(loaded.problems).toEqual([]);
    expect(loaded.session.itemCount).toBe(30);
    expect(loaded.session.bytes).toBe(items.reduce((sum, item) => sum + new TextEncoder().encode(JSON.stringify(item)).length, 0));
  });

  it('keeps the order of appends that were not awaited one by one', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    const items = Array.from({ length: 40 }, (_, i) => assistant(`message ${i}`));
    await Promise.all(items.map((item) => store.append(id, item)));
    expect((await store.load(id)).items).toEqual(items);
  });

  it('keeps sessions apart, even when one id is a prefix of another', async () => {
    const env = testDb();
    const ids = ['a', 'ab', 'a:1'];
    let next = 0;
    const store = createSessionStore(await env.open(), { newId: () => ids[next++]!, now: testClock().now });
    for (const _ of ids) await store.create();
    for (const id of ids) for (let i = 0; i < 3; i++) await store.append(id, assistant(`${id}-${i}`));
    for (const id of ids) expect((await store.load(id)).items).toEqual([0, 1, 2].map((i) => assistant(`${id}-${i}`)));
  });

  it('costs the same requests per append at item 20 and at item 2000', async () => {
    const counting = { current: undefined as ReturnType<typeof countingDatabase> | undefined };
    const { store } = await testStore((db) => (counting.current = countingDatabase(db)).db);
    const c = counting.current!;
    const { id } = await store.create();
    const item = (i: number) => assistant(`reply number ${String(i).padStart(5, '0')}`);
    const measure = async (i: number) => {
      c.reset();
      await store.append(id, item(i));
      return { transactions: c.counts.transactions, requests: c.counts.requests, calls: [...c.counts.calls], putBytes: c.counts.putBytes };
    };
    for (let i = 0; i < 20; i++) await store.append(id, item(i));
    const at20 = await measure(20);
    for (let i = 21; i < 2000; i++) await store.append(id, item(i));
    const at2000 = await measure(2000);
    expect(at20.calls).toEqual(['sessions.get', 'items.put', 'sessions.put']);
    expect(at2000.transactions).toBe(at20.transactions);
    expect(at2000.requests).toBe(at20.requests);
    expect(at2000.calls).toEqual(at20.calls);
    // Bytes written per append stay flat too (only the counters in the index row grow a digit).
    expect(at2000.putBytes - at20.putBytes).toBeLessThanOrEqual(8);
    expect((await store.get(id)).itemCount).toBe(2001);
  }, 60_000);

  it('gives a call cut off by a crash its "aborted" output on load, without rewriting the log', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    const c = call('call_1', 'npm run dev');
    await store.append(id, userMessage('start the server'));
    await store.append(id, c);
    // The tab died here: the output was never written.
    const loaded = await store.load(id);
    expect(loaded.items.at(-1)).toEqual({ type: 'function_call_output', call_id: 'call_1', output: 'aborted' });
    expect(pairingProblems(loaded.items)).toEqual([]);
    expect(loaded.session.itemCount).toBe(2);
    // The next appends continue the log; loading again gives what the agent had.
    await store.append(id, userMessage('try again'));
    const again = await store.load(id);
    expect(again.items).toEqual([...loaded.items, userMessage('try again')]);
  });

  it('never truncates: an unreadable record is skipped with a problem, an odd item kept verbatim, and the rest loads', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    const items = Array.from({ length: 10 }, (_, i) => assistant(`m${i}`));
    for (const item of items) await store.append(id, item);
    await db.transact(['items'], 'readwrite', async (t) => {
      await t.items.put('garbage', itemKey(id, 5));
      await t.items.put({ type: 'message', role: 'robot', content: [{ type: 'output_audio', data: 'AAAA' }] }, itemKey(id, 7));
    });

    const loaded = await store.load(id, { repair: true });
    expect(loaded.items).toHaveLength(9);
    expect(loaded.items.slice(0, 5)).toEqual(items.slice(0, 5));
    expect(loaded.items[6]).toEqual({ type: 'message', role: 'robot', content: [{ type: 'output_audio', data: 'AAAA' }] });
    expect(loaded.items.at(-1)).toEqual(items[9]);
    expect(loaded.problems).toHaveLength(1);
    const [problem] = loaded.problems;
    expect(problem).toBeInstanceOf(StoreError);
    expect(problem!.kind).toBe('corrupt');
    expect(problem!.userMessage).toContain('ecord 6 of the conversation is not an object; it was skipped');
    // Loading (even with repair) deletes nothing: appends continue after the last record.
    expect((await store.get(id)).itemCount).toBe(10);
    await store.append(id, assistant('after'));
    const after = await store.load(id);
    expect(after.items.at(-1)).toEqual(assistant('after'));
    expect(after.items).toHaveLength(10);
  });

  it('reports a missing record and a count the log cannot back, and loads everything else', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    for (let i = 0; i < 6; i++) await store.append(id, assistant(`m${i}`));
    await db.transact(['items'], 'readwrite', (t) => t.items.delete(itemKey(id, 2)));
    const gap = await store.load(id);
    expect(gap.items).toHaveLength(5);
    expect(gap.problems.map((p) => p.userMessage).join(' ')).toContain('ecord 3 of the conversation is missing; it was skipped');

    const { id: short } = await store.create();
    await store.append(short, assistant('only'));
    await db.transact(['sessions'], 'readwrite', async (t) => t.sessions.put({ ...((await t.sessions.get(short)) as object), itemCount: 3 }, short));
    const cut = await store.load(short);
    expect(cut.items).toEqual([assistant('only')]);
    expect(cut.problems[0]!.userMessage).toContain('he last 2 records were never fully saved');
  });

  it('turns a full disk into a quota error and keeps the log and the row unchanged', async () => {
    let full = false;
    const { store } = await testStore((db) => quotaDatabase(db, (name) => full && name === 'sessions'));
    const { id } = await store.create();
    await store.append(id, assistant('saved'));
    full = true;
    const error = await store.append(id, assistant('lost')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('quota');
    expect((error as StoreError).userMessage).toMatch(/no more room/);
    full = false;
    // The item put succeeded before the row put failed; the transaction took both back.
    const loaded = await store.load(id);
    expect(loaded.items).toEqual([assistant('saved')]);
    expect(loaded.session.itemCount).toBe(1);
    await store.append(id, assistant('saved later'));
    expect((await store.load(id)).items).toEqual([assistant('saved'), assistant('saved later')]);
  });

  it('fails appends to a session that does not exist with not_found', async () => {
    const { store } = await testStore();
    await expect(store.append('nope', assistant('x'))).rejects.toMatchObject({ kind: 'not_found' });
    await expect(store.load('nope')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('turns a corrupt index row into a corrupt error on load', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    await db.transact(['sessions'], 'readwrite', (t) => t.sessions.put({ id, title: 42 }, id));
    await expect(store.load(id)).rejects.toMatchObject({ kind: 'corrupt' });
  });
});

describe('StoreError', () => {
  it.each([
    [new DOMException('full', 'QuotaExceededError'), 'quota'],
    [new DOMException('private mode', 'SecurityError'), 'unavailable'],
    [new DOMException('closing', 'InvalidStateError'), 'unavailable'],
    [new DOMException('disk', 'UnknownError'), 'unavailable'],
    [new TypeError('boom'), 'unknown'],
    ['a string', 'unknown'],
  ] as const)('maps %s to %s', (err, kind) => {
    const mapped = toStoreError(err);
    expect(mapped.kind).toBe(kind);
    expect(mapped.userMessage.length).toBeGreaterThan(20);
    expect(toStoreError(mapped)).toBe(mapped);
  });

  it('keeps the original error as the cause', () => {
    const original = new DOMException('full', 'QuotaExceededError');
    expect(toStoreError(original).cause).toBe(original);
  });
});
