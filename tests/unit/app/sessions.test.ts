import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../src/app/chat-entries';
import { LAST_SESSION_KEY } from '../../../src/app/sessions.svelte';
import type { LockProvider, SessionLock } from '../../../src/store/lock';
import type { SessionStore } from '../../../src/store/session-store';
import { FakeStorage } from '../../support/fake-storage';
import { sessionsTab } from '../../support/sessions-tab';
import { filesOf, quotaDatabase, testStore } from '../../support/store-helpers';

/** Locks shared by the "tabs" of one test: the first holder writes, the others read. */
function memoryLocks(): LockProvider {
  const held = new Map<string, { lost: Set<() => void> }>();
  return {
    async acquire(name, options = {}) {
      const current = held.get(name);
      if (current && !options.steal) return { readOnly: true, release: async () => {}, onLost: () => () => {} };
      if (current) for (const listener of current.lost) listener();
      const entry = { lost: new Set<() => void>() };
      held.set(name, entry);
      const lock: SessionLock = {
        readOnly: false,
        release: async () => void (held.get(name) === entry && held.delete(name)),
        onLost: (listener) => (entry.lost.add(listener), () => entry.lost.delete(listener)),
      };
      return lock;
    },
  };
}

/** One "tab": its own sandbox and settings over a shared store. */
function tab(store: SessionStore | null, locks: LockProvider, mem = new FakeStorage()) {
  return { ...sessionsTab(store, { lockProvider: locks, memory: mem, saveDelayMs: 5 }), mem };
}

/** A store, locks, and one tab over them that has started and sent `prompts` (not yet waited to be saved). */
async function startedTab(...prompts: string[]) {
  const { store } = await testStore();
  const locks = memoryLocks();
  const one = tab(store, locks);
  await one.sessions.start();
  for (const prompt of prompts) await one.sessions.chat!.submit(prompt);
  return { store, locks, ...one };
}

const texts = (entries: Entry[]) =>
  entries.filter((e) => e.kind === 'user' || e.kind === 'assistant').map((e) => ('text' in e ? e.text.slice(0, 24) : ''));

