import { afterEach, describe, expect, it } from 'vitest';
import type { BootStatus } from '../../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { BOOT_SLOT, forgetSharedBoot, formatSeconds, previewCoep, unsupportedReason } from '../../../src/sandbox/webcontainer/boot';
import type { WcBoot, WcInstance } from '../../../src/sandbox/webcontainer/types';
import { FakeWebContainer, ISOLATED, fakeBoot } from '../../support/webcontainer-fake';

/** A boot the test resolves (or never does: StackBlitz unreachable). */
function pendingBoot() {
  let resolve: (wc: WcInstance) => void = () => {};
  let reject: (err: Error) => void = () => {};
  const promise = new Promise<WcInstance>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const boot: WcBoot & { calls: number } = Object.assign(
    (_o: Parameters<WcBoot>[0], progress: Parameters<WcBoot>[1]) => {
      boot.calls++;
      progress('Booting…');
      return promise;
    },
    { calls: 0 },
  );
  return { boot, resolve, reject };
}

describe('whether the page can run a WebContainer', () => {
  it('is unsupported without cross-origin isolation, a secure context or SharedArrayBuffer', async () => {
    expect(unsupportedReason(ISOLATED)).toBeUndefined();
    expect(unsupportedReason({ ...ISOLATED, crossOriginIsolated: false })).toMatch(/not cross-origin isolated.*Cross-Origin-Embedder-Policy/);
    expect(unsupportedReason({ ...ISOLATED, isSecureContext: false })).toMatch(/not a secure context/);
    expect(unsupportedReason({ ...ISOLATED, sharedArrayBuffer: false })).toMatch(/SharedArrayBuffer/);

    const boot = fakeBoot(new FakeWebContainer());
    const sb = createWebContainerSandbox({}, { toolbox: null, boot, environment: { ...ISOLATED, crossOriginIsolated: false }, bootSlot: {} });
    expect(sb.status.state).toBe('unsupported');
    await expect(sb.boot()).rejects.toThrow(/not cross-origin isolated/);
    await expect(sb.fs.readFile('a.txt')).rejects.toThrow(/not cross-origin isolated/);
    expect(boot.calls).toBe(0);
  });

  it('in Node (no window) the default environment is unsupported', () => {
    expect(createWebContainerSandbox({}, { toolbox: null, bootSlot: {} }).status.state).toBe('unsupported');
  });
});

