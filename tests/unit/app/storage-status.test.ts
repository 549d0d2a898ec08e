import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  isQuotaProblem,
  NEARLY_FULL_LEFT_BYTES,
  PERSIST_ANSWER_KEY,
  StorageStatus,
  turnProgress,
  type StoragePort,
  type TurnProgress,
} from '../../../src/app/storage-status.svelte';
import { StoreError, toStoreError } from '../../../src/store/errors';
import { FakeStorage } from '../../support/fake-storage';
import { sessionsTab } from '../../support/sessions-tab';
import { testStore } from '../../support/store-helpers';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/**
 * Behaves like the browser's StorageManager, down to its methods failing when called detached
 * (the real ones throw "Illegal invocation"); counts the calls.
 */
class FakeStorageManager implements StoragePort {
  calls = { persist: 0, persisted: 0, estimate: 0 };
  usage = 10 * MB;
  quota = 10 * GB;
  #persisted: boolean;
  readonly #grants: boolean;

  constructor(options: { persisted?: boolean; grants?: boolean } = {}) {
    this.#persisted = options.persisted ?? false;
    this.#grants = options.grants ?? false;
  }
  async persist(): Promise<boolean> {
    this.calls.persist += 1;
    if (this.#grants) this.#persisted = true;
    return this.#persisted;
  }
  async persisted(): Promise<boolean> {
    this.calls.persisted += 1;
    return this.#persisted;
  }
  async estimate(): Promise<{ usage: number; quota: number }> {
    this.calls.estimate += 1;
    return { usage: this.usage, quota: this.quota };
  }
}

/** A clock and a timer queue moved by hand. */
function manualTime() {
  let now = 1_000_000;
  const timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    schedule: (run: () => void, ms: number) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.run();
      }
    },
    pending: () => timers.length,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('StorageStatus: asking for persistence', () => {
  it('does not ask on load (refresh), asks after the first saved turn, and only once per browser', async () => {
    const port = new FakeStorageManager();
    const mem = new FakeStorage();
    const status = new StorageStatus({ port, memory: mem });
    await status.refresh();
    expect(port.calls.persist).toBe(0);
    expect(status.persistent).toBe(false);

    await status.afterSavedTurn();
    expect(port.calls.persist).toBe(1);
    expect(mem.items.get(PERSIST_ANSWER_KEY)).toBe('declined');
    await status.afterSavedTurn();
    expect(port.calls.persist).toBe(1);

    // The next page load, same browser: the answer is remembered.
    const again = new StorageStatus({ port, memory: mem });
    await again.afterSavedTurn();
    expect(port.calls.persist).toBe(1);
  });

  it('records a grant, and never asks when storage is already persistent', async () => {
    const granting = new FakeStorageManager({ grants: true });
    const status = new StorageStatus({ port: granting, memory: new FakeStorage() });
    await status.afterSavedTurn();
    expect(status.persistent).toBe(true);
    expect(status.canAsk).toBe(false);

    const already = new FakeStorageManager({ persisted: true });
    const mem = new FakeStorage();
    await new StorageStatus({ port: already, memory: mem }).afterSavedTurn();
    expect(already.calls.persist).toBe(0);
    expect(mem.items.get(PERSIST_ANSWER_KEY)).toBe('granted');
  });

  it('asks once per page even when the answer cannot be remembered', async () => {
    const port = new FakeStorageManager();
    const broken = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    const status = new StorageStatus({ port, memory: broken });
    await status.afterSavedTurn();
    await status.afterSavedTurn();
    expect(port.calls.persist).toBe(1);
  });

  it('the dialog button asks whatever was answered before, and says when the browser declines', async () => {
    const port = new FakeStorageManager();
    const mem = new FakeStorage();
    mem.setItem(PERSIST_ANSWER_KEY, 'declined');
    const status = new StorageStatus({ port, memory: mem });
    expect(await status.requestPersistence()).toBe(false);
    expect(port.calls.persist).toBe(1);
    expect(status.declined).toBe(true);
  });
});

