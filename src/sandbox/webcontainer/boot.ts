/**
 * Booting the WebContainer: whether this page can at all, one boot per page, and a timeout.
 *
 * - The runtime needs SharedArrayBuffer, so a secure, cross-origin-isolated page.
 * - `WebContainer.boot()` allows one instance per page and has no timeout: it loads an
 *   iframe from stackblitz.com and waits for it forever when that never answers. So the
 *   boot promise is kept on `globalThis` (surviving Vite hot reloads, which re-run this
 *   module but not the page), every caller races it against its own timeout, and a caller
 *   that retries after a timeout waits on the same boot rather than starting a second one
 *   (which would queue behind the first inside the library anyway). A boot that fails
 *   outright is forgotten so the next attempt starts afresh.
 */
import type { WcBoot, WcBootOptions, WcBootSignal, WcInstance } from './types';

export interface EnvironmentFacts {
  isSecureContext: boolean;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  /** Whether the browser is online; unknown (not checked) when absent. */
  online?: boolean;
  /** `navigator.userAgent`; facts about the browser are unknown without it. */
  userAgent?: string;
  /** `navigator.platform` and `maxTouchPoints`: iPadOS says it is a Mac, but has a touch screen. */
  platform?: string;
  maxTouchPoints?: number;
  /** `navigator.cookieEnabled`: false when the browser blocks cookies and site storage. */
  cookieEnabled?: boolean;
  /**
   * Chromium's credentialless iframes (`'credentialless' in HTMLIFrameElement.prototype`, since
   * Chromium 110), which shipped after `Cross-Origin-Embedder-Policy: credentialless` (96).
   */
  credentiallessIframes?: boolean;
}

export function currentEnvironment(): EnvironmentFacts {
  const g = globalThis as {
    isSecureContext?: boolean;
    crossOriginIsolated?: boolean;
    navigator?: { userAgent?: string; platform?: string; maxTouchPoints?: number; cookieEnabled?: boolean };
    HTMLIFrameElement?: { prototype: object };
  };
  return {
    isSecureContext: g.isSecureContext === true,
    crossOriginIsolated: g.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    userAgent: g.navigator?.userAgent ?? '',
    platform: g.navigator?.platform ?? '',
    maxTouchPoints: g.navigator?.maxTouchPoints ?? 0,
    cookieEnabled: g.navigator?.cookieEnabled !== false,
    credentiallessIframes: g.HTMLIFrameElement !== undefined && 'credentialless' in g.HTMLIFrameElement.prototype,
  };
}

/**
 * Why the WebContainer cannot run in this browser on this page, or undefined when it can try:
 * the one place that decides (the sandbox's 'unsupported' status and the start's choice both
 * ask it). Facts left out are not held against the page.
 *
 * Third-party cookie blocking that spares first-party storage cannot be seen from this page
 * (only the StackBlitz frame meets it); `cookieEnabled` is false when the browser blocks
 * cookies and site storage altogether, which that frame cannot work without either.
 */
