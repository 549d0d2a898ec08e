import { IDBKeyRange, type IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import { emptySnapshot, type Snapshot } from '../../../src/sandbox/snapshot';
import { openDatabase } from '../../../src/store/db';
import { StoreError } from '../../../src/store/errors';
import { createSessionStore } from '../../../src/store/idb-session-store';
import { createStores, MIGRATIONS, SCHEMA_KEY, SCHEMA_VERSION, type Migration } from '../../../src/store/migrations';
import type { SessionMeta } from '../../../src/store/session-index';
import { assistant, plain, saveFiles, testDb } from '../../support/store-helpers';

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
      // Rows of that time had no workspace history yet: no `manifests` count.
      const row: Omit<SessionMeta, 'manifests'> = {
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
    expect(SCHEMA_VERSION).toBe(2);
    // Version 2's stores are there (a transaction over a missing store would fail).
    expect(
      await db.transact(['manifests', 'blobs', 'snapshots'], 'readonly', async (t) => [
        await t.manifests.getAll(),
        await t.blobs.getAll(),
        await t.snapshots.getAll(),
      ]),
    ).toEqual([[], [], []]);
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
    const error = await openDatabase({
      indexedDB: env.factory,
      keyRange: IDBKeyRange,
      migrations: [...MIGRATIONS, { version: SCHEMA_VERSION + 1, upgrade: () => {} }],
      blockedTimeoutMs: 50,
    }).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as StoreError).userMessage).toMatch(/Close or reload the other tabs/);
    stubborn.close();
  });

  it('steps aside when another tab upgrades, failing later calls as unavailable', async () => {
    const env = testDb();
    const first = await env.open();
    const upgraded = await env.open([...MIGRATIONS, { version: SCHEMA_VERSION + 1, upgrade: () => {} }]);
    await expect(first.transact(['sessions'], 'readonly', (t) => t.sessions.getAll())).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await upgraded.transact(['sessions'], 'readonly', (t) => t.sessions.getAll())).toEqual([]);
  });
});

/** The layout version 1 of the app created (before workspace manifests and blobs). */
const VERSION_1_STORES = ['meta', 'sessions', 'items', 'snapshots'];

/** A session as version 1 stored it: its log, and whole snapshots under [id, atItem] listed in the row. */
interface Version1Session {
  id: string;
  items: ResponseItem[];
  snapshots: { atItem: number; savedAt: number; snapshot: unknown }[];
}

async function version1Database(sessions: Version1Session[]) {
  const env = testDb();
  const old = await rawOpen(env.factory, 'unroll', 1, (db) => {
    for (const name of VERSION_1_STORES) db.createObjectStore(name);
  });
  const tx = old.transaction(VERSION_1_STORES, 'readwrite');
  tx.objectStore('meta').put({ version: 1, migratedAt: 1 }, SCHEMA_KEY);
  for (const session of sessions) {
    session.items.forEach((item, seq) => tx.objectStore('items').put(item, [session.id, seq]));
    for (const s of session.snapshots)
      tx.objectStore('snapshots').put({ snapshot: s.snapshot, atItem: s.atItem, savedAt: s.savedAt }, [session.id, s.atItem]);
    const row: Omit<SessionMeta, 'manifests'> = {
      id: session.id,
      title: `Session ${session.id}`,
      titleSource: 'user',
      createdAt: 100,
      updatedAt: 200,
      model: 'gpt-5.1-codex',
      itemCount: session.items.length,
      bytes: JSON.stringify(session.items).length + session.snapshots.reduce((sum, s) => sum + JSON.stringify(s.snapshot).length, 0),
      snapshots: session.snapshots.map((s) => ({ atItem: s.atItem, bytes: JSON.stringify(s.snapshot).length, savedAt: s.savedAt })),
    };
    tx.objectStore('sessions').put(row, session.id);
  }
  await done(tx);
  old.close();
  const db = await env.open(); // the current MIGRATIONS
  return { db, store: createSessionStore(db) };
}

function files(marker: string): Snapshot {
  return {
    ...emptySnapshot(),
    files: { 'README.md': `# ${marker}\n`, 'src/main.ts': `console.log(${JSON.stringify(marker)});\n` },
    binary: { 'logo.bin': 'AAEC/w==' }, // 00 01 02 ff: not text
    dirs: ['public'],
  };
}

