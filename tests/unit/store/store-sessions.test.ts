import { describe, expect, it } from 'vitest';
import { developerMessage, userMessage } from '../../../src/core/items';
import { emptySnapshot, type Snapshot } from '../../../src/sandbox/snapshot';
import { autoTitle, DEFAULT_TITLE, MAX_TITLE_CHARS, titleFromText } from '../../../src/store/title';
import { stateFromSnapshot } from '../../../src/store/manifests';
import { assistant, call, filesOf, plain, saveFiles, testStore } from '../../support/store-helpers';

function stateAndBlobs(snapshot: Snapshot) {
  const { state, blobs } = stateFromSnapshot(snapshot);
  return { next: state, blobs };
}

function workspace(marker: string): Snapshot {
  return { ...emptySnapshot(), files: { 'README.md': `# ${marker}\n` } };
}

describe('session index', () => {
  it('lists sessions most recently updated first, without their items', async () => {
    const { store } = await testStore();
    const a = await store.create({ title: 'Alpha' });
    const b = await store.create({ title: 'Beta' });
    const c = await store.create({ title: 'Gamma' });
    await store.append(a.id, assistant('touch a'));
    const { sessions, problems } = await store.list();
    expect(problems).toEqual([]);
    expect(sessions.map((s) => s.title)).toEqual(['Alpha', 'Gamma', 'Beta']);
    expect(sessions[0]).not.toHaveProperty('items');
    expect(sessions.map((s) => s.id)).toEqual([a.id, c.id, b.id]);
  });

  it('searches titles case-insensitively', async () => {
    const { store } = await testStore();
    await store.create({ title: 'Fix the Login form' });
    await store.create({ title: 'Dark mode' });
    await store.create({ title: 'LOGIN rate limits' });
    expect((await store.list({ query: 'login' })).sessions.map((s) => s.title).sort()).toEqual(['Fix the Login form', 'LOGIN rate limits']);
    expect((await store.list({ query: '  DARK ' })).sessions.map((s) => s.title)).toEqual(['Dark mode']);
    expect((await store.list({ query: 'nothing' })).sessions).toEqual([]);
  });

  it('reports an unreadable index row and lists the rest', async () => {
    const { store, db } = await testStore();
    await store.create({ title: 'Fine' });
    await db.transact(['sessions'], 'readwrite', (t) => t.sessions.put('garbage', 'broken'));
    const { sessions, problems } = await store.list();
    expect(sessions.map((s) => s.title)).toEqual(['Fine']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.kind).toBe('corrupt');
    expect(problems[0]!.userMessage).toContain('"broken"');
  });

  it('titles a session from the first message the person typed, skipping engine context', async () => {
    const { store } = await testStore();
    const { id, title } = await store.create({ model: 'gpt-5.1' });
    expect(title).toBe(DEFAULT_TITLE);
    await store.append(id, developerMessage('<permissions instructions>…</permissions instructions>'));
    await store.append(id, userMessage('<environment_context>\n  <cwd>/w</cwd>\n</environment_context>'));
    expect((await store.get(id)).title).toBe(DEFAULT_TITLE);
    await store.append(id, userMessage('  Add a dark mode toggle\nto the header  '));
    expect(await store.get(id)).toMatchObject({ title: 'Add a dark mode toggle to the header', titleSource: 'auto' });
    await store.append(id, userMessage('second message'));
    expect((await store.get(id)).title).toBe('Add a dark mode toggle to the header');
  });

  it('renames without reordering, and a user title is never replaced automatically', async () => {
    const { store } = await testStore();
    const a = await store.create();
    const b = await store.create();
    const renamed = await store.rename(a.id, '  Release notes  ');
    expect(renamed).toMatchObject({ title: 'Release notes', titleSource: 'user', updatedAt: a.updatedAt });
    await store.append(a.id, userMessage('write the release notes'));
    expect((await store.get(a.id)).title).toBe('Release notes');
    expect((await store.rename(b.id, '   ')).titleSource).toBe('default');
    expect((await store.setModel(b.id, 'gpt-5.1-codex-mini')).model).toBe('gpt-5.1-codex-mini');
  });

  it('deletes to the trash, undoes, and purges only what was deleted long enough ago', async () => {
    const { store, clock } = await testStore();
    const keep = await store.create({ title: 'keep' });
    const old = await store.create({ title: 'old' });
    const recent = await store.create({ title: 'recent' });
    await store.append(old.id, assistant('old item'));
    await saveFiles(store, old.id, workspace('old'));

    const deletedOld = await store.delete(old.id);
    expect(deletedOld.deletedAt).toBeDefined();
    expect((await store.list()).sessions.map((s) => s.title)).toEqual(['recent', 'keep']);
    expect((await store.list({ deleted: 'only' })).sessions.map((s) => s.title)).toEqual(['old']);

    const cutoff = clock.peek() + 1;
    clock.set(cutoff + 10_000);
    await store.delete(recent.id);
    const restored = await store.undoDelete(recent.id);
    expect(restored.deletedAt).toBeUndefined();
    await store.delete(recent.id);

    expect(await store.purgeDeleted(cutoff)).toBe(1);
    await expect(store.load(old.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await store.list({ deleted: 'include' })).sessions.map((s) => s.title).sort()).toEqual(['keep', 'recent']);
    expect(await store.purgeDeleted(Infinity)).toBe(1);
    expect((await store.list({ deleted: 'include' })).sessions.map((s) => s.id)).toEqual([keep.id]);
  });

  it('purging leaves no records behind, even for sessions whose ids share a prefix', async () => {
    const { store, db } = await testStore();
    const a = await store.create();
    const b = await store.create();
    for (const id of [a.id, b.id]) {
      await store.append(id, assistant(id));
      await saveFiles(store, id, workspace(id));
    }
    await store.delete(a.id);
    await store.purgeDeleted(Infinity);
    const counts = await db.transact(['items', 'manifests'], 'readonly', async (t) => [
      (await t.items.getAllKeys()).length,
      (await t.manifests.getAllKeys()).length,
    ]);
    expect(counts).toEqual([1, 1]);
    // The purged session's file is no longer named by any manifest: the next collection deletes it.
    expect(await store.collectGarbage()).toBe(1);
    expect(plain(await filesOf(store, b.id))).toEqual(workspace(b.id));
    expect((await store.load(b.id)).items).toEqual([assistant(b.id)]);
  });
});

