/** One "tab" of the app for the tests of Sessions: its parts stood in for in Node. */
import { Sessions, type SessionsOptions } from '../../src/app/sessions.svelte';
import { Settings } from '../../src/app/settings.svelte';
import { createEmbeddedSandbox } from '../../src/sandbox/embedded';
import type { LockProvider } from '../../src/store/lock';
import type { SessionStore } from '../../src/store/session-store';

/** Locks for a single tab: every session lock is granted at once, and never lost. */
export function oneTabLocks(): LockProvider {
  return { acquire: async () => ({ readOnly: false, release: async () => {}, onLost: () => () => {} }) };
}

/**
 * Sessions over `store` with a fresh embedded sandbox (unless `options` brings one), default
 * settings and the demo model without pauses; the rest of `options` lays over that.
 */
export function sessionsTab(store: SessionStore | null, options: Partial<SessionsOptions> = {}) {
  const sandbox = options.sandbox ?? createEmbeddedSandbox();
  const sessions = new Sessions({
    settings: new Settings({ local: null, session: null }),
    store,
    modelOptions: { demoEventDelayMs: 0 },
    ...options,
    sandbox,
  });
  return { sandbox, sessions };
}
