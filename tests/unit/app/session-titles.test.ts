/**
 * Sessions made from other sessions say so in their titles (copy, fork, imported) without
 * stacking marks, and the read-only view of a share link counts every file its fork brings.
 */
import { describe, expect, it } from 'vitest';
import { userMessage } from '../../../src/core/items';
import { sharedFilesSummary, sharedView } from '../../../src/app/session-documents';
import { emptySnapshot, toBase64, type Snapshot } from '../../../src/sandbox/snapshot';
import { serializeDocument } from '../../../src/store/export';
import type { SessionStore } from '../../../src/store/session-store';
import { markedTitle } from '../../../src/store/title';
import { oneTabLocks, sessionsTab } from '../../support/sessions-tab';
import { assistant, saveFiles, testStore } from '../../support/store-helpers';

/** Sessions of a single tab (every session lock granted) over `store`. */
function sessionsOn(store: SessionStore) {
  return sessionsTab(store, { lockProvider: oneTabLocks(), memory: null, saveDelayMs: 5 }).sessions;
}

/** A stored session titled `title` (by its first message) with `files` in its workspace. */
async function storedSession(store: SessionStore, title: string, files: Snapshot = emptySnapshot()) {
  const meta = await store.create({ model: 'gpt-5.1' });
  await store.append(meta.id, userMessage(title));
  await store.append(meta.id, assistant('done'));
  await saveFiles(store, meta.id, files);
  return meta.id;
}

describe('markedTitle', () => {
  it('adds one mark, and replaces a mark the title already ends with instead of stacking', () => {
    expect(markedTitle('Fix the build', 'fork')).toBe('Fix the build (fork)');
    expect(markedTitle('Fix the build (fork)', 'fork')).toBe('Fix the build (fork)');
    expect(markedTitle('Fix the build (copy)', 'imported')).toBe('Fix the build (imported)');
    expect(markedTitle('Fix the build (imported)', 'copy')).toBe('Fix the build (copy)');
    // Only a mark at the very end is one.
    expect(markedTitle('Why (fork) failed', 'copy')).toBe('Why (fork) failed (copy)');
  });
});

describe('titles of sessions made from other sessions', () => {
  it('a copy of a copy and a fork of a fork keep one mark', async () => {
    const { store } = await testStore();
    const id = await storedSession(store, 'Fix the build');
    const copy = await store.duplicate(id);
    expect(copy.title).toBe('Fix the build (copy)');
    expect((await store.duplicate(copy.id)).title).toBe('Fix the build (copy)');
    const fork = await store.fork(id, 1);
    expect(fork.title).toBe('Fix the build (fork)');
    expect((await store.fork(fork.id, 1)).title).toBe('Fix the build (fork)');
  });

  it('an imported session is titled "… (imported)", also when imported again', async () => {
    const { store } = await testStore();
    const id = await storedSession(store, 'Fix the build');
    const sessions = sessionsOn(store);
    expect(await sessions.importText(serializeDocument(await store.exportSession(id)))).toEqual([]);
    expect(sessions.current?.title).toBe('Fix the build (imported)');
    expect(await sessions.importText(serializeDocument(await store.exportSession(sessions.current!.id)))).toEqual([]);
    expect(sessions.current?.title).toBe('Fix the build (imported)');
    await sessions.close();
  });

  it('an untitled session stays "New session" when imported', async () => {
    const { store } = await testStore();
    const untitled = await store.create({ model: 'gpt-5.1' });
    const sessions = sessionsOn(store);
    expect(await sessions.importText(serializeDocument(await store.exportSession(untitled.id)))).toEqual([]);
    expect(sessions.current?.title).toBe('New session');
    await sessions.close();
  });

  it('forking a share link gives "… (fork)", and the source keeps its title', async () => {
    const mine = await testStore();
    const id = await storedSession(mine.store, 'Fix the build');
    const link = await sessionsOn(mine.store).sharing.share(id, 'https://unroll.test/');

    const theirs = await testStore();
    const sessions = sessionsOn(theirs.store);
    expect(await sessions.openLink(new URL(link!.url).hash)).toBe(true);
    expect(sessions.shared?.title).toBe('Fix the build');
    await sessions.forkShared();
    expect(sessions.shared).toBeNull();
    expect(sessions.current?.title).toBe('Fix the build (fork)');
    expect((await theirs.store.list()).sessions.map((s) => s.title)).toEqual(['Fix the build (fork)']);
    await sessions.close();
  });
});

describe('the shared view of a link', () => {
  it('counts binary files with the text files, and says how many are binary', async () => {
    const { store } = await testStore();
    const files: Snapshot = {
      ...emptySnapshot(),
      files: { 'README.md': '# hi\n', 'src/main.js': 'console.log(1);\n' },
      binary: { 'assets/logo.png': toBase64(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])) },
    };
    const id = await storedSession(store, 'With a logo', files);
    const view = sharedView(await store.exportSession(id));
    expect(view.files).toEqual(['README.md', 'assets/logo.png', 'src/main.js']);
    expect(view.binary).toEqual(['assets/logo.png']);
    expect(sharedFilesSummary(view)).toBe('3 files (1 binary)');
    expect(sharedFilesSummary({ files: ['a.txt'], binary: [] })).toBe('1 file');
  });
});