describe('workspace history', () => {
  it('records a manifest per save linked to the log position, and loads the newest', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    for (let turn = 1; turn <= 4; turn++) {
      await store.append(id, userMessage(`turn ${turn}`));
      await store.append(id, assistant(`done ${turn}`));
      await saveFiles(store, id, workspace(`turn ${turn}`));
    }
    const loaded = await store.load(id);
    expect(loaded.manifests.records.map((r) => [r.n, r.atRecord])).toEqual([
      [0, 2],
      [1, 4],
      [2, 6],
      [3, 8],
    ]);
    expect(loaded.workspace).toMatchObject({ n: 3, atRecord: 8 });
    expect(plain((await store.readFiles(loaded.workspace!)).snapshot)).toEqual(workspace('turn 4'));
    // Every earlier state is still there.
    expect(plain((await store.readFiles(loaded.manifests.atRecord(5)!)).snapshot)).toEqual(workspace('turn 2'));
  });

  it('records no manifest when nothing changed', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    const first = await saveFiles(store, id, workspace('a'));
    expect(first.manifest?.n).toBe(0);
    const again = await saveFiles(store, id, workspace('a'));
    expect(again.manifest?.n).toBe(0);
    expect((await store.get(id)).manifests).toBe(1);
  });

  it('counts the newest workspace in the session size', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    await saveFiles(store, id, workspace('a'));
    const { session } = await saveFiles(store, id, workspace('bb'));
    expect(session.bytes).toBe('# bb\n'.length);
  });

  it('skips an unreadable manifest with a problem and keeps the rest of the history', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    await saveFiles(store, id, workspace('first'));
    await store.append(id, assistant('two'));
    await saveFiles(store, id, workspace('second'));
    await db.transact(['manifests'], 'readwrite', (t) => t.manifests.put({ n: 1, files: 'zip' }, [id, 1]));
    const loaded = await store.load(id);
    expect(plain((await store.readFiles(loaded.workspace!)).snapshot)).toEqual(workspace('first'));
    expect(loaded.problems.map((p) => p.kind)).toEqual(['corrupt']);
  });
});