describe('booting', () => {
  it('reports progress, becomes ready and takes the workdir as the workspace root', async () => {
    const wc = new FakeWebContainer('/home/project');
    const sb = createWebContainerSandbox({ workdirName: 'project' }, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
    expect(sb.kind).toBe('webcontainer');
    expect(sb.capabilities).toEqual({ node: true, liveProcesses: true, previews: true });
    expect(sb.describe().root).toBe('/home/project');
    const seen: BootStatus[] = [];
    sb.onStatus((s) => seen.push(s));
    const first = sb.boot();
    expect(sb.boot()).toBe(first);
    await first;
    expect(seen.map((s) => s.state)).toEqual(['booting', 'booting', 'ready']);
    expect(seen[1]).toEqual({ state: 'booting', progress: 'Booting the fake…' });
    expect(sb.describe()).toMatchObject({ kind: 'webcontainer', root: '/home/project' });
    expect(sb.describe().notes).toMatch(/Node\.js.*npm/);
    expect(sb.describe().notes).toMatch(/python3 \(standard library only\)/);
  });

  it('fails with a reason when the runtime never answers, and fails operations at once afterwards', async () => {
    const { boot } = pendingBoot();
    const sb = createWebContainerSandbox({ bootTimeoutMs: 30 }, { toolbox: null, boot, environment: ISOLATED, bootSlot: {} });
    await expect(sb.boot()).rejects.toThrow('WebContainer did not start within 30 ms (is StackBlitz reachable from this network?)');
    expect(sb.status).toEqual({ state: 'failed', reason: 'WebContainer did not start within 30 ms (is StackBlitz reachable from this network?)' });
    await expect(sb.fs.readFile('x')).rejects.toThrow(/did not start/);
    const result = await sb.exec.run('echo hi');
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/did not start/);
    expect(boot.calls).toBe(1);
  });

  it('a retry after a timeout waits on the same page boot instead of starting another', async () => {
    const { boot, resolve } = pendingBoot();
    const sb = createWebContainerSandbox({ bootTimeoutMs: 30 }, { toolbox: null, boot, environment: ISOLATED, bootSlot: {} });
    await expect(sb.boot()).rejects.toThrow(/did not start/);
    resolve(new FakeWebContainer());
    await sb.boot();
    expect(sb.status.state).toBe('ready');
    expect(boot.calls).toBe(1);
  });

  it('a boot that finishes after its sandbox gave up and was disposed is torn down, not left running', async () => {
    const { boot, resolve } = pendingBoot();
    const slot = {};
    const sb = createWebContainerSandbox({ bootTimeoutMs: 30 }, { toolbox: null, boot, environment: ISOLATED, bootSlot: slot });
    await expect(sb.boot()).rejects.toThrow(/did not start/);
    await sb.dispose();
    const late = new FakeWebContainer();
    resolve(late);
    await new Promise((r) => setTimeout(r, 0));
    expect(late.tornDown).toBe(true);
    // The page's slot is free again: a new sandbox boots a new instance.
    const next = new FakeWebContainer();
    const again = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(next), environment: ISOLATED, bootSlot: slot });
    await again.boot();
    expect(again.status.state).toBe('ready');
  });

  it('forgets a boot that failed outright, so the next attempt boots again', async () => {
    const failing = pendingBoot();
    const slot = {};
    const sb = createWebContainerSandbox({}, { toolbox: null, boot: failing.boot, environment: ISOLATED, bootSlot: slot });
    const attempt = sb.boot();
    failing.reject(new Error('Only a single WebContainer instance can be booted'));
    await expect(attempt).rejects.toThrow('Only a single WebContainer instance can be booted');
    expect(sb.status).toEqual({ state: 'failed', reason: 'Only a single WebContainer instance can be booted' });
    const wc = new FakeWebContainer();
    const again = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: slot });
    await again.boot();
    expect(again.status.state).toBe('ready');
  });

  it('formats the timeout for people', () => {
    expect(formatSeconds(20_000)).toBe('20 s');
    expect(formatSeconds(1500)).toBe('1.5 s');
    expect(formatSeconds(250)).toBe('250 ms');
  });
});

describe('one boot per page', () => {
  afterEach(() => forgetSharedBoot());

  it('a second sandbox on the page (after a hot reload) reuses the first boot', async () => {
    const wc = new FakeWebContainer();
    const boot = fakeBoot(wc);
    const slot = {};
    const first = createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED, bootSlot: slot });
    const second = createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED, bootSlot: slot });
    await Promise.all([first.boot(), second.boot()]);
    expect(boot.calls).toBe(1);
    wc.fs.put('shared.txt', 'one container');
    expect(await second.fs.readFile('shared.txt')).toBe('one container');
  });

  it('keeps the boot on globalThis under a registered symbol by default', async () => {
    const wc = new FakeWebContainer();
    const boot = fakeBoot(wc);
    await createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED }).boot();
    expect((globalThis as Record<symbol, unknown>)[BOOT_SLOT]).toBeDefined();
    expect(BOOT_SLOT).toBe(Symbol.for('unroll.webcontainer.boot'));
    await createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED }).boot();
    expect(boot.calls).toBe(1);
  });

  it('dispose tears the container down and forgets it, so the next sandbox boots anew', async () => {
    const wc = new FakeWebContainer();
    const boot = fakeBoot(wc);
    const slot = {};
    const sb = createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED, bootSlot: slot });
    await sb.boot();
    expect(wc.listenerCount()).toBeGreaterThan(0);
    await sb.dispose();
    expect(wc.tornDown).toBe(true);
    expect(wc.listenerCount()).toBe(0);
    await expect(sb.boot()).rejects.toThrow(/disposed/);
    await createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED, bootSlot: slot }).boot();
    expect(boot.calls).toBe(2);
  });
});