describe('StorageStatus: following the open session', () => {
  const at = (sessionId: string | null, itemCount: number, running: boolean, bytes = itemCount * 100): TurnProgress => ({
    sessionId,
    itemCount,
    bytes,
    running,
  });

  it("a new session's first turn is a saved turn once it ends, not before", async () => {
    const port = new FakeStorageManager();
    const status = new StorageStatus({ port, memory: new FakeStorage() });
    status.observe(at(null, 0, false));
    status.observe(at(null, 0, true)); // the session row is created before the first request
    status.observe(at(null, 0, false));
    status.observe(at(null, 0, true));
    status.observe(at('s1', 1, true)); // the user's message saved: the session has an id
    status.observe(at('s1', 3, true));
    await settle();
    expect(port.calls.persist).toBe(0);
    status.observe(at('s1', 4, false));
    await settle();
    expect(port.calls.persist).toBe(1);
  });

  it('opening other sessions, or a turn whose items were never saved, is not a saved turn', async () => {
    const port = new FakeStorageManager();
    const status = new StorageStatus({ port, memory: new FakeStorage() });
    status.observe(at(null, 0, false));
    status.observe(at('old', 12, false)); // opened from the list
    status.observe(at('other', 30, false));
    status.observe(at('other', 30, true));
    status.observe(at('other', 30, false)); // nothing saved (a full disk, say)
    status.observe(at('third', 40, false)); // the failed turn does not carry over
    await settle();
    expect(port.calls.persist).toBe(0);
    status.observe(at('third', 40, true));
    status.observe(at('third', 42, false));
    await settle();
    expect(port.calls.persist).toBe(1);
  });

  it('reads the estimate again after saves at most once per gap, the last save always counted', async () => {
    const port = new FakeStorageManager();
    const time = manualTime();
    const status = new StorageStatus({ port, memory: new FakeStorage(), estimateGapMs: 10_000, now: time.now, schedule: time.schedule });
    status.observe(at('s', 5, false));
    status.observe(at('s', 5, true));
    status.observe(at('s', 6, true)); // a save: read at once
    await settle();
    expect(port.calls.estimate).toBe(1);
    for (let n = 7; n < 20; n++) {
      time.advance(500);
      status.observe(at('s', n, true));
    }
    status.observe(at('s', 19, true, 99_999)); // a snapshot alone changes the size
    await settle();
    expect(port.calls.estimate).toBe(1);
    expect(time.pending()).toBe(1);
    port.usage = 20 * MB;
    time.advance(10_000);
    await settle();
    expect(port.calls.estimate).toBe(2);
    expect(status.usage).toBe(20 * MB);
    status.dispose();
  });

  // The page feeds `observe` from an $effect (watchSavedTurns, covered by the browser test);
  // effects do not run under Node, so this samples the same state every few milliseconds.
  it('asks after a real turn of real Sessions on a real store, and not when the app starts', async () => {
    const { store } = await testStore();
    const port = new FakeStorageManager();
    const status = new StorageStatus({ port, memory: new FakeStorage() });
    const { sessions } = sessionsTab(store, { memory: new FakeStorage(), saveDelayMs: 5 });
    await sessions.start();
    status.observe(turnProgress(sessions));
    await status.refresh();
    expect(port.calls.persist).toBe(0);

    let done = false;
    let askedMidTurn = false;
    const turn = sessions.chat!.submit('Give me the hello demo').finally(() => (done = true));
    while (!done) {
      status.observe(turnProgress(sessions));
      if (sessions.chat!.running && port.calls.persist > 0) askedMidTurn = true;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await turn;
    await sessions.chat!.saved();
    status.observe(turnProgress(sessions));
    await settle();
    expect(askedMidTurn).toBe(false);
    expect(sessions.current?.itemCount).toBeGreaterThan(2);
    expect(port.calls.persist).toBe(1);
    await sessions.close();
  });
});

describe('StorageStatus: how full', () => {
  async function withEstimate(usage: number, quota: number) {
    const port = new FakeStorageManager();
    port.usage = usage;
    port.quota = quota;
    const status = new StorageStatus({ port });
    await status.refresh();
    return status;
  }

  it('is nearly full from 80 % of the quota, or with less than 50 MB left', async () => {
    expect((await withEstimate(790 * MB, 1000 * MB)).nearlyFull).toBe(false);
    expect((await withEstimate(800 * MB, 1000 * MB)).nearlyFull).toBe(true);
    // A large quota: the share is far away but the room left is small.
    expect((await withEstimate(100 * GB - 49 * MB, 100 * GB)).nearlyFull).toBe(true);
    expect((await withEstimate(100 * GB - 60 * MB, 100 * GB)).nearlyFull).toBe(true); // above 80 % as well
    expect((await withEstimate(10 * GB, 100 * GB)).nearlyFull).toBe(false);
    // A tiny quota is nearly full as soon as less than 50 MB is left.
    expect((await withEstimate(20 * MB, 20 * MB + NEARLY_FULL_LEFT_BYTES - MB)).nearlyFull).toBe(true);
  });

  it('says how much is used of how much, in words', async () => {
    const status = await withEstimate(3.2 * MB, 1.5 * GB);
    expect(status.usageText).toBe('3.2 MB of 1.5 GB (0 %)');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * MB)).toBe('250 MB');
  });
});