describe('duplicate and fork', () => {
  async function sessionWithTurns() {
    const ctx = await testStore();
    const { store } = ctx;
    const { id } = await store.create({ title: 'Original', model: 'gpt-5.1' });
    const c = call('c1', 'ls');
    const items = [userMessage('first'), c, { type: 'function_call_output' as const, call_id: 'c1', output: 'a b' }, assistant('one')];
    for (const item of items) await store.append(id, item);
    await saveFiles(store, id, workspace('after turn 1'));
    const more = [userMessage('second'), assistant('two')];
    for (const item of more) await store.append(id, item);
    await saveFiles(store, id, workspace('after turn 2'));
    return { ...ctx, id, items: [...items, ...more] };
  }

  it('duplicates items, newest snapshot and model under a new id', async () => {
    const { store, id, items } = await sessionWithTurns();
    const copy = await store.duplicate(id);
    expect(copy.id).not.toBe(id);
    expect(copy).toMatchObject({ title: 'Original (copy)', model: 'gpt-5.1', itemCount: 6 });
    expect(copy.forkedFrom).toBeUndefined();
    const loaded = await store.load(copy.id);
    expect(loaded.items).toEqual(items);
    expect(plain(await filesOf(store, copy.id))).toEqual(workspace('after turn 2'));
    await store.append(copy.id, assistant('only in the copy'));
    expect((await store.load(id)).items).toEqual(items);
  });

  it('forks from an item index with the snapshot taken at or before it', async () => {
    const { store, id, items } = await sessionWithTurns();
    const fork = await store.fork(id, 5);
    expect(fork).toMatchObject({ title: 'Original (fork)', forkedFrom: { sessionId: id, seq: 5 }, itemCount: 5 });
    const loaded = await store.load(fork.id);
    expect(loaded.items).toEqual(items.slice(0, 5));
    expect(loaded.workspace).toMatchObject({ atRecord: 4 });
    expect(plain(await filesOf(store, fork.id))).toEqual(workspace('after turn 1'));

    const early = await store.fork(id, 2);
    const earlyLoaded = await store.load(early.id);
    expect(earlyLoaded.workspace).toBeNull();
    // Cutting between a call and its output: the fork loads with an "aborted" output.
    expect(earlyLoaded.items.at(-1)).toEqual({ type: 'function_call_output', call_id: 'c1', output: 'aborted' });

    const empty = await store.fork(id, 0);
    expect((await store.load(empty.id)).items).toEqual([]);
    await expect(store.fork(id, 7)).rejects.toThrow(RangeError);
    await expect(store.fork(id, -1)).rejects.toThrow(RangeError);
  });
});

describe('titles', () => {
  it('makes one trimmed line of at most 60 characters', () => {
    expect(titleFromText('  hello\n\n  world\t ')).toBe('hello world');
    const long = 'Refactor the session store so that appends never rewrite the whole conversation log';
    const title = titleFromText(long);
    expect(Array.from(title).length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(title.endsWith('…')).toBe(true);
    expect(title).toBe('Refactor the session store so that appends never rewrite…');
    expect(titleFromText('x'.repeat(100))).toBe(`${'x'.repeat(59)}…`);
    expect(titleFromText('😀'.repeat(70))).toBe(`${'😀'.repeat(59)}…`);
    expect(titleFromText('   ')).toBe('');
  });

  it('only typed user messages give a title', () => {
    expect(autoTitle(userMessage('Make it blue'))).toBe('Make it blue');
    expect(autoTitle(assistant('Sure'))).toBe('');
    expect(autoTitle(developerMessage('rules'))).toBe('');
    expect(autoTitle(userMessage('<turn_aborted>\nstop\n</turn_aborted>'))).toBe('');
    expect(autoTitle(userMessage('# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>x</INSTRUCTIONS>'))).toBe('');
  });
});

describe('workspace saves in a large workspace', () => {
  it('a small change never writes a full listing until the deltas since the last one outgrow the workspace', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`src/f${i}.ts`] = `export const v${i} = ${i};\n`;
    let prev = (await store.saveWorkspace(id, { prev: null, ...stateAndBlobs({ ...emptySnapshot(), files }), reason: 'save' })).manifest;
    const bases: number[] = [];
    for (let k = 1; k <= 1100; k++) {
      files[`src/f${k % 300}.ts`] = `export const v${k % 300} = ${k + 10_000};\n`;
      const saved = await store.saveWorkspace(id, { prev, ...stateAndBlobs({ ...emptySnapshot(), files }), reason: 'save' });
      prev = saved.manifest;
      const record = (await store.load(id)).manifests.records.at(-1)!;
      if (record.base) bases.push(record.n);
      if (k % 100 === 0) expect(Object.keys(record.files).length).toBeLessThanOrEqual(300);
    }
    // 1 100 one-file saves: a full listing only after 1 024 delta entries, not every few saves.
    expect(bases).toEqual([1025]);
    const loaded = await store.load(id);
    expect((await store.readFiles(loaded.workspace!)).snapshot.files['src/f200.ts']).toBe(files['src/f200.ts']);
  });
});