describe('version 1 snapshots', () => {
  const items = [userMessage('make a page'), assistant('done'), userMessage('now a footer'), assistant('done too')];
  const v1: Version1Session = {
    id: 'v1',
    items,
    snapshots: [
      { atItem: 2, savedAt: 1_600_000_000_000, snapshot: files('first turn') },
      { atItem: 4, savedAt: 1_600_000_100_000, snapshot: files('second turn') },
    ],
  };

  async function raw(db: Awaited<ReturnType<typeof version1Database>>['db'], id: string) {
    return db.transact(['sessions', 'snapshots', 'manifests'], 'readonly', async (t) => ({
      row: (await t.sessions.get(id)) as Record<string, unknown>,
      snapshots: await t.snapshots.getAllKeys(),
      manifests: await t.manifests.getAllKeys(),
    }));
  }

  it('opening the database upgrades the layout to version 2 and keeps every session as it was', async () => {
    const { db, store } = await version1Database([v1]);
    expect(await db.transact(['meta'], 'readonly', (t) => t.meta.get(SCHEMA_KEY))).toMatchObject({ version: SCHEMA_VERSION });
    const { row, snapshots, manifests } = await raw(db, 'v1');
    expect(row).not.toHaveProperty('manifests');
    expect(snapshots).toEqual([
      ['v1', 2],
      ['v1', 4],
    ]);
    expect(manifests).toEqual([]);
    const listed = await store.list();
    expect(listed.problems).toEqual([]);
    expect(listed.sessions).toMatchObject([{ id: 'v1', itemCount: 4, manifests: 0, snapshots: [{ atItem: 2 }, { atItem: 4 }] }]);
  });

  it('a load without repair shows the newest snapshot as the workspace and changes nothing', async () => {
    const { db, store } = await version1Database([v1]);
    const before = await raw(db, 'v1');
    const loaded = await store.load('v1');
    expect(loaded.problems).toEqual([]);
    expect(loaded.items).toEqual(items);
    expect(loaded.workspace).toMatchObject({ n: 0, atRecord: 4, savedAt: 1_600_000_100_000 });
    expect(loaded.manifests.records).toMatchObject([{ n: 0, atRecord: 4, reason: 'migrate', base: true }]);
    const read = await store.readFiles(loaded.workspace!);
    expect(read.missing).toEqual([]);
    expect(plain(read.snapshot)).toEqual(files('second turn'));
    expect(await raw(db, 'v1')).toEqual(before);
  });

  it('a load with repair turns the newest snapshot into manifest 0 and deletes the old snapshots', async () => {
    const { db, store } = await version1Database([v1, { ...v1, id: 'v1-other' }]);
    const loaded = await store.load('v1', { repair: true });
    expect(loaded.problems).toEqual([]);
    expect(loaded.items).toEqual(items);
    expect(loaded.session).toMatchObject({ manifests: 1, snapshots: [] });
    expect(loaded.manifests.records).toEqual([
      expect.objectContaining({ n: 0, atRecord: 4, savedAt: 1_600_000_100_000, reason: 'migrate', base: true, dirs: ['public'] }),
    ]);
    expect(Object.keys(loaded.manifests.records[0]!.files).sort()).toEqual(['README.md', 'logo.bin', 'src/main.ts']);
    expect(plain((await store.readFiles(loaded.workspace!)).snapshot)).toEqual(files('second turn'));

    const after = await raw(db, 'v1');
    expect(after.snapshots).toEqual([
      ['v1-other', 2],
      ['v1-other', 4],
    ]); // the other session is converted when it is opened
    expect(after.manifests).toEqual([['v1', 0]]);
    expect(after.row).toMatchObject({ manifests: 1, snapshots: [] });

    // Loading again reads the manifest; repairing again changes nothing.
    const again = await store.load('v1', { repair: true });
    expect(again.manifests.records).toEqual(loaded.manifests.records);
    expect(plain((await store.readFiles(again.workspace!)).snapshot)).toEqual(files('second turn'));
    expect(await raw(db, 'v1')).toEqual(after);

    // The session goes on as a version 2 one: the next save is manifest 1, against manifest 0.
    await store.append('v1', userMessage('and a header'));
    const saved = await saveFiles(store, 'v1', { ...files('second turn'), files: { ...files('second turn').files, 'README.md': '# header\n' } });
    expect(saved.manifest).toMatchObject({ n: 1, atRecord: 5 });
    const next = await store.load('v1');
    expect(next.manifests.records[1]).toMatchObject({ n: 1, base: false, files: { 'README.md': expect.objectContaining({ size: 9 }) } });
    expect((await store.readFiles(next.workspace!)).snapshot.files['src/main.ts']).toBe('console.log("second turn");\n');
  });

  it('an unconverted session duplicates, forks and exports with its files', async () => {
    // The sessions list offers these without opening the session (so without repair).
    const { store } = await version1Database([v1]);
    const copy = await store.duplicate('v1');
    expect((await store.load(copy.id)).items).toEqual(items);
    const copied = await store.readFiles((await store.load(copy.id)).workspace!);
    expect(copied.missing).toEqual([]);
    expect(plain(copied.snapshot)).toEqual(files('second turn'));

    const fork = await store.fork('v1', 4);
    const forked = await store.readFiles((await store.load(fork.id)).workspace!);
    expect(forked.missing).toEqual([]);
    expect(plain(forked.snapshot)).toEqual(files('second turn'));

    const exported = await store.exportSession('v1');
    const imported = await store.importSession(exported);
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    expect(plain((await store.readFiles((await store.load(imported.session.id)).workspace!)).snapshot)).toEqual(files('second turn'));
  });

  it('falls back to the older snapshot when the newest is unreadable, saying so', async () => {
    const { db, store } = await version1Database([{ ...v1, snapshots: [v1.snapshots[0]!, { ...v1.snapshots[1]!, snapshot: { format: 'zip' } }] }]);
    const loaded = await store.load('v1', { repair: true });
    expect(loaded.items).toEqual(items);
    expect(loaded.problems.map((p) => p.kind)).toEqual(['corrupt']);
    expect(loaded.problems[0]!.userMessage).toMatch(/workspace saved after item 4 is invalid/);
    expect(loaded.manifests.records).toMatchObject([{ n: 0, atRecord: 2, reason: 'migrate' }]);
    expect(plain((await store.readFiles(loaded.workspace!)).snapshot)).toEqual(files('first turn'));
    expect((await raw(db, 'v1')).snapshots).toEqual([]);
  });

  it('a version 1 session without snapshots loads with no workspace, and repair writes nothing', async () => {
    const { db, store } = await version1Database([{ id: 'bare', items, snapshots: [] }]);
    const before = await raw(db, 'bare');
    const loaded = await store.load('bare', { repair: true });
    expect(loaded.items).toEqual(items);
    expect(loaded.workspace).toBeNull();
    expect(loaded.problems).toEqual([]);
    expect(await raw(db, 'bare')).toEqual(before);
  });
});
