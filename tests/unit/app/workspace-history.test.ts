/**
 * The workspace's history through the app's own session code (Sessions, ChatSession, the
 * recorder) on the embedded sandbox, the offline demo model and fake-indexeddb: files saved
 * moments after they change, new sessions saved at once, forks with the files of their point,
 * rewind and redo in place, /undo and revert, all told to the model by an appended message.
 */
import { describe, expect, it } from 'vitest';
import type { TurnEntry } from '../../../src/app/chat-entries';
import type { SessionStore } from '../../../src/store/session-store';
import { FakeStorage } from '../../support/fake-storage';
import { oneTabLocks, sessionsTab } from '../../support/sessions-tab';
import { filesOf, testStore } from '../../support/store-helpers';

function tab(store: SessionStore, mem = new FakeStorage()) {
  return { ...sessionsTab(store, { lockProvider: oneTabLocks(), memory: mem }), mem };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HELLO = '/workspace/hello.js';

async function read(t: ReturnType<typeof tab>, path: string): Promise<string | null> {
  return (await t.sandbox.fs.stat(path)) ? t.sandbox.fs.readFile(path) : null;
}

/** Turn 1 writes hello.js; then it is edited by hand; turn 2 changes nothing. */
async function twoTurns() {
  const { store } = await testStore();
  const one = tab(store);
  await one.sessions.start();
  const chat = one.sessions.chat!;
  await chat.submit('Give me the hello demo');
  const demo = (await read(one, HELLO))!;
  await one.sandbox.fs.writeFile(HELLO, 'console.log("edited by hand");\n');
  await chat.submit('thanks');
  await chat.saved();
  return { store, one, demo };
}

describe('workspace history', () => {
  it('a file written outside a turn is stored within moments, without a turn or a reload', async () => {
    const { store } = await testStore();
    const one = tab(store);
    await one.sessions.start();
    await one.sandbox.fs.writeFile('/workspace/notes.md', '# notes\n');
    await wait(300);
    expect((await filesOf(store, one.sessions.current!.id))?.files['notes.md']).toBe('# notes\n');
  });

  it('a new session is stored with its files at once: a reload before any message keeps them', async () => {
    const { store } = await testStore();
    const one = tab(store);
    await one.sessions.start();
    await one.sandbox.fs.writeFile('/workspace/keep.txt', 'kept\n');
    await one.sessions.chat!.submit('hello');
    await one.sessions.newSession();
    const fresh = one.sessions.current!;
    expect(fresh.itemCount).toBe(0);
    // The tab reloads: nothing was sent in the new session, yet its files are there.
    const two = tab(store, one.mem);
    await two.sessions.start();
    expect(two.sessions.current!.id).toBe(fresh.id);
    expect(await read(two, '/workspace/keep.txt')).toBe('kept\n');
  });

  it('forks carry the files as they were at their point, not the latest ones', async () => {
    const { one, demo } = await twoTurns();
    const users = one.sessions.chat!.entries.filter((e) => e.kind === 'user');
    // Before the first message: no hello.js yet.
    await one.sessions.forkAt(users[0]!.seq!);
    expect(await read(one, HELLO)).toBeNull();
    await one.sessions.open(one.sessions.current!.forkedFrom!.sessionId);
    // Before the second message: the hand edit made between the turns.
    await one.sessions.forkAt(users[1]!.seq!);
    expect(await read(one, HELLO)).toBe('console.log("edited by hand");\n');
    // After the first turn's last answer: the demo's own file.
    await one.sessions.open(one.sessions.current!.forkedFrom!.sessionId);
    const entries = one.sessions.chat!.entries;
    const second = entries.findIndex((e) => e.kind === 'user' && e.text === 'thanks');
    const answer = entries.slice(0, second).findLast((e) => e.kind === 'assistant');
    await one.sessions.forkAt(answer?.kind === 'assistant' ? answer.seq! + 1 : -1);
    expect(await read(one, HELLO)).toBe(demo);
  });

  it('rewinds in place to the end of a turn, redoes, and tells the model only once a message is sent', async () => {
    const { store, one, demo } = await twoTurns();
    const id = one.sessions.current!.id;
    const fullHistory = [...one.sessions.chat!.history];
    const firstTurn = one.sessions.chat!.entries.find((e): e is TurnEntry => e.kind === 'turn')!;
    await one.sessions.rewind(firstTurn.at!);
    expect(one.sessions.current!.id).toBe(id);
    expect(await read(one, HELLO)).toBe(demo);
    expect(one.sessions.redo).not.toBeNull();
    const rewound = one.sessions.chat!.history;
    expect(rewound.length).toBeLessThan(fullHistory.length);
    expect(rewound).toEqual(fullHistory.slice(0, rewound.length));

    await one.sessions.redoRewind();
    expect(one.sessions.chat!.history).toEqual(fullHistory);
    expect(await read(one, HELLO)).toBe('console.log("edited by hand");\n');
    expect(one.sessions.redo).toBeNull();

    await one.sessions.rewind(firstTurn.at!);
    // A reload keeps the rewind (and its redo) until the next message.
    const two = tab(store, one.mem);
    await two.sessions.start();
    expect(two.sessions.chat!.history).toEqual(rewound);
    expect(two.sessions.redo).not.toBeNull();
    await two.sessions.chat!.submit('what now?');
    await two.sessions.chat!.saved();
    expect(two.sessions.redo).toBeNull();
    const sent = two.sessions.chat!.history;
    expect(sent.slice(0, rewound.length)).toEqual(rewound);
    const note = sent[rewound.length];
    expect(note).toMatchObject({ type: 'message', role: 'developer' });
    expect(JSON.stringify(note)).toContain('rewound the conversation');
  });

  it('/undo reverts the last turn that changed files, and the model is told', async () => {
    const { store } = await testStore();
    const one = tab(store);
    await one.sessions.start();
    const chat = one.sessions.chat!;
    await chat.submit('Give me the hello demo');
    expect(await read(one, HELLO)).not.toBeNull();
    await chat.submit('/undo');
    expect(await read(one, HELLO)).toBeNull();
    expect(chat.entries.at(-1)).toMatchObject({ kind: 'note', text: 'Reverted hello.js.' });
    await chat.saved();
    expect((await filesOf(store, one.sessions.current!.id))?.files['hello.js']).toBeUndefined();
    await chat.submit('ok');
    expect(JSON.stringify(chat.history)).toContain('The user reverted these files');
  });

  it('a reloaded turn shows what it changed, read from stored manifests', async () => {
    const { store, one } = await twoTurns();
    const two = tab(store, one.mem);
    await two.sessions.start();
    const turn = two.sessions.chat!.entries.find((e): e is TurnEntry => e.kind === 'turn')!;
    await expect.poll(() => turn.changes).not.toBeNull();
    expect(turn.changes!.map((c) => [c.path, c.kind])).toEqual([['hello.js', 'added']]);
    expect(turn.ms).toBeGreaterThanOrEqual(0);
    // The session's usage total survives the reload too.
    expect(two.sessions.chat!.usage).toEqual(one.sessions.chat!.usage);
  });
});

describe('forks across a compaction', () => {
  it('a fork from an answer before the compaction has that segment as it was, and its files', async () => {
    const { store } = await testStore();
    const one = tab(store);
    await one.sessions.start();
    const chat = one.sessions.chat!;
    await chat.submit('Give me the hello demo');
    const beforeCompaction = [...chat.history];
    const demo = (await read(one, HELLO))!;
    await one.sandbox.fs.writeFile(HELLO, 'changed after the answer\n');
    await chat.submit('/compact');
    await chat.saved();
    expect(chat.history.some((item) => item.type === 'compaction')).toBe(true);
    // Reopened, the answer above the marker is still a fork point.
    const two = tab(store, one.mem);
    await two.sessions.start();
    const entries = two.sessions.chat!.entries;
    const marker = entries.findIndex((e) => e.kind === 'compaction');
    const answer = entries.slice(0, marker).findLast((e) => e.kind === 'assistant');
    expect(answer?.kind === 'assistant' && answer.seq).toBeGreaterThanOrEqual(0);
    await two.sessions.forkAt(answer?.kind === 'assistant' ? answer.seq! + 1 : -1);
    expect(two.sessions.chat!.history).toEqual(beforeCompaction);
    expect(two.sessions.chat!.entries.some((e) => e.kind === 'compaction')).toBe(false);
    expect(await read(two, HELLO)).toBe(demo);
  });
});
