/**
 * Telling "the server is down" from "the browser blocked the answer" (CORS) from "the
 * connection broke". All make fetch throw the same TypeError, so we look around: are we
 * offline, did this endpoint answer this page before (a CORS block is the same for every
 * request of an origin, so a later failure is the network or a proxy), does the error carry a
 * transport cause (only runtimes without CORS give one), and does the server answer a
 * `no-cors` request (which yields an opaque response whenever the server is up, whatever its
 * CORS settings)?
 */
import { ModelError } from './errors';
import { isLocalTarget } from './local-address';
import { presetForBaseURL, type PresetId } from './providers';

export { isLocalTarget } from './local-address';

/** Resolves true when something answered at `url`, false when nothing could be reached. */
export type ReachabilityProbe = (url: string) => Promise<boolean>;

/**
 * `transient`: the endpoint answered this page before, so CORS is not the cause; the
 * connection failed (a reset, a proxy error without CORS headers) and may work again.
 */
export type Reachability = 'offline' | 'cors' | 'unreachable' | 'transient';

export interface DiagnoseOptions {
  baseURL: string;
  preset?: PresetId;
  /** Replaces the default `no-cors` fetch; when given it runs even outside a browser. */
  probe?: ReachabilityProbe;
  /** The page's origin, for the CORS fix; defaults to `location.origin`. */
  origin?: string;
  /** Whether this endpoint answered this page before; defaults to `hasAnswered(baseURL)`. */
  answeredBefore?: boolean;
  /** The failure itself: a transport code in its causes rules CORS out. */
  cause?: unknown;
  /**
   * The browser's Local Network Access decision for this page (Chromium asks before a public
   * page reaches localhost or a private address); defaults to asking `navigator.permissions`.
   */
  localNetworkAccess?: () => Promise<PermissionState | undefined>;
}

/** Endpoints (base URLs) that returned a readable response to this page. */
const answered = new Set<string>();

/** Records that `baseURL` answered (any status): its CORS settings let this page through. */
export function markAnswered(baseURL: string): void {
  answered.add(endpointKey(baseURL));
}

function hasAnswered(baseURL: string): boolean {
  return answered.has(endpointKey(baseURL));
}

function endpointKey(baseURL: string): string {
  return baseURL.trim().replace(/\/+$/, '');
}

/** The innermost transport error code (ECONNRESET, …) among `err`'s causes, if any. */
export function transportCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (typeof code === 'string' && code.startsWith('UND_ERR')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const PROBE_TIMEOUT_MS = 5000;

/** Whether this code runs in a page (the CORS question only exists there). */
function inBrowser(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== 'undefined';
}

/** The default probe: a `no-cors` GET that resolves (opaque) when the server is up. */
export const noCorsProbe: ReachabilityProbe = async (url) => {
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
};

/** Decides why a request to `baseURL` failed at the transport level. */
export async function diagnoseReachability(options: DiagnoseOptions): Promise<Reachability> {
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator;
  if (nav?.onLine === false) return 'offline';
  if (options.answeredBefore ?? hasAnswered(options.baseURL)) return 'transient';
  // Runtimes that report why a connection failed have no CORS to block it.
  if (transportCode(options.cause)) return 'unreachable';
  const probe = options.probe ?? (inBrowser() ? noCorsProbe : undefined);
  if (!probe || !options.baseURL) return 'unreachable';
  try {
    return (await probe(options.baseURL)) ? 'cors' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

/**
 * Refines a `network` error from the connect phase into `cors` (not retryable: it will fail
 * the same way until the server is reconfigured; said only when the endpoint never answered
 * this page), a transient `network` error (retryable), or an offline `network` error. Other
 * errors pass through unchanged.
 */
export async function refineNetworkError(error: ModelError, options: DiagnoseOptions): Promise<ModelError> {
  if (error.kind !== 'network') return error;
  if (isLocalTarget(options.baseURL) && !isLocalTarget(options.origin ?? pageOrigin() ?? '')) {
    const state = await (options.localNetworkAccess ?? localNetworkPermission)().catch(() => undefined);
    if (state === 'denied') {
      return new ModelError({ kind: 'cors', message: localNetworkMessage(options.baseURL), cause: error.cause });
    }
  }
  const verdict = await diagnoseReachability({ cause: error.cause, ...options });
  if (verdict === 'offline') {
    return new ModelError({ kind: 'network', message: 'You are offline. Reconnect and try again.', cause: error.cause });
  }
  if (verdict === 'transient') {
    return new ModelError({
      kind: 'network',
      message: `The connection to ${options.baseURL} failed before the server answered; it worked earlier, so this looks like a network or proxy problem (a dropped connection, or a proxy error page the browser may not read).`,
      cause: error.cause,
    });
  }
  if (verdict === 'cors') {
    return new ModelError({ kind: 'cors', message: corsMessage(options), cause: error.cause });
  }
  return error;
}

/** Explains the CORS block and how to allow this origin on the server at hand. */
export function corsMessage(options: Pick<DiagnoseOptions, 'baseURL' | 'preset' | 'origin'>): string {
  const origin = options.origin ?? pageOrigin() ?? 'this page';
  const preset = options.preset && options.preset !== 'custom' ? options.preset : presetForBaseURL(options.baseURL);
  const lead = `${options.baseURL} is running but does not allow requests from ${origin} (CORS).`;
  switch (preset) {
    case 'ollama':
      return `${lead} Restart Ollama with OLLAMA_ORIGINS=${origin} (e.g. OLLAMA_ORIGINS=${origin} ollama serve).`;
    case 'lmstudio':
      return `${lead} Enable CORS in LM Studio's server settings (Developer tab) or run: lms server start --cors.`;
    case 'vllm':
      return `${lead} vLLM allows every origin unless --allowed-origins was given: add ${origin} to it (e.g. --allowed-origins '["${origin}"]').`;
    case 'llamacpp':
      return `${lead} Allow ${origin} with llama-server's CORS options (see llama-server --help), or put a proxy in front of it.`;
    case 'azure':
      return `${lead} Add ${origin} to the allowed origins (CORS) of your Azure resource, or use a proxy.`;
    default:
      return `${lead} Allow this origin on the server (Access-Control-Allow-Origin), or put a proxy in front of it.`;
  }
}

/**
 * Chromium's Local Network Access: a page on a public address must be allowed before it can
 * reach this machine or the local network. A refusal looks like any other failed fetch.
 */
function localNetworkMessage(baseURL: string): string {
  return (
    `This browser is not letting this page reach ${baseURL} on your local network (Local Network Access was refused for this site). ` +
    'Allow it in the site settings (the icon left of the address bar), then press Connect in Settings.'
  );
}

async function localNetworkPermission(): Promise<PermissionState | undefined> {
  const permissions = (globalThis as { navigator?: { permissions?: Permissions } }).navigator?.permissions;
  if (!permissions) return undefined;
  // Browsers without Local Network Access reject the unknown name.
  const status = await permissions.query({ name: 'local-network-access' as PermissionName });
  return status.state;
}

function pageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}
