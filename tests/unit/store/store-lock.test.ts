import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireSessionLock,
  broadcastLockProvider,
  LOCK_CHANNEL,
  webLocksProvider,
  type ChannelLike,
  type LockManagerLike,
  type LockProvider,
  type SessionLock,
} from '../../../src/store/lock';

/**
 * The Web Locks semantics the store relies on, in memory (Node 20 has no `navigator.locks`):
 * `ifAvailable` grants or passes null at once; `steal` takes the lock and rejects the
 * previous holder's request with an AbortError; the lock lasts until the callback settles.
 */
class FakeLockManager implements LockManagerLike {
  readonly #held = new Map<string, { abort: (err: Error) => void }>();

  async request(name: string, options: { ifAvailable?: boolean; steal?: boolean }, callback: (lock: unknown) => Promise<void>): Promise<unknown> {
    const previous = this.#held.get(name);
    if (previous && options.steal) {
      this.#held.delete(name);
      previous.abort(new DOMException('The lock was stolen.', 'AbortError'));
    } else if (previous) {
      if (!options.ifAvailable) throw new Error('the fake does not queue requests');
      return callback(null);
    }
    let abort!: (err: Error) => void;
    const aborted = new Promise<never>((_, reject) => (abort = reject));
    const entry = { abort };
    this.#held.set(name, entry);
    try {
      return await Promise.race([callback({ name, mode: 'exclusive' }), aborted]);
    } finally {
      if (this.#held.get(name) === entry) this.#held.delete(name);
    }
  }
}

/** A tab's channel that can be frozen: messages wait until it thaws, like a suspended tab. */
class FreezableChannel implements ChannelLike {
  readonly #inner = new BroadcastChannel(LOCK_CHANNEL);
  #frozen = false;
  #queue: unknown[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;

  constructor() {
    this.#inner.onmessage = (event) => (this.#frozen ? this.#queue.push(event.data) : this.onmessage?.({ data: event.data }));
  }
  postMessage(message: unknown): void {
    if (!this.#frozen) this.#inner.postMessage(message);
  }
  close(): void {
    this.#inner.close();
  }
  freeze(): void {
    this.#frozen = true;
  }
  thaw(): void {
    this.#frozen = false;
    for (const data of this.#queue.splice(0)) this.onmessage?.({ data });
  }
}

const opened: SessionLock[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((lock) => lock.release()));
});

async function acquire(provider: LockProvider, sessionId: string, steal = false): Promise<SessionLock> {
  const lock = await acquireSessionLock(sessionId, provider, { steal });
  opened.push(lock);
  return lock;
}

/** Each call is another tab. */
const implementations: [string, () => () => LockProvider][] = [
  [
    'Web Locks',
    () => {
      const shared = new FakeLockManager();
      return () => webLocksProvider(shared);
    },
  ],
  [
    'BroadcastChannel',
    () => () => broadcastLockProvider({ channel: () => new BroadcastChannel(LOCK_CHANNEL) as unknown as ChannelLike, settleMs: 30 }),
  ],
];

describe.each(implementations)('session lock over %s', (_, setup) => {
  it('lets one tab write and opens the session read-only elsewhere, until released', async () => {
    const tab = setup();
    const [a, b, c] = [tab(), tab(), tab()];
    const first = await acquire(a, 's1');
    expect(first.readOnly).toBe(false);
    expect((await acquire(b, 's1')).readOnly).toBe(true);
    expect((await acquire(c, 'other')).readOnly).toBe(false); // sessions are independent
    await first.release();
    await first.release(); // idempotent
    expect((await acquire(b, 's1')).readOnly).toBe(false);
  });

  it('gives the session to exactly one of several tabs asking at once', async () => {
    const tab = setup();
    for (let round = 0; round < 5; round++) {
      const locks = await Promise.all(Array.from({ length: 6 }, () => acquire(tab(), `busy-${round}`)));
      expect(locks.filter((l) => !l.readOnly)).toHaveLength(1);
    }
  });

  it('gives the session to one tab when a second starts asking while the first is still waiting', async () => {
    const tab = setup();
    const first = acquire(tab(), 'staggered');
    await new Promise((r) => setTimeout(r, 10));
    const second = acquire(tab(), 'staggered');
    const locks = await Promise.all([first, second]);
    expect(locks.map((l) => l.readOnly)).toEqual([false, true]);
  });

  it('lets a tab take the session over and tells the previous holder', async () => {
    const tab = setup();
    const [a, b] = [tab(), tab()];
    const old = await acquire(a, 's1');
    const lost: string[] = [];
    old.onLost(() => lost.push('lost'));
    const taken = await acquire(b, 's1', true);
    expect(taken.readOnly).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(lost).toEqual(['lost']);
    await old.release(); // harmless after losing
    expect((await acquire(tab(), 's1')).readOnly).toBe(true);
    await taken.release();
    expect((await acquire(tab(), 's1')).readOnly).toBe(false);
  });
});

describe('BroadcastChannel fallback', () => {
  it('frees the session when the holding tab goes away without releasing', async () => {
    const channels: ChannelLike[] = [];
    const tab = () =>
      broadcastLockProvider({
        channel: () => (channels.push(new BroadcastChannel(LOCK_CHANNEL) as unknown as ChannelLike), channels.at(-1)!),
        settleMs: 30,
      });
    const holder = await acquireSessionLock('s-crash', tab());
    expect(holder.readOnly).toBe(false);
    expect((await acquire(tab(), 's-crash')).readOnly).toBe(true);
    channels[0]!.close(); // the tab closed or crashed: nobody answers for it any more
    const next = await acquire(tab(), 's-crash');
    expect(next.readOnly).toBe(false);
  });

  it('tells a tab that was frozen while holding the session that it lost it', async () => {
    const frozen = new FreezableChannel();
    const sleeper = await acquire(broadcastLockProvider({ channel: () => frozen, settleMs: 30 }), 's-freeze');
    const lost: number[] = [];
    sleeper.onLost(() => lost.push(1));
    frozen.freeze();
    const awake = await acquire(
      broadcastLockProvider({ channel: () => new BroadcastChannel(LOCK_CHANNEL) as unknown as ChannelLike, settleMs: 30 }),
      's-freeze',
    );
    expect(awake.readOnly).toBe(false); // the frozen tab could not answer
    expect(lost).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    frozen.thaw();
    expect(lost).toEqual([1]);
  });

  it('breaks ties by token: the earlier request wins', async () => {
    const tokens = ['b-later', 'a-earlier'];
    const providers = tokens.map((token) =>
      broadcastLockProvider({ channel: () => new BroadcastChannel(LOCK_CHANNEL) as unknown as ChannelLike, settleMs: 30, token: () => token }),
    );
    const [later, earlier] = await Promise.all(providers.map((p) => acquire(p, 's-tie')));
    expect(earlier!.readOnly).toBe(false);
    expect(later!.readOnly).toBe(true);
  });
});
