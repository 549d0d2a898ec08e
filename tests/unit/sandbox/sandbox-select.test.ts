import { describe, expect, it } from 'vitest';
import type { BootStatus, Sandbox } from '../../../src/sandbox/sandbox';
import {
  BesideFailure,
  LOST_WITHOUT_WEBCONTAINER,
  selectSandbox,
  WebContainerRequiredError,
  type PageEnvironment,
  type SelectOptions,
} from '../../../src/sandbox/select';
import { unsupportedReason } from '../../../src/sandbox/webcontainer/boot';

const good: PageEnvironment = { crossOriginIsolated: true, isSecureContext: true, sharedArrayBuffer: true, online: true };

/** A stand-in with only what selection touches: boot, status events, dispose. */
function fakeSandbox(kind: Sandbox['kind'], boot: () => Promise<void>, progress: string[] = []) {
  const listeners = new Set<(s: BootStatus) => void>();
  const calls = { boot: 0, dispose: 0 };
  const sandbox = {
    kind,
    onStatus(listener: (s: BootStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async boot() {
      calls.boot++;
      for (const text of progress) for (const l of listeners) l({ state: 'booting', progress: text });
      await boot();
    },
    async dispose() {
      calls.dispose++;
    },
  } as unknown as Sandbox;
  return { sandbox, calls };
}

/**
 * A WebContainer stand-in booting with `wcBoot` (and reporting `wcProgress`), an embedded one that
 * always boots, and `select`: an automatic selection over both on a capable page, with `options`
 * laid over it.
 */
function twoSandboxes(wcBoot: () => Promise<void> = async () => {}, wcProgress: string[] = []) {
  const wc = fakeSandbox('webcontainer', wcBoot, wcProgress);
  const emb = fakeSandbox('embedded', async () => {});
  const select = (options: Partial<SelectOptions> = {}) =>
    selectSandbox({
      preference: 'auto',
      environment: good,
      createWebContainer: () => wc.sandbox,
      createEmbedded: () => emb.sandbox,
      ...options,
    });
  return { wc, emb, select };
}

describe('selectSandbox', () => {
  it('prefixes a bare boot error with what failed', async () => {
    const { select } = twoSandboxes(async () => {
      throw new Error('Only a single WebContainer instance can be booted');
    });
    const chosen = await select();
    expect(chosen.fallback?.reason).toBe('WebContainer failed to start: Only a single WebContainer instance can be booted.');
  });

  it('uses WebContainer when the page allows it and it boots', async () => {
    const { emb, select } = twoSandboxes(async () => {}, ['Loading the runtime…']);
    const progress: string[] = [];
    const chosen = await select({ onProgress: (t) => progress.push(t) });
    expect(chosen.sandbox.kind).toBe('webcontainer');
    expect(chosen.fallback).toBeUndefined();
    expect(emb.calls.boot).toBe(0);
    expect(progress).toEqual(['Starting the WebContainer sandbox…', 'Loading the runtime…']);
  });

  it('falls back with the boot failure as the reason and disposes the failed container', async () => {
    const { wc, select } = twoSandboxes(async () => {
      throw new Error('WebContainer did not start within 8 s (is StackBlitz reachable?)');
    });
    const chosen = await select();
    expect(chosen.sandbox.kind).toBe('embedded');
    expect(chosen.fallback).toEqual({
      reason: 'WebContainer did not start within 8 s (is StackBlitz reachable?).',
      lost: LOST_WITHOUT_WEBCONTAINER,
      cause: 'failed',
    });
    expect(wc.calls.dispose).toBe(1);
  });

  it.each([
    [{ crossOriginIsolated: false }, /not cross-origin isolated/],
    [{ isSecureContext: false }, /HTTPS or localhost/],
    [{ sharedArrayBuffer: false }, /SharedArrayBuffer/],
    [{ online: false }, /offline/],
    [
      {
        userAgent:
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      },
      /iOS and iPadOS/,
    ],
    [{ cookieEnabled: false }, /blocks cookies and site storage/],
  ])('does not even try WebContainer when %o', async (patch, reason) => {
    const { wc, select } = twoSandboxes();
    const chosen = await select({ environment: { ...good, ...patch } });
    expect(chosen.sandbox.kind).toBe('embedded');
    expect(chosen.fallback?.reason).toMatch(reason);
    expect(wc.calls.boot).toBe(0);
  });

  it('"WebContainer only" never falls back: a boot failure or a blocked page rejects, and nothing else starts', async () => {
    const { wc, emb, select } = twoSandboxes(async () => {
      throw new Error('WebContainer did not start within 45 s (is StackBlitz reachable from this network?)');
    });
    const forced = (environment: PageEnvironment) => select({ preference: 'webcontainer', environment });

    const timedOut = forced(good);
    await expect(timedOut).rejects.toBeInstanceOf(WebContainerRequiredError);
    await expect(timedOut).rejects.toThrow('WebContainer did not start within 45 s (is StackBlitz reachable from this network?).');
    expect(wc.calls.dispose).toBe(1);

    await expect(forced({ ...good, online: false })).rejects.toThrow(/WebContainer can't start: the browser is offline/);
    expect(wc.calls.boot).toBe(1);
    expect(emb.calls.boot).toBe(0);
  });

  it('honours a forced embedded preference without a fallback notice', async () => {
    const { wc, emb, select } = twoSandboxes();
    const chosen = await select({ preference: 'embedded' });
    expect(chosen).toEqual({ sandbox: emb.sandbox });
    expect(wc.calls.boot).toBe(0);
  });

  it('names no blocker for a capable page', () => {
    expect(unsupportedReason(good)).toBeUndefined();
  });
});

describe('selectSandbox with WebContainer beside the embedded sandbox', () => {
  it('serves the embedded sandbox at once, without even creating WebContainer until asked', async () => {
    let created = 0;
    const { wc, select } = twoSandboxes(() => new Promise(() => {}));
    const chosen = await select({
      beside: true,
      createWebContainer: () => {
        created++;
        return wc.sandbox;
      },
    });
    expect(chosen.sandbox.kind).toBe('embedded');
    expect(chosen.fallback).toBeUndefined();
    expect(created).toBe(0);
    expect(chosen.beside).toBeTypeOf('function');
  });

  it('boots WebContainer when asked, reporting its progress, and hands it over once ready', async () => {
    const { wc, select } = twoSandboxes(async () => {}, ['Loading the runtime…']);
    const chosen = await select({ beside: true, createWebContainer: async () => wc.sandbox });
    const progress: string[] = [];
    expect(await chosen.beside?.((text) => progress.push(text))).toBe(wc.sandbox);
    expect(progress).toEqual(['Loading the runtime…']);
  });

  it('says why WebContainer will not come, as a fallback, and disposes the failed one', async () => {
    const { wc, select } = twoSandboxes(async () => {
      throw new Error('StackBlitz did not answer within 15 s (is stackblitz.com reachable from this network?)');
    });
    const chosen = await select({ beside: true });
    const failure = await chosen.beside?.(() => {}).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(BesideFailure);
    expect((failure as BesideFailure).fallback).toEqual({
      reason: 'StackBlitz did not answer within 15 s (is stackblitz.com reachable from this network?).',
      lost: LOST_WITHOUT_WEBCONTAINER,
      cause: 'failed',
    });
    expect(wc.calls.dispose).toBe(1);
  });

  it('does not boot beside where the page cannot run it, or when it failed here recently', async () => {
    const { select } = twoSandboxes();
    const blocked = await select({ environment: { ...good, crossOriginIsolated: false }, beside: true });
    expect(blocked.beside).toBeUndefined();
    expect(blocked.fallback?.cause).toBe('unsupported');
    const remembered = await select({ beside: true, skipReason: 'It failed here.' });
    expect(remembered.beside).toBeUndefined();
    expect(remembered.fallback?.cause).toBe('remembered');
  });
});