describe('Sessions', () => {
  it('saves a conversation as it happens and reopens it, files included, after a reload', async () => {
    const first = await startedTab('Give me the hello demo');
    const { store, locks } = first;
    await first.sessions.chat!.saved();
    const [saved] = (await store.list()).sessions;
    expect(saved).toMatchObject({ title: 'Give me the hello demo' });
    expect((await store.load(saved!.id)).items).toEqual(first.sessions.chat!.history);
    expect(first.sessions.current?.id).toBe(saved!.id);
    expect(first.mem.getItem(LAST_SESSION_KEY)).toBe(saved!.id);
    await first.sessions.close(); // the tab reloads

    const second = tab(store, locks, first.mem);
    await second.sessions.start();
    const chat = second.sessions.chat!;
    expect(chat.sessionId).toBe(saved!.id);
    expect(chat.readOnly).toBe(false);
    expect(texts(chat.entries)).toEqual([
      'Give me the hello demo',
      "I'll start by looking at",
      "Now I'll create `hello.j",
      'Done: `hello.js` ran and',
    ]);
    expect(await second.sandbox.fs.readFile('/workspace/hello.js')).toContain('Hello, ${name}!');

    // It continues: the next turn's items go to the same log.
    await chat.submit('thanks');
    await chat.saved();
    expect((await store.load(saved!.id)).items).toEqual(chat.history);
    // Tool cards come back as they were shown live: status, exit code and time from stored records.
    const tool = chat.entries.find((e) => e.kind === 'tool');
    expect(tool).toMatchObject({ status: 'ok', exitCode: 0, ms: expect.any(Number) });
    const turns = second.sessions.chat!.entries.filter((e) => e.kind === 'turn');
    expect(turns[0]).toMatchObject({ reason: 'completed', usage: { requests: expect.any(Number) }, at: expect.any(Number) });
  });

  it('saves files edited between turns', async () => {
    const one = await startedTab('hello');
    await one.sandbox.fs.writeFile('/workspace/later.txt', 'typed by hand\n');
    await new Promise((r) => setTimeout(r, 40));
    await one.sessions.chat!.saved();
    expect((await filesOf(one.store, one.sessions.current!.id))?.files['later.txt']).toBe('typed by hand\n');
  });

  it('deleting the open session opens the most recent other one', async () => {
    const one = await startedTab('older');
    const older = one.sessions.current!.id;
    await one.sessions.newSession();
    await one.sessions.chat!.submit('newer');
    await one.sessions.remove(one.sessions.current!.id);
    expect(one.sessions.current!.id).toBe(older);
    expect(one.sessions.list.map((s) => s.id)).toEqual([older]);
  });

  it('a second tab opens the session read-only until it takes it over', async () => {
    const a = await startedTab('hello');
    await a.sessions.chat!.saved();
    const b = tab(a.store, a.locks, a.mem);
    await b.sessions.start();
    expect(b.sessions.lockedElsewhere).toBe(true);
    await b.sessions.chat!.submit('from b');
    expect(b.sessions.chat!.entries.at(-1)).toMatchObject({ kind: 'note', text: expect.stringContaining('read-only') });
    await b.sessions.useHere();
    expect(b.sessions.chat!.readOnly).toBe(false);
    expect(a.sessions.chat!.readOnly).toBe(true);
  });

  it('forks from a message: the conversation before it, the message back in the composer', async () => {
    const one = await startedTab('first question', 'second question');
    await one.sessions.chat!.saved();
    const original = one.sessions.current!.id;
    const second = one.sessions.chat!.entries.find((e) => e.kind === 'user' && e.text === 'second question');
    expect(second?.kind === 'user' && second.seq).toBeGreaterThan(0);
    if (second?.kind !== 'user') return;
    const history = [...one.sessions.chat!.history];
    const before = history.findIndex((item) => item.type === 'message' && item.role === 'user' && JSON.stringify(item).includes('second question'));
    await one.sessions.forkAt(second.seq!, second.text);
    const chat = one.sessions.chat!;
    expect(one.sessions.current!.id).not.toBe(original);
    expect(one.sessions.current!.forkedFrom).toEqual({ sessionId: original, seq: second.seq });
    expect(chat.history).toEqual(history.slice(0, before));
    expect(chat.draft).toBe('second question');
    expect(texts(chat.entries)[0]).toBe('first question');
  });

  it('forks after an answer: the conversation up to and including it', async () => {
    const one = await startedTab('first question', 'second question');
    await one.sessions.chat!.saved();
    const answer = one.sessions.chat!.entries.find((e) => e.kind === 'assistant' && e.seq !== undefined);
    if (answer?.kind !== 'assistant') throw new Error('no answer with a place in history');
    const original = one.sessions.chat!.history;
    const index = original.findIndex((item) => item.type === 'message' && item.role === 'assistant');
    await one.sessions.forkAt(answer.seq! + 1);
    const forked = one.sessions.chat!.history;
    expect(forked).toEqual(original.slice(0, index + 1));
    expect(forked.at(-1)).toMatchObject({ type: 'message', role: 'assistant' });
    expect(one.sessions.chat!.draft).toBe('');
  });

  it('delete can be undone', async () => {
    const one = await startedTab('keep me');
    await one.sessions.chat!.saved();
    const id = one.sessions.current!.id;
    await one.sessions.remove(id);
    // With no other session left, a new, empty one on the same workspace takes its place.
    expect(one.sessions.list.map((s) => s.id)).not.toContain(id);
    expect(one.sessions.current).toMatchObject({ itemCount: 0 });
    await one.sessions.undoRemove();
    expect(one.sessions.list.map((s) => s.id)).toContain(id);
  });

  it('a share link opens read-only in another browser, keeps files out of the sandbox until forked', async () => {
    const one = await startedTab('Give me the hello demo');
    await one.sessions.chat!.saved();
    const link = await one.sessions.sharing.share(one.sessions.current!.id, 'https://unroll.test/');
    expect(link!.tooLarge).toBe(false);

    const theirs = await testStore();
    const other = tab(theirs.store, memoryLocks());
    await other.sessions.start(new URL(link!.url).hash);
    expect(other.sessions.shared?.files).toEqual(['hello.js']);
    expect(other.sessions.chat!.readOnly).toBe(true);
    expect(await other.sandbox.fs.stat('/workspace/hello.js')).toBeNull();
    expect(texts(other.sessions.chat!.entries)).toHaveLength(4);

    await other.sessions.forkShared();
    expect(other.sessions.shared).toBeNull();
    expect(other.sessions.chat!.readOnly).toBe(false);
    expect(await other.sandbox.fs.readFile('/workspace/hello.js')).toContain('Hello');
    expect((await theirs.store.list()).sessions).toHaveLength(1);
    // The shared turn shows its usage as it was; the new one adds its own.
    expect(other.sessions.chat!.entries.filter((e) => e.kind === 'turn')).toHaveLength(1);
    await other.sessions.chat!.submit('and now?');
    expect(other.sessions.chat!.entries.filter((e) => e.kind === 'turn')).toHaveLength(2);
  });

  it('a damaged share link says so and opens the last session instead; nothing runs', async () => {
    const { store } = await testStore();
    const one = tab(store, memoryLocks());
    await one.sessions.start('#share=eJzLSM3JyVcozy_KSQEAGgQEXQ-truncated!!');
    expect(one.sessions.problem).toMatch(/share link could not be opened/);
    expect(one.sessions.shared).toBeNull();
    expect(one.sessions.chat!.readOnly).toBe(false);
  });

  it('without storage the chat still works and the user is told', async () => {
    const one = tab(null, memoryLocks());
    await one.sessions.start();
    expect(one.sessions.problem).toMatch(/cannot be saved/);
    await one.sessions.chat!.submit('hello');
    expect(one.sessions.chat!.entries.some((e) => e.kind === 'assistant')).toBe(true);
  });

  it('a full disk is reported once and the conversation goes on', async () => {
    let full = false;
    const { store } = await testStore((db) => quotaDatabase(db, () => full));
    const one = tab(store, memoryLocks());
    await one.sessions.start();
    await one.sessions.chat!.submit('hello');
    full = true;
    await one.sessions.chat!.submit('more please');
    await one.sessions.chat!.saved();
    expect(one.sessions.problem).toMatch(/no more room/);
    expect(one.sessions.chat!.entries.filter((e) => e.kind === 'turn')).toHaveLength(2);
  });
});

