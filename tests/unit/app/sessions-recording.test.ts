/**
 * The open session's recorder is its only writer: every write to a stored session happens
 * while this tab holds its lock (a turn stopped by leaving, a rewind, a redo), and a failed
 * write is reported to `Sessions.problem`, the banner, rather than dropped.
 */
import { describe, expect, it } from 'vitest';
import type { Sessions } from '../../../src/app/sessions.svelte';
import { StoreError } from '../../../src/store/errors';
import type { LockProvider } from '../../../src/store/lock';
import type { SessionStore } from '../../../src/store/session-store';
import { sessionsTab } from '../../support/sessions-tab';
import { testStore } from '../../support/store-helpers';

const WRITES = new Set(['append', 'appendControl', 'replaceHistory', 'saveWorkspace']);

/** Locks of one tab, with a record of which are held. */
function trackedLocks() {
  const held = new Set<string>();
  const provider: LockProvider = {
    async acquire(name) {
      held.add(name);
      return { readOnly: false, release: async () => void held.delete(name), onLost: () => () => {} };
    },
  };
  // A lock's name is the store's business; it names the session it is for.
  return { provider, holds: (sessionId: string) => [...held].some((name) => name.endsWith(`:${sessionId}`)) };
}

/**
 * `store` with its writes watched: each is listed with whether the lock of its session was
 * held when it was asked for, and fails (as a full disk does) while `failing` says so.
 */
function watchedStore(store: SessionStore, holds: (id: string) => boolean) {
  const writes: { method: string; sessionId: string; locked: boolean; what: string }[] = [];
  const state = { failing: (_method: string) => false };
  const watched = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!WRITES.has(String(prop))) return method.bind(target);
      return (sessionId: string, ...rest: unknown[]) => {
        writes.push({ method: String(prop), sessionId, locked: holds(sessionId), what: whatOf(rest[0]) });
        if (state.failing(String(prop))) return Promise.reject(new StoreError('quota'));
        return method.call(target, sessionId, ...rest);
      };
    },
  });
  return { store: watched, writes, state };
}

/** A control record's type, a workspace save's reason: what a write was. */
function whatOf(value: unknown): string {
  const fields = (value ?? {}) as { type?: unknown; reason?: unknown };
  return String(fields.type ?? fields.reason ?? '');
}

async function setUp(demoEventDelayMs = 0) {
  const { store: inner } = await testStore();
  const locks = trackedLocks();
  const watched = watchedStore(inner, locks.holds);
  const { sandbox, sessions } = sessionsTab(watched.store, { lockProvider: locks.provider, modelOptions: { demoEventDelayMs }, saveDelayMs: 5 });
  await sessions.start();
  return { sessions, sandbox, inner, ...watched };
}

/** Two turns sent and saved; the session's id and where its first turn is stored. */
async function twoTurns(sessions: Sessions) {
  await sessions.chat!.submit('first question');
  await sessions.chat!.submit('second question');
  await sessions.chat!.saved();
  const firstTurn = sessions.chat!.entries.find((e) => e.kind === 'turn');
  if (firstTurn?.kind !== 'turn' || firstTurn.at === undefined) throw new Error('no stored turn');
  return { id: sessions.current!.id, firstTurnAt: firstTurn.at };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('Sessions: the recorder is the only writer', () => {
  it('a session left during a turn gets the turn’s last records before its lock is let go', async () => {
    const { sessions, writes, inner } = await setUp(15);
    const first = sessions.current!.id;
    const chat = sessions.chat!;
    const turn = chat.submit('Give me the hello demo');
    await until(() => chat.entries.some((e) => e.kind === 'assistant'));
    await sessions.newSession();
    const atLeave = writes.filter((w) => w.sessionId === first).length;
    await turn;
    await new Promise((r) => setTimeout(r, 50));

    const mine = writes.filter((w) => w.sessionId === first);
    expect(mine.length).toBe(atLeave);
    expect(mine.filter((w) => !w.locked)).toEqual([]);
    const rows = (await inner.load(first)).view.segments.flatMap((s) => s.rows);
    expect(rows.at(-1)).toMatchObject({ kind: 'turn', turn: { reason: 'aborted' } });
  });

  it('a session left while its turn waits for an approval stops the turn and records its end', async () => {
    const { sessions, writes, inner } = await setUp();
    const first = sessions.current!.id;
    const chat = sessions.chat!;
    sessions.chat!.settings.approvalPolicy = 'untrusted';
    const turn = chat.submit('Give me the hello demo');
    await until(() => chat.entries.some((e) => e.kind === 'approval'));
    await sessions.open((await inner.create()).id);
    expect(chat.running).toBe(false);
    await turn;
    expect(writes.filter((w) => w.sessionId === first && !w.locked)).toEqual([]);
    const rows = (await inner.load(first)).view.segments.flatMap((s) => s.rows);
    expect(rows.at(-1)).toMatchObject({ kind: 'turn', turn: { reason: 'aborted' } });
  });

  it('a rewind and its redo are written while the session is held, and come back on reopening', async () => {
    const { sessions, writes, inner } = await setUp();
    const { id, firstTurnAt } = await twoTurns(sessions);

    await sessions.rewind(firstTurnAt);
    expect(sessions.redo).not.toBeNull();
    expect(sessions.chat!.entries.filter((e) => e.kind === 'turn')).toHaveLength(1);
    await sessions.redoRewind();
    expect(sessions.redo).toBeNull();
    expect(sessions.chat!.entries.filter((e) => e.kind === 'turn')).toHaveLength(2);

    expect(writes.filter((w) => w.sessionId === id && !w.locked)).toEqual([]);
    expect(writes.filter((w) => w.what === 'unroll.goto' || w.what === 'rewind').map((w) => w.what)).toEqual([
      'unroll.goto',
      'rewind',
      'unroll.goto',
      'rewind',
    ]);
    expect((await inner.load(id)).view.redo).toBeNull();
    expect(sessions.problem).toBe('');
  });

  it('a rewind the store refuses is reported, and the session stays as it was', async () => {
    const { sessions, state, inner, writes } = await setUp();
    const { id, firstTurnAt } = await twoTurns(sessions);

    state.failing = (method) => method === 'appendControl';
    await sessions.rewind(firstTurnAt);
    expect(sessions.problem).toMatch(/no more room/);
    expect(sessions.redo).toBeNull();
    expect(sessions.chat!.entries.filter((e) => e.kind === 'turn')).toHaveLength(2);
    // The log did not move, so the files of the point it would have gone to were not recorded.
    expect(writes.filter((w) => w.what === 'rewind')).toEqual([]);
    const reloaded = await inner.load(id);
    expect(reloaded.view.redo).toBeNull();
    expect(reloaded.items).toEqual(sessions.chat!.history);
  });

  it('the last save of a session being left is reported when it fails, even after the banner was dismissed', async () => {
    const { sessions, sandbox, state } = await setUp();
    await sessions.chat!.submit('hello');
    await sessions.chat!.saved();
    state.failing = (method) => method === 'saveWorkspace';
    await sandbox.fs.writeFile('/workspace/notes.txt', 'one\n');
    await until(() => sessions.problem !== '');
    expect(sessions.problem).toMatch(/no more room/);
    sessions.problem = ''; // the person dismissed the banner

    await sandbox.fs.writeFile('/workspace/notes.txt', 'two\n');
    await sessions.newSession();
    expect(sessions.problem).toMatch(/no more room/);
  });
});
