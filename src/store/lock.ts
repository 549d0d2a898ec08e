/**
 * One writer per session across tabs. The tab that gets a session's lock appends to it; any
 * other tab opens it read-only. Web Locks are used where the browser has them (released by
 * the browser when a tab closes or crashes); otherwise tabs ask each other over a
 * BroadcastChannel, which needs no heartbeat record: a closed tab simply stops answering.
 */

export interface SessionLock {
  /** True when another tab holds the session: show it, but do not append to it. */
  readonly readOnly: boolean;
  /** Lets the session go; resolves once another tab can take it (idempotent; no-op when read-only). */
  release(): Promise<void>;
  /** Calls `listener` once if another tab takes the session over; returns an unsubscribe. */
  onLost(listener: () => void): () => void;
}

export interface LockOptions {
  /** Take the session even if another tab holds it ("open here instead"); that tab is told. */
  steal?: boolean;
}

/** The port the app acquires locks through; tests inject either implementation. */
export interface LockProvider {
  acquire(name: string, options?: LockOptions): Promise<SessionLock>;
}

/** The slice of the Web Locks API used here (`navigator.locks`). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; steal?: boolean }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

/** The slice of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export const LOCK_CHANNEL = 'unroll-session-locks';

function sessionLockName(sessionId: string): string {
  return `unroll-session:${sessionId}`;
}

/** Acquires the lock of one session: `readOnly` tells whether this tab may write to it. */
export function acquireSessionLock(sessionId: string, provider: LockProvider = defaultLockProvider(), options?: LockOptions): Promise<SessionLock> {
  return provider.acquire(sessionLockName(sessionId), options);
}

/** Web Locks when present, else BroadcastChannel, else no coordination (a single-tab environment such as Node). */
function defaultLockProvider(): LockProvider {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks) return webLocksProvider(locks);
  if (typeof BroadcastChannel === 'function')
    return broadcastLockProvider({ channel: () => new BroadcastChannel(LOCK_CHANNEL) as unknown as ChannelLike });
  return { acquire: async () => heldLock(async () => {}).lock };
}

export function webLocksProvider(locks: LockManagerLike): LockProvider {
  return {
    acquire: (name, options = {}) =>
      new Promise<SessionLock>((resolve, reject) => {
        let held: ReturnType<typeof heldLock> | undefined;
        let letGo!: () => void;
        const released = new Promise<void>((r) => (letGo = r));
        const request = locks.request(name, options.steal ? { steal: true } : { ifAvailable: true }, async (lock) => {
          if (!lock) {
            resolve(readOnlyLock());
            return;
          }
          held = heldLock(async () => {
            letGo();
            await settled; // the request settles once the browser has let the lock go
          });
          resolve(held.lock);
          await released; // the browser keeps the lock until this callback's promise settles
        });
        const settled = request.then(
          () => {},
          (err: unknown) => {
            // A steal from another tab rejects the holder's request with an AbortError.
            if (held) held.lose();
            else reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      }),
  };
}

type Message = { kind: 'ask' | 'held' | 'claim'; name: string; token: string };

export interface BroadcastLockOptions {
  /** Opens the channel shared by every tab of this origin. */
  channel: () => ChannelLike;
  /** How long to wait for a holder to answer; a tab answers within a task, so this is plenty. */
  settleMs?: number;
  /** Orders competing tabs (lower wins); defaults to time of the request plus a random part. */
  token?: () => string;
}

/**
 * Tabs ask "does anyone hold X?" and wait `settleMs` for a holder to say so. Tabs asking at
 * once hear each other's question (an asker repeats its own to anyone later) and the lowest
 * token wins. A winner announces its claim, so a tab that was frozen while holding the lock
 * learns it lost it when it wakes.
 */
export function broadcastLockProvider(options: BroadcastLockOptions): LockProvider {
  const settleMs = options.settleMs ?? 150;
  const token = options.token ?? (() => `${Date.now().toString(36).padStart(10, '0')}-${Math.random().toString(36).slice(2, 10)}`);
  return {
    acquire: (name, lockOptions = {}) =>
      new Promise<SessionLock>((resolve) => {
        const me = token();
        const channel = options.channel();
        const send = (kind: Message['kind']) => channel.postMessage({ kind, name, token: me } satisfies Message);
        let state: 'asking' | 'held' | 'done' = 'asking';
        let held: ReturnType<typeof heldLock> | undefined;
        const finish = async () => {
          state = 'done';
          channel.onmessage = null;
          channel.close();
        };
        const becomeHolder = () => {
          state = 'held';
          held = heldLock(finish);
          send('claim');
          resolve(held.lock);
        };
        const yieldTo = () => {
          clearTimeout(timer);
          void finish();
          resolve(readOnlyLock());
        };
        channel.onmessage = (event) => {
          const message = event.data as Partial<Message> | null;
          if (!message || message.name !== name || message.token === me || typeof message.token !== 'string') return;
          if (state === 'held') {
            if (message.kind === 'ask') send('held');
            else if (message.kind === 'claim') held?.lose();
          } else if (state === 'asking') {
            if (message.kind === 'held' || message.kind === 'claim') yieldTo();
            else if (message.kind === 'ask') {
              if (message.token < me) yieldTo();
              else send('ask'); // say it again for a tab that started asking after we did
            }
          }
        };
        let timer: ReturnType<typeof setTimeout> | undefined;
        if (lockOptions.steal) {
          becomeHolder();
          return;
        }
        send('ask');
        timer = setTimeout(() => {
          if (state === 'asking') becomeHolder();
        }, settleMs);
      }),
  };
}

function readOnlyLock(): SessionLock {
  return { readOnly: true, release: async () => {}, onLost: () => () => {} };
}

/** A held lock plus `lose()`, which lets go and fires the onLost listeners once. */
function heldLock(release: () => Promise<void>): { lock: SessionLock; lose(): void } {
  const listeners = new Set<() => void>();
  let active = true;
  let releasing: Promise<void> = Promise.resolve();
  const lock: SessionLock = {
    readOnly: false,
    release: () => {
      if (active) {
        active = false;
        releasing = release();
      }
      return releasing;
    },
    onLost: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const lose = () => {
    if (!active) return;
    active = false;
    releasing = release();
    for (const listener of listeners) listener();
  };
  return { lock, lose };
}
