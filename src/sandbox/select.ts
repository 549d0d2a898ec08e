/**
 * Choosing the sandbox at start: WebContainer where the page and browser allow it and it
 * boots in time, otherwise the embedded one — with a plain statement of why and what is lost.
 */
import type { Sandbox } from './sandbox';
import { currentEnvironment as pageFacts, unsupportedReason, type EnvironmentFacts } from './webcontainer/boot';

export type SandboxPreference = 'auto' | 'webcontainer' | 'embedded';
export const SANDBOX_PREFERENCES: readonly SandboxPreference[] = ['auto', 'webcontainer', 'embedded'];

/** What the page can tell about itself before trying to boot anything. */
export interface PageEnvironment extends EnvironmentFacts {
  online: boolean;
}

export interface Fallback {
  /** Why WebContainer is not in use. */
  reason: string;
  /** What the user cannot do on the embedded sandbox. */
  lost: string;
  /**
   * `failed`: a boot was tried and did not finish (unreachable, too slow, refused by the
   * runtime); `unsupported`: this page or browser cannot run it; `remembered`: it failed here
   * recently, so it was not tried (see the app's WebContainerMemory).
   */
  cause?: 'failed' | 'unsupported' | 'remembered';
}

export interface Selection {
  sandbox: Sandbox;
  /** Set when WebContainer was wanted (auto or forced) but the embedded sandbox is in use. */
  fallback?: Fallback;
  /**
   * With `beside`: boots WebContainer while the embedded sandbox already serves; resolves with
   * it once ready, or rejects with a Fallback saying why it will not come.
   */
  beside?: (onProgress: (text: string) => void) => Promise<Sandbox>;
}

export interface SelectOptions {
  preference: SandboxPreference;
  environment: PageEnvironment;
  /** May load the WebContainer code first. */
  createWebContainer(): Sandbox | Promise<Sandbox>;
  createEmbedded(): Sandbox;
  onProgress?(text: string): void;
  /**
   * Set when WebContainer failed here recently: an automatic start goes to the embedded
   * sandbox at once, giving this as the reason (a required one is still tried).
   */
  skipReason?: string;
  /**
   * An automatic start does not wait for WebContainer: the embedded sandbox serves at once and
   * `Selection.beside` boots WebContainer next to it.
   */
  beside?: boolean;
}

/** Raised by `Selection.beside` when WebContainer will not come: why, in the words of a Fallback. */
export class BesideFailure extends Error {
  constructor(readonly fallback: Fallback) {
    super(fallback.reason);
    this.name = 'BesideFailure';
  }
}

export const LOST_WITHOUT_WEBCONTAINER =
  'Without it there is no Node.js, npm or live preview; commands run in just-bash (bash and coreutils-style tools, and node for plain JavaScript on QuickJS).';

/**
 * WebContainer was required ("WebContainer only") and could not start. Nothing was started in
 * its place: only the user may choose the embedded sandbox then.
 */
export class WebContainerRequiredError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebContainerRequiredError';
  }
}

/**
 * Rejects only with `WebContainerRequiredError` (preference 'webcontainer'); otherwise the
 * embedded sandbox is always available.
 */
export async function selectSandbox(options: SelectOptions): Promise<Selection> {
  const embedded = async (reason?: string, cause?: Fallback['cause']): Promise<Selection> => {
    options.onProgress?.('Starting the embedded sandbox…');
    const sandbox = options.createEmbedded();
    await sandbox.boot();
    return reason === undefined ? { sandbox } : { sandbox, fallback: { reason, lost: LOST_WITHOUT_WEBCONTAINER, ...(cause ? { cause } : {}) } };
  };
  const fallBack = (reason: string, cause: Fallback['cause']): Promise<Selection> =>
    options.preference === 'webcontainer' ? Promise.reject(new WebContainerRequiredError(reason)) : embedded(reason, cause);
  if (options.preference === 'embedded') return embedded();

  const blocker = unsupportedReason(options.environment);
  if (blocker) return fallBack(`WebContainer can't start: ${blocker}.`, 'unsupported');
  if (options.preference === 'auto' && options.skipReason) return embedded(options.skipReason, 'remembered');

  if (options.preference === 'auto' && options.beside) {
    const selection = await embedded();
    const beside = async (onProgress: (text: string) => void): Promise<Sandbox> => {
      const result = await bootWebContainer(options, onProgress);
      if ('sandbox' in result) return result.sandbox;
      throw new BesideFailure({ reason: result.reason, lost: LOST_WITHOUT_WEBCONTAINER, cause: 'failed' });
    };
    return { ...selection, beside };
  }

  options.onProgress?.('Starting the WebContainer sandbox…');
  const result = await bootWebContainer(options, (text) => options.onProgress?.(text));
  return 'sandbox' in result ? { sandbox: result.sandbox } : fallBack(result.reason, 'failed');
}

/** Boots WebContainer: the ready sandbox, or why it did not start (the failed one disposed). */
async function bootWebContainer(options: SelectOptions, onProgress: (text: string) => void): Promise<{ sandbox: Sandbox } | { reason: string }> {
  let sandbox: Sandbox;
  try {
    sandbox = await options.createWebContainer();
  } catch (err) {
    return { reason: `WebContainer failed to start: ${(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')}.` };
  }
  const unsubscribe = sandbox.onStatus((status) => {
    if (status.state === 'booting') onProgress(status.progress);
  });
  try {
    await sandbox.boot();
    return { sandbox };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    void sandbox.dispose().catch(() => undefined);
    const detail = why.replace(/\.$/, '');
    return { reason: /^(WebContainer|StackBlitz)\b/.test(detail) ? `${detail}.` : `WebContainer failed to start: ${detail}.` };
  } finally {
    unsubscribe();
  }
}

/** The live page's environment (browser only). */
export function currentEnvironment(): PageEnvironment {
  const g = globalThis as { navigator?: { onLine?: boolean } };
  return { ...pageFacts(), online: g.navigator?.onLine !== false };
}
