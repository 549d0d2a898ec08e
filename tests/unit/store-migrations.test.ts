import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { userMessage, type ResponseItem } from '../../src/core/items';
import { openDatabase } from '../../src/store/db';
import { StoreError } from '../../src/store/errors';
import { createSessionStore } from '../../src/store/idb-session-store';
import { createStores, MIGRATIONS, SCHEMA_KEY, SCHEMA_VERSION, type Migration } from '../../src/store/migrations';
import type { SessionMeta } from '../../src/store/session-index';
import { assistant, testDb } from './store-helpers';

function rawOpen(factory: IDBFactory, name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = version === undefined ? factory.open(name) : factory.open(name, version);
    request.onupgradeneeded = () => upgrade?.(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** The layout an early build used: whole conversations in one idb-keyval-style store. */
interface LegacySession {
  id: string;
  name: string;
  created: number;
  conversation: ResponseItem[];
}

const legacyLayout: Migration = { version: 1, upgrade: (db) => void db.createObjectStore('sessions') };

/** Splits each whole conversation into the item log and rewrites the row as an index row. */
const splitIntoLog: Migration = {
  version: 2,
  upgrade(db, tx) {
    createStores(db);
    const items = tx.objectStore('items');
    const cursorRequest = tx.objectStore('sessions').openCursor();
    cursorRequest.onsuccess = () => {
      const cursor = cursorRequest.result;
      if (!cursor) return;
      const old = cursor.value as LegacySession;
      old.conversation.forEach((item, seq) => items.put(item, [old.id, seq]));
      const row: SessionMeta = {
        id: old.id,
        title: old.name,
        titleSource: 'user',
        createdAt: old.created,
        updatedAt: old.created,
        model: '',
        itemCount: old.conversation.length,
        bytes: JSON.stringify(old.conversation).length,
        snapshots: [],
      };
      cursor.update(row);
      cursor.continue();
    };
  },
};

describe('schema and migrations', () => {
  it('creates the current layout and records its version on first open', async () => {
    const env = testDb();
    const db = await env.open();
    const meta = await db.transact(['meta'], 'readonly', (t) => t.meta.get(SCHEMA_KEY));
    expect(meta).toMatchObject({ version: SCHEMA_VERSION });
    expect(MIGRATIONS.at(-1)?.version).toBe(SCHEMA_VERSION);
    db.close();
    // Opening again runs nothing and keeps the data.
    const again = await env.open();
    expect(await again.transact(['meta'], 'readonly', (t) => t.meta.get(SCHEMA_KEY))).toEqual(meta);
  });

  it('upgrades a fake older layout (whole conversations in one store) into the item log', async () => {
    const env = testDb();
    const legacy = await rawOpen(env.factory, 'unroll', 1, (db) => legacyLayout.upgrade(db, undefined as never));
    const tx = legacy.transaction('sessions', 'readwrite');
    const conversation = [userMessage('hello'), assistant('hi there'), userMessage('bye')];
    tx.objectStore('sessions').put({ id: 'old-1', name: 'From the old days', created: 5, conversation } satisfies LegacySession, 'old-1');
    tx.objectStore('sessions').put({ id: 'old-2', name: 'Empty one', created: 9, conversation: [] } satisfies LegacySession, 'old-2');
    await done(tx);
    legacy.close();

    const db = await env.open([legacyLayout, splitIntoLog]);
    expect(await db.transact(['meta'], 'readonly', (t) => t.meta.get(SCHEMA_KEY))).toMatchObject({ version: 2 });
    const store = createSessionStore(db);
    const { sessions, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(sessions.map((s) => [s.id, s.title, s.itemCount])).toEqual([
      ['old-2', 'Empty one', 0],
      ['old-1', 'From the old days', 3],
    ]);
    expect((await store.load('old-1')).items).toEqual(conversation);
    // And the upgraded session keeps working as a log.
    await store.append('old-1', assistant('still here'));
    expect((await store.load('old-1')).items).toHaveLength(4);
  });

  it('runs only the steps newer than the stored version, in order', async () => {
    const env = testDb();
    const ran: string[] = [];
    const step = (version: number): Migration => ({
      version,
      upgrade: (db) => {
        ran.push(`v${version}`);
        if (version === 1) createStores(db);
      },
    });
    (await env.open([step(1)])).close();
    expect(ran).toEqual(['v1']);
    // Listed out of order on purpose: the runner sorts by version.
    const db = await env.open([step(3), step(1), step(2)]);
    expect(ran).toEqual(['v1', 'v2', 'v3']);
    expect(await db.transact(['meta'], 'readonly', (t) => t.meta.get(SCHEMA_KEY))).toMatchObject({ version: 3 });
  });

  it('refuses a database written by a newer version, saying what to do', async () => {
    const env = testDb();
    await rawOpen(env.factory, 'unroll', 7, (db) => createStores(db)).then((db) => db.close());
    const error = await env.open().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as StoreError).userMessage).toMatch(/newer version of Unroll/);
  });

  it('reports storage that is missing or refused as unavailable', async () => {
    await expect(openDatabase({ indexedDB: undefined, keyRange: IDBKeyRange })).rejects.toMatchObject({ kind: 'unavailable' });
    const refusing = {
      open: () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const error = await openDatabase({ indexedDB: refusing, keyRange: IDBKeyRange }).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as StoreError).userMessage).toMatch(/private browsing/);
  });

  it('gives up with a clear message when another tab blocks the upgrade', async () => {
    const env = testDb();
    const stubborn = await rawOpen(env.factory, 'unroll', 1, (db) => createStores(db)); // never closes on versionchange
    const error = await openDatabase({ indexedDB: env.factory, keyRange: IDBKeyRange, migrations: [...MIGRATIONS, { version: 2, upgrade: () => {} }], blockedTimeoutMs: 50 }).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as StoreError).userMessage).toMatch(/Close or reload the other tabs/);
    stubborn.close();
  });

  it('steps aside when another tab upgrades, failing later calls as unavailable', async () => {
    const env = testDb();
    const first = await env.open();
    const upgraded = await env.open([...MIGRATIONS, { version: 2, upgrade: () => {} }]);
    await expect(first.transact(['sessions'], 'readonly', (t) => t.sessions.getAll())).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await upgraded.transact(['sessions'], 'readonly', (t) => t.sessions.getAll())).toEqual([]);
  });
});