describe('Sessions and compaction', () => {
  it('a compacted session reloads compacted: the new history is sent, the old one shown above a marker', async () => {
    const first = await startedTab('Give me the hello demo');
    const { store, locks } = first;
    const chat = first.sessions.chat!;
    await chat.submit('/compact');
    await chat.saved();
    const marker = chat.entries.find((e) => e.kind === 'compaction');
    expect(marker).toMatchObject({ state: 'done', reason: 'manual', mode: 'remote' });
    expect(chat.tokens?.window).toBeGreaterThan(0);
    const compacted = [...chat.history];
    expect(compacted.some((item) => item.type === 'compaction')).toBe(true);
    await first.sessions.close();

    const second = tab(store, locks, first.mem);
    await second.sessions.start();
    const reopened = second.sessions.chat!;
    expect(reopened.history).toEqual(compacted);
    const kinds = reopened.entries.map((e) => e.kind);
    expect(kinds.indexOf('compaction')).toBeGreaterThan(kinds.indexOf('assistant'));
    // Earlier messages can still be forked from: the log keeps every segment.
    const firstMessage = reopened.entries.find((e) => e.kind === 'user');
    expect(firstMessage).toMatchObject({ seq: expect.any(Number) });
    await reopened.submit('and now?');
    await reopened.saved();
    expect((await store.load(second.sessions.current!.id)).items.slice(0, compacted.length)).toEqual(compacted);
  });
});
