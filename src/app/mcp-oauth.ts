/**
 * The window an MCP server's sign-in happens in (OAuth; src/mcp/sign-in.ts runs the flow).
 * It opens on the person's click — a window opened later, after the flow's first requests,
 * would be blocked — on the callback page, which says the sign-in page is on its way;
 * `authorize` then sends it there. The callback page (public/mcp-oauth-callback.js) hands the
 * answer back over a BroadcastChannel, and to its opener when the browser kept the link; only
 * an answer carrying the state of the authorization URL counts. The wait ends when the window
 * is closed, on `cancel()`, or after five minutes.
 *
 * The app is cross-origin isolated (COOP same-origin): once the window shows another origin,
 * the browser cuts it off and reports it closed whether it is or not. From then on only the
 * answer, `cancel()` and the timeout end the wait.
 */

const SIGN_IN_CHANNEL = 'unroll-mcp-oauth';
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
export const CALLBACK_PATH = '/mcp-oauth-callback.html';

export const POPUP_BLOCKED = 'the browser blocked the sign-in window; allow pop-ups for this page and click Sign in again';
export const POPUP_CLOSED = 'the sign-in window was closed before the sign-in finished';
export const SIGN_IN_CANCELLED = 'the sign-in was cancelled';
export const SIGN_IN_TIMED_OUT = 'the sign-in took longer than 5 minutes; click Sign in to try again';

const POLL_MS = 500;

/** What the callback page sends (public/mcp-oauth-callback.js). */
export interface CallbackMessage {
  type: 'unroll-mcp-oauth';
  state?: string;
  code?: string;
  error?: string;
  errorDescription?: string;
}

/** A window as `window.open` returns it. */
export interface PopupLike {
  readonly closed: boolean;
  location: { href: string };
  close(): void;
}

/** What the sign-in window needs from the page (a fake in tests). */
export interface SignInHost {
  /** `window.open`; null when the browser blocked it. */
  open(url: string): PopupLike | null;
  /** Calls `onMessage` with every message from a callback page; returns the unsubscribe. */
  listen(onMessage: (data: unknown) => void): () => void;
  /** Whether a window that leaves this origin is cut off (COOP), so that its `closed` tells nothing. */
  readonly cutsOffPopups: boolean;
}

export function browserSignInHost(): SignInHost {
  return {
    open: (url) => window.open(url, '_blank', 'popup,width=520,height=720'),
    listen(onMessage) {
      const channel = new BroadcastChannel(SIGN_IN_CHANNEL);
      channel.onmessage = (event) => onMessage(event.data);
      const fromOpened = (event: MessageEvent) => {
        if (event.origin === window.location.origin) onMessage(event.data);
      };
      window.addEventListener('message', fromOpened);
      return () => {
        channel.close();
        window.removeEventListener('message', fromOpened);
      };
    },
    cutsOffPopups: globalThis.crossOriginIsolated === true,
  };
}

export class SignInWindow {
  readonly #host: SignInHost;
  readonly #popup: PopupLike;
  readonly #outcome: Promise<{ code: string; state: string }>;
  #resolve!: (answer: { code: string; state: string }) => void;
  #reject!: (error: Error) => void;
  #expected = '';
  #navigated = false;
  #done = false;
  readonly #unlisten: () => void;
  readonly #poll: ReturnType<typeof setInterval>;
  readonly #timeout: ReturnType<typeof setTimeout>;

  /** Opens the window on `callbackUrl` now; throws an Error (POPUP_BLOCKED) when the browser refuses. */
  constructor(host: SignInHost, callbackUrl: string, timeoutMs = SIGN_IN_TIMEOUT_MS) {
    const popup = host.open(callbackUrl);
    if (!popup) throw new Error(POPUP_BLOCKED);
    this.#host = host;
    this.#popup = popup;
    this.#outcome = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Whoever awaits `authorize` hears of a failure; one before it was called is not unhandled.
    this.#outcome.catch(() => {});
    this.#unlisten = host.listen((data) => this.#heard(data));
    this.#poll = setInterval(() => this.#watch(), POLL_MS);
    this.#timeout = setTimeout(() => this.#fail(SIGN_IN_TIMED_OUT), timeoutMs);
  }

  /**
   * Shows the sign-in page at `url` and resolves with the answer whose state is the one `url`
   * carries. Rejects with an Error for the person (closed, cancelled, timed out, refused).
   */
  authorize(url: string, signal?: AbortSignal): Promise<{ code: string; state: string }> {
    const state = new URL(url).searchParams.get('state');
    if (!state) this.#fail('the sign-in page address carries no state, so its answer could not be checked');
    else if (!this.#done) {
      this.#expected = state;
      signal?.addEventListener('abort', () => this.#fail(SIGN_IN_CANCELLED), { once: true });
      try {
        this.#popup.location.href = url;
        this.#navigated = true;
      } catch {
        this.#fail(POPUP_CLOSED);
      }
    }
    return this.#outcome;
  }

  /** Ends the wait (the person clicked Cancel). */
  cancel(): void {
    this.#fail(SIGN_IN_CANCELLED);
  }

  /** Stops listening and closes the window if it can still be reached. Call once the sign-in ended. */
  close(): void {
    this.#finish();
    try {
      if (!this.#popup.closed) this.#popup.close();
    } catch {
      // A window the browser cut off cannot be closed from here; the callback page closes itself.
    }
  }

  #heard(data: unknown): void {
    const message = data as Partial<CallbackMessage> | null;
    if (this.#done || !this.#expected || message?.type !== 'unroll-mcp-oauth' || message.state !== this.#expected) return;
    if (message.error) {
      const why = message.error === 'access_denied' ? 'the sign-in was declined' : `the sign-in page answered "${message.error}"`;
      return this.#fail(message.errorDescription ? `${why}: ${message.errorDescription}` : why);
    }
    if (!message.code) return this.#fail('the sign-in page sent no authorization code back');
    const answer = { code: message.code, state: message.state };
    this.#finish();
    this.#resolve(answer);
  }

  #watch(): void {
    if (!this.#popup.closed) return;
    // Cut off (COOP) once it left this origin: `closed` says nothing any more.
    if (this.#navigated && this.#host.cutsOffPopups) return void clearInterval(this.#poll);
    this.#fail(POPUP_CLOSED);
  }

  #fail(message: string): void {
    if (this.#done) return;
    this.#finish();
    this.#reject(new Error(message));
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#unlisten();
    clearInterval(this.#poll);
    clearTimeout(this.#timeout);
  }
}
