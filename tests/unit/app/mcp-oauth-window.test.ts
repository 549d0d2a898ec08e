/**
 * The sign-in window (src/app/mcp-oauth.ts) over a fake page: a blocked window, the answer
 * that counts (its state) and the ones that do not, a closed window, Cancel, the five-minute
 * limit, and a window the browser cut off once it left the app's origin (COOP).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  POPUP_BLOCKED,
  POPUP_CLOSED,
  SIGN_IN_CANCELLED,
  SIGN_IN_TIMED_OUT,
  SIGN_IN_TIMEOUT_MS,
  SignInWindow,
  type PopupLike,
  type SignInHost,
} from '../../../src/app/mcp-oauth';

const CALLBACK = 'https://app.test/mcp-oauth-callback.html';
const SIGN_IN_PAGE = 'https://auth.test/authorize?client_id=c&state=s-123&code_challenge=x';

class FakePage implements SignInHost {
  popup: { opened: string; closed: boolean; location: { href: string }; close(): void } | null = null;
  blocked = false;
  cutsOffPopups = false;
  listeners = new Set<(data: unknown) => void>();
  open(url: string): PopupLike | null {
    if (this.blocked) return null;
    const popup = { opened: url, closed: false, location: { href: url }, close: () => void (popup.closed = true) };
    this.popup = popup;
    return popup;
  }
  listen(onMessage: (data: unknown) => void): () => void {
    this.listeners.add(onMessage);
    return () => this.listeners.delete(onMessage);
  }
  send(data: unknown): void {
    for (const listener of [...this.listeners]) listener(data);
  }
}

let page: FakePage;
beforeEach(() => {
  vi.useFakeTimers();
  page = new FakePage();
});
afterEach(() => vi.useRealTimers());

const answer = (fields: Record<string, string>) => ({ type: 'unroll-mcp-oauth', ...fields });

describe('SignInWindow', () => {
  it('opens on the callback page, goes to the sign-in page, and takes only the answer with its state', async () => {
    const window = new SignInWindow(page, CALLBACK);
    expect(page.popup!.opened).toBe(CALLBACK);
    const result = window.authorize(SIGN_IN_PAGE);
    expect(page.popup!.location.href).toBe(SIGN_IN_PAGE);
    page.send(answer({ code: 'forged', state: 'other' }));
    page.send({ type: 'something-else', code: 'x', state: 's-123' });
    page.send(answer({ code: 'the-code', state: 's-123' }));
    await expect(result).resolves.toEqual({ code: 'the-code', state: 's-123' });
    expect(page.listeners.size).toBe(0);
    window.close();
    expect(page.popup!.closed).toBe(true);
  });

  it('says so when the browser blocks the window', () => {
    page.blocked = true;
    expect(() => new SignInWindow(page, CALLBACK)).toThrow(POPUP_BLOCKED);
  });

  it('turns an error answer into a readable refusal', async () => {
    const window = new SignInWindow(page, CALLBACK);
    const result = window.authorize(SIGN_IN_PAGE);
    page.send(answer({ error: 'access_denied', errorDescription: 'The user said no', state: 's-123' }));
    await expect(result).rejects.toThrow('the sign-in was declined: The user said no');
  });

  it('ends when the window is closed, even before the sign-in page was known', async () => {
    const window = new SignInWindow(page, CALLBACK);
    page.popup!.closed = true;
    await vi.advanceTimersByTimeAsync(600);
    await expect(window.authorize(SIGN_IN_PAGE)).rejects.toThrow(POPUP_CLOSED);
    expect(page.popup!.location.href).toBe(CALLBACK);
  });

  it('ends on Cancel and after five minutes', async () => {
    const cancelled = new SignInWindow(page, CALLBACK);
    const first = cancelled.authorize(SIGN_IN_PAGE);
    cancelled.cancel();
    await expect(first).rejects.toThrow(SIGN_IN_CANCELLED);

    const slow = new SignInWindow(page, CALLBACK);
    const second = slow.authorize(SIGN_IN_PAGE);
    const outcome = second.catch((err: Error) => err.message);
    await vi.advanceTimersByTimeAsync(SIGN_IN_TIMEOUT_MS - 1000);
    page.send(answer({ code: 'late', state: 'wrong' }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await outcome).toBe(SIGN_IN_TIMED_OUT);
  });

  it('ends when the flow is abandoned', async () => {
    const window = new SignInWindow(page, CALLBACK);
    const abort = new AbortController();
    const result = window.authorize(SIGN_IN_PAGE, abort.signal);
    abort.abort();
    await expect(result).rejects.toThrow(SIGN_IN_CANCELLED);
  });

  it('keeps waiting for a window cut off by cross-origin isolation, which reports itself closed', async () => {
    page.cutsOffPopups = true;
    const window = new SignInWindow(page, CALLBACK);
    const result = window.authorize(SIGN_IN_PAGE);
    page.popup!.closed = true;
    await vi.advanceTimersByTimeAsync(5000);
    page.send(answer({ code: 'the-code', state: 's-123' }));
    await expect(result).resolves.toEqual({ code: 'the-code', state: 's-123' });
  });

  it('refuses a sign-in page address without a state', async () => {
    const window = new SignInWindow(page, CALLBACK);
    await expect(window.authorize('https://auth.test/authorize?client_id=c')).rejects.toThrow('carries no state');
  });
});
