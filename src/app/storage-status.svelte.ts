/**
 * How safe the saved sessions are from the browser: whether its storage is persistent (kept
 * under storage pressure instead of evicted with the site's data), how much of the quota is
 * used, and whether it is nearly full. Persistence is asked for once per browser, after the
 * first saved turn: Firefox answers `persist()` with a permission prompt, and a prompt on page
 * load, before the person has anything worth keeping, gets refused. Every call tolerates a
 * missing or throwing StorageManager (insecure contexts and some embedded browsers have none):
 * the answer is then unknown (null), never an exception.
 */
import { untrack } from 'svelte';
import { StoreError } from '../store/errors';
import { hostClearTimeout, hostSetTimeout } from './host-timers';

/** The slice of `navigator.storage` used; the page passes `navigator.storage`, tests a plain object. */
export interface StoragePort {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

/** Where the answer to the one automatic request is remembered (localStorage in the page). */
export type AnswerMemory = Pick<Storage, 'getItem' | 'setItem'>;

export interface StorageStatusOptions {
  port: StoragePort | null | undefined;
  memory?: AnswerMemory | null;
  /** Saves closer together than this share one estimate (default 10 s): it is not free in every browser. */
  estimateGapMs?: number;
  now?: () => number;
  /** Runs `run` after `ms`; returns a cancel. Defaults to the host's timer (just-bash blocks the global one while its scripts run). */
  schedule?: (run: () => void, ms: number) => () => void;
}

/** One observation of the open session, for `observe`. */
export interface TurnProgress {
  /** The open session's stored id; null until its first item is saved. */
  sessionId: string | null;
  itemCount: number;
  /** Stored bytes: it changes when a workspace snapshot alone is saved. */
  bytes: number;
  /** A turn is under way. */
  running: boolean;
}

export const PERSIST_ANSWER_KEY = 'unroll.persistAnswer';
/**
 * Nearly full when a fifth of the quota or less than 50 MB is left, whichever comes first.
 * The share catches small quotas (Safari starts around 1 GB, private windows far lower) early
 * enough to export; the floor matters for large ones (Chromium offers a share of the whole
 * disk, which shrinks as the disk fills, so "80 % of 60 GB" would warn far too late): a turn
 * that writes big files can store several MB, so 50 MB is a handful of busy turns.
 */
const NEARLY_FULL_SHARE = 0.8;
export const NEARLY_FULL_LEFT_BYTES = 50 * 1024 * 1024;

export class StorageStatus {
  #persistent = $state<boolean | null>(null);
  #usage = $state<number | null>(null);
  #quota = $state<number | null>(null);
  /** The last explicit request was turned down: the dialog says what helps. */
  declined = $state(false);
  /** The nearly-full warning was put away for this page load. */
  dismissed = $state(false);
  readonly #port: StoragePort | null;
  readonly #memory: AnswerMemory | null;
  readonly #gap: number;
  readonly #now: () => number;
  readonly #schedule: (run: () => void, ms: number) => () => void;
  #askedHere = false;
  #lastEstimate = -Infinity;
  #cancelEstimate: (() => void) | null = null;
  #seen: TurnProgress = { sessionId: null, itemCount: 0, bytes: 0, running: false };
  /** The turn under way (or ended, its items not yet seen saved): its session and item count before it. */
  #turn: { sessionId: string | null; before: number } | null = null;

  constructor(options: StorageStatusOptions) {
    this.#port = options.port ?? null;
    this.#memory = options.memory ?? null;
    this.#gap = options.estimateGapMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#schedule =
      options.schedule ??
      ((run, ms) => {
        const timer = hostSetTimeout(run, ms);
        return () => hostClearTimeout(timer);
      });
  }

  /** true: kept until the user clears it; false: best effort, may be evicted; null: unknown. */
  get persistent(): boolean | null {
    return this.#persistent;
  }

  /** Bytes the site uses, or null when unknown. */
  get usage(): number | null {
    return this.#usage;
  }

  /** Bytes the site may use, or null when unknown. */
  get quota(): number | null {
    return this.#quota;
  }

  get nearlyFull(): boolean {
    const usage = this.#usage;
    const quota = this.#quota;
    if (usage === null || !quota) return false;
    return usage >= quota * NEARLY_FULL_SHARE || quota - usage < NEARLY_FULL_LEFT_BYTES;
  }

  /** Whether the browser can be asked at all (the dialog's button). */
  get canAsk(): boolean {
    return typeof this.#port?.persist === 'function' && this.#persistent !== true;
  }

  /** "3.2 MB of 1.1 GB (0 %)", or null when unknown. */
  get usageText(): string | null {
    const usage = this.#usage;
    const quota = this.#quota;
    if (usage === null || !quota) return null;
    return `${formatBytes(usage)} of ${formatBytes(quota)} (${Math.floor((usage / quota) * 100)} %)`;
  }

