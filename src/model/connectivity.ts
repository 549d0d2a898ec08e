/**
 * Telling "the server is down" from "the browser blocked the answer" (CORS). Both make fetch
 * throw the same TypeError, so we look around: are we offline, and does the server answer a
 * `no-cors` request (which yields an opaque response whenever the server is up, whatever its
 * CORS settings)?
 */
import { ModelError } from './errors';
import { presetForBaseURL, type PresetId } from './providers';

/** Resolves true when something answered at `url`, false when nothing could be reached. */
export type ReachabilityProbe = (url: string) => Promise<boolean>;

export type Reachability = 'offline' | 'cors' | 'unreachable';

export interface DiagnoseOptions {
  baseURL: string;
  preset?: PresetId;
  /** Replaces the default `no-cors` fetch; when given it runs even outside a browser. */
  probe?: ReachabilityProbe;
  /** The page's origin, for the CORS fix; defaults to `location.origin`. */
  origin?: string;
}

const PROBE_TIMEOUT_MS = 5000;

/** Whether this code runs in a page (the CORS question only exists there). */
export function inBrowser(): boolean {
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
 * the same way until the server is reconfigured) or an offline `network` error. Other errors
 * pass through unchanged.
 */
export async function refineNetworkError(error: ModelError, options: DiagnoseOptions): Promise<ModelError> {
  if (error.kind !== 'network') return error;
  const verdict = await diagnoseReachability(options);
  if (verdict === 'offline') {
    return new ModelError({ kind: 'network', message: 'You are offline. Reconnect and try again.', cause: error.cause });
  }
  if (verdict === 'cors') {
    return new ModelError({ kind: 'cors', retryable: false, message: corsMessage(options), cause: error.cause });
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
    case 'azure':
      return `${lead} Add ${origin} to the allowed origins (CORS) of your Azure resource, or use a proxy.`;
    default:
      return `${lead} Allow this origin on the server (Access-Control-Allow-Origin), or put a proxy in front of it.`;
  }
}

function pageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}