describe('StorageStatus without a usable StorageManager', () => {
  it('has no navigator.storage at all: everything unknown, nothing throws', async () => {
    const status = new StorageStatus({ port: undefined, memory: new FakeStorage() });
    await status.refresh();
    await status.afterSavedTurn();
    status.afterSave();
    expect(await status.requestPersistence()).toBe(null);
    expect(status.persistent).toBe(null);
    expect(status.usage).toBe(null);
    expect(status.quota).toBe(null);
    expect(status.usageText).toBe(null);
    expect(status.nearlyFull).toBe(false);
    expect(status.canAsk).toBe(false);
    expect(status.declined).toBe(false);
  });

  it('has methods that throw or reject, or answer nonsense: unknown, and nothing remembered', async () => {
    const mem = new FakeStorage();
    const port: StoragePort = {
      persist: () => {
        throw new TypeError('Illegal invocation');
      },
      persisted: () => Promise.reject(new DOMException('no', 'SecurityError')),
      estimate: async () => ({ usage: Number.NaN, quota: undefined }),
    };
    const status = new StorageStatus({ port, memory: mem });
    await status.refresh();
    await status.afterSavedTurn();
    expect(status.persistent).toBe(null);
    expect(status.usage).toBe(null);
    expect(status.nearlyFull).toBe(false);
    expect(mem.items.has(PERSIST_ANSWER_KEY)).toBe(false);
  });

  it('has only estimate (no persistence API): usage is known, persistence is not, no button', async () => {
    const status = new StorageStatus({ port: { estimate: async () => ({ usage: 1024, quota: 2048 * MB }) } });
    await status.refresh();
    expect(status.usageText).toBe('1.0 KB of 2.0 GB (0 %)');
    expect(status.persistent).toBe(null);
    expect(status.canAsk).toBe(false);
  });
});

describe('isQuotaProblem', () => {
  it("recognises the store's quota message, alone or among others, and nothing else", () => {
    const quota = toStoreError(new DOMException('The quota has been exceeded.', 'QuotaExceededError')).userMessage;
    expect(isQuotaProblem(quota)).toBe(true);
    expect(isQuotaProblem(`${new StoreError('corrupt').userMessage} ${quota}`)).toBe(true);
    expect(isQuotaProblem(new StoreError('unavailable').userMessage)).toBe(false);
    expect(isQuotaProblem('')).toBe(false);
  });
});