describe('the COEP the WebContainer boots with', () => {
  const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  const firefox = (v: number, os = 'X11; Linux x86_64') => `Mozilla/5.0 (${os}; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`;
  const safari = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

  it('is credentialless in Chromium (seen by its credentialless iframes) and desktop Firefox 119+, require-corp elsewhere', () => {
    expect(previewCoep({ ...ISOLATED, userAgent: chrome, credentiallessIframes: true })).toBe('credentialless');
    expect(previewCoep({ ...ISOLATED, userAgent: firefox(119) })).toBe('credentialless');
    expect(previewCoep({ ...ISOLATED, userAgent: firefox(132, 'Windows NT 10.0; Win64; x64') })).toBe('credentialless');
    expect(previewCoep({ ...ISOLATED, userAgent: firefox(118) })).toBe('require-corp');
    expect(previewCoep({ ...ISOLATED, userAgent: firefox(128, 'Android 14; Mobile') })).toBe('require-corp');
    expect(previewCoep({ ...ISOLATED, userAgent: safari })).toBe('require-corp');
    // An old Chromium without credentialless iframes, or a browser that tells nothing.
    expect(previewCoep({ ...ISOLATED, userAgent: chrome, credentiallessIframes: false })).toBe('require-corp');
    expect(previewCoep(ISOLATED)).toBe('require-corp');
  });

  it('is passed to the boot; an explicit option wins', async () => {
    const boots = [
      { environment: { ...ISOLATED, userAgent: chrome, credentiallessIframes: true }, options: {}, coep: 'credentialless' },
      { environment: { ...ISOLATED, userAgent: safari }, options: {}, coep: 'require-corp' },
      { environment: { ...ISOLATED, credentiallessIframes: true }, options: { coep: 'require-corp' as const }, coep: 'require-corp' },
    ];
    for (const { environment, options, coep } of boots) {
      const boot = fakeBoot(new FakeWebContainer());
      const sb = createWebContainerSandbox(options, { toolbox: null, boot, environment, bootSlot: {} });
      await sb.boot();
      expect(boot.options).toEqual([expect.objectContaining({ coep, workdirName: 'workspace' })]);
    }
  });
});

describe('browsers that cannot run a WebContainer', () => {
  const iPhone =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
  const iPadAsMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
  const safari = (v: string) =>
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v} Safari/605.1.15`;
  const chromeOnMac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

  it('names iOS and iPadOS (also an iPad that says it is a Mac), and Safari before 16.4', () => {
    expect(unsupportedReason({ ...ISOLATED, userAgent: iPhone, platform: 'iPhone' })).toMatch(/iOS and iPadOS/);
    expect(unsupportedReason({ ...ISOLATED, userAgent: iPadAsMac, platform: 'MacIntel', maxTouchPoints: 5 })).toMatch(/iOS and iPadOS/);
    // Said first, even where the page also lacks isolation: it is what the person can act on.
    expect(unsupportedReason({ ...ISOLATED, crossOriginIsolated: false, userAgent: iPhone })).toMatch(/iOS and iPadOS/);
    expect(unsupportedReason({ ...ISOLATED, userAgent: safari('16.3'), platform: 'MacIntel', maxTouchPoints: 0 })).toMatch(
      /Safari 16\.3 .*16\.4 or later/,
    );
    expect(unsupportedReason({ ...ISOLATED, userAgent: safari('15.6.1'), platform: 'MacIntel' })).toMatch(/Safari 15\.6/);
    expect(unsupportedReason({ ...ISOLATED, userAgent: safari('16.4'), platform: 'MacIntel', maxTouchPoints: 0 })).toBeUndefined();
    expect(unsupportedReason({ ...ISOLATED, userAgent: safari('17.4'), platform: 'MacIntel', maxTouchPoints: 0 })).toBeUndefined();
    expect(unsupportedReason({ ...ISOLATED, userAgent: chromeOnMac, platform: 'MacIntel', maxTouchPoints: 0 })).toBeUndefined();
  });

  it('names blocked cookies and site storage, and being offline', () => {
    expect(unsupportedReason({ ...ISOLATED, cookieEnabled: false })).toMatch(/blocks cookies and site storage.*StackBlitz/);
    expect(unsupportedReason({ ...ISOLATED, cookieEnabled: true, online: false })).toMatch(/offline/);
    expect(unsupportedReason({ ...ISOLATED, cookieEnabled: true, online: true })).toBeUndefined();
  });

  it('makes the sandbox unsupported from the start, without booting', async () => {
    const boot = fakeBoot(new FakeWebContainer());
    const sb = createWebContainerSandbox({}, { toolbox: null, boot, environment: { ...ISOLATED, userAgent: iPhone }, bootSlot: {} });
    expect(sb.status).toEqual({ state: 'unsupported', reason: expect.stringMatching(/iOS and iPadOS/) });
    await expect(sb.boot()).rejects.toThrow(/iOS and iPadOS/);
    expect(boot.calls).toBe(0);
  });
});
