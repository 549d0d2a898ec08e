/**
 * The app's sandbox at start: the user's preference (settings, or `?sandbox=` in the URL),
 * then WebContainer or the embedded fallback as `selectSandbox` decides.
 */
import { createEmbeddedSandbox } from '../sandbox/embedded';
import type { Sandbox } from '../sandbox/sandbox';
import { currentEnvironment, SANDBOX_PREFERENCES, selectSandbox, type Selection, type SandboxPreference } from '../sandbox/select';
import { browserStorage } from './safe-storage';
import { WebContainerMemory } from './webcontainer-memory';

const STORAGE_KEY = 'unroll.sandbox';

/** How long an automatic start waits for WebContainer before using the embedded sandbox. */
export const AUTO_BOOT_TIMEOUT_MS = 8_000;
/** When the user insists on WebContainer, wait longer (slow networks). */
export const FORCED_BOOT_TIMEOUT_MS = 45_000;

export function readPreference(): SandboxPreference {
  const fromUrl = new URLSearchParams(location.search).get('sandbox');
  if (isPreference(fromUrl)) return fromUrl;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isPreference(stored)) return stored;
  } catch {
    // Storage can be unavailable (private mode); the default applies.
  }
  return 'auto';
}

export function savePreference(preference: SandboxPreference): void {
  try {
    localStorage.setItem(STORAGE_KEY, preference);
  } catch {
    // Not fatal: the choice lasts for this page only.
  }
}

export async function startSandbox(
  preference: SandboxPreference,
  onProgress: (text: string) => void,
  memory = new WebContainerMemory(browserStorage('localStorage')),
): Promise<Selection> {
  const unreachable = preference === 'auto' ? memory.recent() : null;
  // WebContainer code loads only when it is tried.
  const webcontainer = preference === 'embedded' || unreachable ? null : await import('../sandbox/webcontainer');
  const selection = await selectSandbox({
    preference,
    environment: currentEnvironment(),
    ...(unreachable ? { skipReason: skippedBecause(unreachable.at, unreachable.reason) } : {}),
    createEmbedded: () => createEmbeddedSandbox(),
    createWebContainer: (): Sandbox => {
      if (!webcontainer) throw new Error('WebContainer was not requested');
      return webcontainer.createWebContainerSandbox({
        bootTimeoutMs: preference === 'webcontainer' ? FORCED_BOOT_TIMEOUT_MS : AUTO_BOOT_TIMEOUT_MS,
      });
    },
    onProgress,
  });
  if (selection.sandbox.kind === 'webcontainer') memory.forget();
  else if (selection.fallback?.cause === 'failed') memory.remember(selection.fallback.reason);
  return selection;
}

/** Why an automatic start did not try WebContainer: when it failed, and how. */
export function skippedBecause(at: number, reason: string): string {
  const when = new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `WebContainer did not start here on ${when} (${reason.replace(/\.$/, '')}), so this page started on the embedded sandbox at once instead of waiting for it again.`;
}

function isPreference(value: string | null): value is SandboxPreference {
  return value !== null && (SANDBOX_PREFERENCES as readonly string[]).includes(value);
}