  /** Reads persistence and the estimate again. Never throws. */
  async refresh(): Promise<void> {
    await Promise.all([this.#readPersisted(), this.#estimate()]);
  }

  /**
   * A turn's items are saved: the estimate is read again, and the first time in this browser
   * persistence is asked for (unless it is already granted). Never throws.
   */
  async afterSavedTurn(): Promise<void> {
    const estimate = this.#estimate();
    if (!this.#askedHere && !this.#remembered()) {
      this.#askedHere = true;
      if ((await this.#readPersisted()) === true) this.#remember(true);
      else {
        const answer = await this.#ask();
        if (answer !== null) this.#remember(answer);
      }
    }
    await estimate;
  }

  /** Something was saved: the estimate is read again, at most once per gap, the last save always counted. */
  afterSave(): void {
    if (this.#cancelEstimate) return;
    const wait = this.#lastEstimate + this.#gap - this.#now();
    if (wait <= 0) {
      void this.#estimate();
      return;
    }
    this.#cancelEstimate = this.#schedule(() => {
      this.#cancelEstimate = null;
      void this.#estimate();
    }, wait);
  }

  /** The person asked (the dialog's button): asks whatever was answered before. */
  async requestPersistence(): Promise<boolean | null> {
    const answer = await this.#ask();
    if (answer !== null) this.#remember(answer);
    this.declined = answer === false;
    return answer;
  }

  /**
   * Follows the open session and its chat (see `watchSavedTurns`): a change of its stored
   * size is a save (`afterSave`); a turn that ended with items saved since it began is a
   * saved turn (`afterSavedTurn`). Opening another session is neither.
   */
  observe(now: TurnProgress): void {
    const before = this.#seen;
    this.#seen = { ...now };
    // A new session gets its id from its first save, during its first turn: the same session.
    const created = before.sessionId === null && now.sessionId !== null && this.#turn?.sessionId === null;
    if (created && this.#turn) this.#turn.sessionId = now.sessionId;
    else if (now.sessionId !== before.sessionId) this.#turn = null;
    const sameSession = created || now.sessionId === before.sessionId;
    if (now.running && !before.running) this.#turn = { sessionId: now.sessionId, before: sameSession ? before.itemCount : now.itemCount };
    if (now.sessionId !== null && sameSession && (now.itemCount !== before.itemCount || now.bytes !== before.bytes)) this.afterSave();
    const turn = this.#turn;
    if (turn && !now.running && turn.sessionId !== null && now.itemCount > turn.before) {
      this.#turn = null;
      void this.afterSavedTurn();
    }
  }

  dispose(): void {
    this.#cancelEstimate?.();
    this.#cancelEstimate = null;
  }

  async #readPersisted(): Promise<boolean | null> {
    const value = await attempt(this.#port, 'persisted');
    this.#persistent = typeof value === 'boolean' ? value : null;
    return this.#persistent;
  }

  async #ask(): Promise<boolean | null> {
    const answer = await attempt(this.#port, 'persist');
    if (typeof answer !== 'boolean') return null;
    this.#persistent = answer || (await this.#readPersisted());
    return answer;
  }

  async #estimate(): Promise<void> {
    this.#lastEstimate = this.#now();
    const estimate = await attempt(this.#port, 'estimate');
    this.#usage = finite(estimate?.usage);
    this.#quota = finite(estimate?.quota);
  }

  #remembered(): boolean {
    try {
      return this.#memory?.getItem(PERSIST_ANSWER_KEY) != null;
    } catch {
      return false;
    }
  }

  #remember(answer: boolean): void {
    try {
      this.#memory?.setItem(PERSIST_ANSWER_KEY, answer ? 'granted' : 'declined');
    } catch {
      // A full or refused localStorage: the request may come again next load, which is harmless.
    }
  }
}

/** Anything with an open stored session and a chat that runs turns: `Sessions` fits. */
export interface TurnSource {
  readonly current: { readonly id: string; readonly itemCount: number; readonly bytes: number } | null;
  readonly chat: { readonly running: boolean } | null;
}

/** Feeds `source`'s open session to `storage.observe` as it changes; returns the stop. */
export function watchSavedTurns(storage: StorageStatus, source: TurnSource): () => void {
  return $effect.root(() => {
    $effect(() => {
      const progress = turnProgress(source);
      untrack(() => storage.observe(progress));
    });
  });
}

export function turnProgress(source: TurnSource): TurnProgress {
  const current = source.current;
  return { sessionId: current?.id ?? null, itemCount: current?.itemCount ?? 0, bytes: current?.bytes ?? 0, running: source.chat?.running ?? false };
}

/** Whether a `Sessions.problem` text is the store's "no more room" message. */
export function isQuotaProblem(problem: string): boolean {
  return problem !== '' && problem.includes(new StoreError('quota').userMessage);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * The port's method's result, or null when it is missing, throws or rejects. Called on the
 * port itself: StorageManager's methods throw "Illegal invocation" when detached.
 */
async function attempt<K extends keyof StoragePort>(
  port: StoragePort | null,
  name: K,
): Promise<Awaited<ReturnType<NonNullable<StoragePort[K]>>> | null> {
  try {
    if (!port || typeof port[name] !== 'function') return null;
    return (await port[name]()) as Awaited<ReturnType<NonNullable<StoragePort[K]>>>;
  } catch {
    return null;
  }
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
