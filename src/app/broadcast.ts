/**
 * Live sessions through the share service: a teacher's session published as it happens, and
 * followed by viewers in their own browsers.
 *
 * Publishing: the session as it stands is sealed under a fresh key and uploaded as a live
 * share; from then on, each time the session's log has grown (an item finished), the session
 * as it stands is sealed under the same key (a fresh IV each time) and appended as the next
 * chunk: each chunk is whole, so a viewer never has to put pieces together (the link's form of
 * a session is rebuilt from the log each time, so a suffix would not line up). A chunk that
 * failed to go is sent again with the same bytes, so a retry never makes a duplicate or a gap.
 * Following: the viewer opens the share as any `#s=` link, then waits for chunks after the
 * last one it has and shows the newest.
 */
import type { SessionDocument } from '../store/export';
import { packDocument, stripForShare, unpackDocument } from '../store/share';
import { newShareKey, open, sealWith } from '../store/share-crypto';
import { appendChunk, endLive, followChunks, serviceBase, uploadShare } from '../store/share-service';
import { SERVICE_PARAM } from './share-links';

export interface BroadcastOptions {
  service: string;
  /** The app's default service: links to it do not name it. */
  defaultService?: string;
  /** The session as it stands now. */
  load: () => Promise<SessionDocument>;
  fetch?: typeof fetch;
  /** How often the session is checked for new records (ms). */
  intervalMs?: number;
  /** Hears a failure to send (it is tried again at the next check). */
  onProblem?: (problem: string) => void;
}

/** Where a live share is and the secrets that write to it, end it and seal its chunks. */
interface LiveShare {
  base: string;
  id: string;
  deleteToken: string;
  key: string;
  writeToken: string;
}

export class Broadcast {
  #sent: number;
  #seq = 0;
  #pending: { seq: number; bytes: Uint8Array; upTo: number } | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #busy = false;
  #stopped = false;

  readonly #share: LiveShare;
  readonly #options: BroadcastOptions;

  /**
   * Publishes to a live share already uploaded, from its record `sent` on; `Broadcast.start`
   * uploads one and starts the checks, and is the way in.
   */
  constructor(
    /** The link viewers open. */
    readonly url: string,
    share: LiveShare,
    sent: number,
    options: BroadcastOptions,
  ) {
    this.#share = share;
    this.#options = options;
    this.#sent = sent;
  }

  static async start(appUrl: string, options: BroadcastOptions): Promise<Broadcast> {
    const base = serviceBase(options.service);
    const { document } = stripForShare(await options.load());
    const key = newShareKey();
    const uploaded = await uploadShare(base, await sealWith(key, packDocument(document)), {
      live: true,
      idempotencyKey: crypto.randomUUID(),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (!uploaded.writeToken) throw new Error('The share service did not make a live share (it may be an older version).');
    const via = options.defaultService && serviceBase(options.defaultService) === base ? '' : `&via=${encodeURIComponent(base)}`;
    const url = `${appUrl.split('#')[0]}#${SERVICE_PARAM}=${uploaded.id}.${key}&live=1${via}`;
    const broadcast = new Broadcast(
      url,
      { base, id: uploaded.id, deleteToken: uploaded.deleteToken, key, writeToken: uploaded.writeToken },
      document.log.length,
      options,
    );
    broadcast.#timer = setInterval(() => void broadcast.tick(), options.intervalMs ?? 700);
    return broadcast;
  }

  /** Where the live share is and how to delete it. */
  get made(): { base: string; id: string; deleteToken: string } {
    return { base: this.#share.base, id: this.#share.id, deleteToken: this.#share.deleteToken };
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops publishing and tells the followers it ended (best effort: they also just stop hearing). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    void endLive(this.#share.base, this.#share.id, this.#share.writeToken, this.#options.fetch ? { fetch: this.#options.fetch } : {}).catch(
      () => undefined,
    );
  }

  /** Sends what the session gained since the last chunk (one check; the timer calls it). */
  async tick(): Promise<void> {
    if (this.#busy || this.#stopped) return;
    this.#busy = true;
    try {
      if (!this.#pending) {
        const { document } = stripForShare(await this.#options.load());
        if (document.log.length <= this.#sent) return;
        this.#pending = { seq: this.#seq + 1, bytes: await sealWith(this.#share.key, packDocument(document)), upTo: document.log.length };
      }
      const pending = this.#pending;
      await appendChunk(
        this.#share.base,
        this.#share.id,
        this.#share.writeToken,
        pending.seq,
        pending.bytes,
        this.#options.fetch ? { fetch: this.#options.fetch } : {},
      );
      this.#seq = pending.seq;
      this.#sent = pending.upTo;
      this.#pending = null;
    } catch (err) {
      this.#options.onProblem?.(err instanceof Error ? err.message : String(err));
    } finally {
      this.#busy = false;
    }
  }
}

/**
 * Follows a live share: `onDocument` gets the session as it stands each time a chunk comes. Ends
 * when the broadcaster ends it (`onEnded`) or `signal` aborts; a failed wait (the service
 * restarting, the network gone) is tried again after a pause, from the last chunk it has.
 */
export async function followBroadcast(
  link: { id: string; key: string; base: string },
  onDocument: (document: SessionDocument) => void,
  options: { signal: AbortSignal; fetch?: typeof fetch; waitSeconds?: number; retryMs?: number; onEnded?: () => void },
): Promise<void> {
  let after = 0;
  let newest: Uint8Array | null = null;
  while (!options.signal.aborted) {
    let chunks: { seq: number; bytes: Uint8Array }[];
    try {
      const answer = await followChunks(link.base, link.id, after, options.waitSeconds ?? 20, {
        signal: options.signal,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      if (answer.ended) {
        options.onEnded?.();
        return;
      }
      chunks = answer.chunks;
    } catch {
      if (options.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 2_000));
      continue;
    }
    for (const chunk of chunks) {
      if (chunk.seq !== after + 1) break; // in order: the rest comes with the next wait
      newest = chunk.bytes;
      after = chunk.seq;
    }
    if (newest && !options.signal.aborted) {
      const plain = await open(newest, link.key);
      newest = null;
      if (!(plain instanceof Uint8Array)) return;
      // Checked as hostile as the first document: what arrives live is data too.
      const checked = unpackDocument(plain);
      if (checked.ok) onDocument(checked.document);
    }
  }
}
