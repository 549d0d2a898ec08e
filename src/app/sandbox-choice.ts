/**
 * The app's sandbox at start: the user's preference (settings, or `?sandbox=` in the URL),
 * then WebContainer or the embedded fallback as `selectSandbox` decides. An automatic start
 * never waits: the embedded sandbox serves at once and WebContainer boots beside it
 * (`Selection.beside`, see sandbox-upgrade.svelte.ts for the move).
 */
import { createEmbeddedSandbox } from '../sandbox/embedded';
import type { Sandbox } from '../sandbox/sandbox';
import { BesideFailure, currentEnvironment, SANDBOX_PREFERENCES, selectSandbox, type Selection, type SandboxPreference } from '../sandbox/select';
import { browserStorage } from './safe-storage';
import { WebContainerMemory } from './webcontainer-memory';

const STORAGE_KEY = 'unroll.sandbox';

/**
 * An automatic start boots WebContainer beside the embedded sandbox, which serves meanwhile:
 * a short wait for StackBlitz's first answer, then a long one (see webcontainer/deadline.ts).
 */
const BESIDE_DEADLINE = { firstSignMs: 15_000, afterSignMs: 45_000 };
/** When the user insists on WebContainer, wait longer (slow networks). */
const FORCED_BOOT_TIMEOUT_MS = 45_000;
/**
 * Both sandboxes keep the workspace in the same folder (the WebContainer's workdir,
 * /home/<name>), so a session that moves from one to the other keeps every path.
 */
const WORKSPACE_ROOT = '/home/workspace';

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
  options: { ignoreMemory?: boolean } = {},
): Promise<Selection> {
  const unreachable = preference === 'auto' && !options.ignoreMemory ? memory.recent() : null;
  const selection = await selectSandbox({
    preference,
    environment: currentEnvironment(),
    ...(unreachable ? { skipReason: skippedBecause(unreachable.at, unreachable.reason) } : {}),
    beside: true,
    createEmbedded: () => createEmbeddedSandbox({ root: WORKSPACE_ROOT }),
    // WebContainer code loads only when it is tried.
    createWebContainer: async (): Promise<Sandbox> => {
      const webcontainer = await import('../sandbox/webcontainer');
      return webcontainer.createWebContainerSandbox(
        preference === 'webcontainer' ? { bootTimeoutMs: FORCED_BOOT_TIMEOUT_MS } : { deadline: BESIDE_DEADLINE },
      );
    },
    onProgress,
  });
  if (selection.sandbox.kind === 'webcontainer') memory.forget();
  else if (selection.fallback?.cause === 'failed') memory.remember(selection.fallback.reason);
  const beside = selection.beside;
  if (!beside) return selection;
  return {
    ...selection,
    beside: (progress) =>
      beside(progress).then(
        (sandbox) => {
          memory.forget();
          return sandbox;
        },
        (err: unknown) => {
          if (err instanceof BesideFailure) memory.remember(err.fallback.reason);
          throw err;
        },
      ),
  };
}

/** Why an automatic start did not try WebContainer: when it failed, and how. */
function skippedBecause(at: number, reason: string): string {
  const when = new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `WebContainer did not start here on ${when} (${reason.replace(/\.$/, '')}), so this page started on the embedded sandbox at once instead of waiting for it again.`;
}

function isPreference(value: string | null): value is SandboxPreference {
  return value !== null && (SANDBOX_PREFERENCES as readonly string[]).includes(value);
}