export function unsupportedReason(env: EnvironmentFacts): string | undefined {
  const browser = unsupportedBrowser(env);
  if (browser) return browser;
  if (!env.isSecureContext) return 'the page is not a secure context (WebContainer needs HTTPS or localhost)';
  if (!env.crossOriginIsolated) {
    return 'the page is not cross-origin isolated (it needs the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (!env.sharedArrayBuffer) return 'this browser has no SharedArrayBuffer';
  if (env.cookieEnabled === false) {
    return 'this browser blocks cookies and site storage, which the StackBlitz frame that runs WebContainer needs (allow them for this site and stackblitz.com)';
  }
  if (env.online === false) return 'the browser is offline, and WebContainer loads its runtime from StackBlitz';
  return undefined;
}

/**
 * iOS and iPadOS (every browser there is Safari's engine, and a WebContainer outgrows the
 * memory a tab gets there), and desktop Safari before 16.4, which cannot run one at all.
 */
function unsupportedBrowser(env: EnvironmentFacts): string | undefined {
  const ua = env.userAgent ?? '';
  const iPadAsMac = env.platform === 'MacIntel' && (env.maxTouchPoints ?? 0) > 1;
  if (/\b(iPhone|iPad|iPod)\b/.test(ua) || env.platform === 'iPhone' || env.platform === 'iPad' || iPadAsMac) {
    return 'WebContainer does not run on iOS and iPadOS here (a tab there has too little memory for it); use a desktop browser';
  }
  const safari = /\bVersion\/(\d+)(?:\.(\d+))?.*\bSafari\//.exec(ua);
  if (safari && !/\b(Chrome|Chromium|CriOS|Edg|OPR|Firefox|FxiOS)\//.test(ua)) {
    const [major, minor] = [Number(safari[1]), Number(safari[2] ?? 0)];
    if (major < 16 || (major === 16 && minor < 4)) {
      return `Safari ${major}.${minor} cannot run WebContainer (it needs Safari 16.4 or later, or a Chromium-based browser or Firefox)`;
    }
  }
  return undefined;
}

/**
 * The `coep` to boot with: 'credentialless' where the browser supports that policy, so the
 * previewed apps can load third-party images and fonts that send no CORP header; else
 * 'require-corp'. The option sets the policy of the WebContainer's own frames (its boot frame
 * and every preview), not of this page: the page keeps `require-corp`, and a require-corp page
 * may embed a credentialless frame (both policies count for cross-origin isolation; an embedded
 * document needs one of them and CORP, which the preview servers send). A browser without the
 * policy would take a credentialless preview as not isolated and refuse to show it, hence the
 * check:
 * - Chromium (credentialless since 96): detected by its credentialless iframes (110).
 * - Firefox 119+ on the desktop has the policy but none of the APIs that came with it in
 *   Chromium, so only its version tells (Firefox for Android does not have it).
 * - Safari has no credentialless at all.
 */
export function previewCoep(env: EnvironmentFacts): 'credentialless' | 'require-corp' {
  if (env.credentiallessIframes === true) return 'credentialless';
  const ua = env.userAgent ?? '';
  const firefox = /\bFirefox\/(\d+)/.exec(ua);
  if (firefox && !/Android/.test(ua) && Number(firefox[1]) >= 119) return 'credentialless';
  return 'require-corp';
}

export const BOOT_SLOT = Symbol.for('unroll.webcontainer.boot');

interface SharedBoot {
  promise: Promise<WcInstance>;
  options: WcBootOptions;
}

type SlotHolder = { [BOOT_SLOT]?: SharedBoot };

/**
 * The page's boot: reuses the one in `holder` (default globalThis) when there is one,
 * else starts it. The caller gets the shared promise, never one with its own timeout.
 */
export function sharedBoot(
  boot: WcBoot,
  options: WcBootOptions,
  progress: (text: string) => void,
  holder: object = globalThis,
  signal?: (signal: WcBootSignal) => void,
): Promise<WcInstance> {
  const slot = holder as SlotHolder;
  const existing = slot[BOOT_SLOT];
  if (existing) return existing.promise;
  const entry: SharedBoot = { options, promise: Promise.resolve().then(() => boot(options, progress, signal)) };
  slot[BOOT_SLOT] = entry;
  entry.promise.catch(() => {
    if (slot[BOOT_SLOT] === entry) delete slot[BOOT_SLOT];
  });
  return entry.promise;
}

/** Forgets the page's boot (after teardown), so the next one starts a new instance. */
export function forgetSharedBoot(holder: object = globalThis): void {
  delete (holder as SlotHolder)[BOOT_SLOT];
}

export class BootTimeoutError extends Error {
  constructor(
    readonly ms: number,
    message = `WebContainer did not start within ${formatSeconds(ms)} (is StackBlitz reachable from this network?)`,
  ) {
    super(message);
    this.name = 'BootTimeoutError';
  }
}

/** Settles like `promise`, or rejects with BootTimeoutError after `ms`. */
export function withBootTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BootTimeoutError(ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** "20 s", "1.5 s"; under a second, "250 ms". */
export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The real boot: imports the library lazily (it stays out of the first bundle) and boots.
 * Must only run in a browser page.
 */
export const defaultBoot: WcBoot = async (options, progress, signal) => {
  progress('Loading the WebContainer runtime…');
  const { WebContainer } = await import('@webcontainer/api');
  progress('Booting… (the runtime comes from StackBlitz)');
  const stopListening = listenToFrame(signal);
  try {
    const instance = await WebContainer.boot({
      coep: options.coep,
      workdirName: options.workdirName,
      forwardPreviewErrors: options.forwardPreviewErrors,
    });
    // Compile-time check that the real class provides the surface the backend uses.
    const checked: WcInstance = instance;
    return checked;
  } finally {
    stopListening();
  }
};

/** The origin of the frame the library loads (its default, or the override it honours). */
function frameOrigin(): string {
  const override = (globalThis as { WEBCONTAINER_API_IFRAME_URL?: string }).WEBCONTAINER_API_IFRAME_URL;
  try {
    return new URL(override ?? 'https://stackblitz.com').origin;
  } catch {
    return 'https://stackblitz.com';
  }
}

/**
 * Hears the boot frame's messages beside the library (which keeps its own listener): any
 * message from its origin is a sign of life; `warning` ones carry a text.
 */
function listenToFrame(signal: ((signal: WcBootSignal) => void) | undefined): () => void {
  if (!signal || typeof addEventListener !== 'function') return () => {};
  const origin = frameOrigin();
  let alive = false;
  const onMessage = (event: MessageEvent) => {
    if (event.origin !== origin) return;
    if (!alive) {
      alive = true;
      signal({ type: 'alive' });
    }
    const data = event.data as { type?: unknown; message?: unknown } | null;
    if (data?.type === 'warning' && typeof data.message === 'string') signal({ type: 'warning', message: data.message.slice(0, 500) });
  };
  addEventListener('message', onMessage);
  return () => removeEventListener('message', onMessage);
}
