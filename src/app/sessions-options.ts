/** What `Sessions` is built from: the sandbox and settings every chat uses, and where things are kept. */
import type { Sandbox } from '../sandbox/sandbox';
import type { LockProvider } from '../store/lock';
import type { SessionStore } from '../store/session-store';
import type { ToolSources } from './conversation-tools.svelte';
import type { CreateModelOptions } from './model-factory';
import type { OpenGuard } from './open-guard';
import type { StorageLike } from './safe-storage';
import type { Settings } from './settings.svelte';

export interface SessionsOptions {
  sandbox: Sandbox;
  settings: Settings;
  /** null when IndexedDB is unavailable: sessions then live in memory only. */
  store: SessionStore | null;
  /** Why the store is unavailable, for the user. */
  storeProblem?: string;
  lockProvider?: LockProvider;
  /** Where the last open session's id is remembered (localStorage in the page). */
  memory?: Pick<Storage, 'getItem' | 'setItem'> | null;
  modelOptions?: CreateModelOptions;
  /** MCP servers and web search for every conversation. */
  tools?: ToolSources;
  /** Keeps a session that failed to open at an earlier page load from being reopened on its own. */
  openGuard?: OpenGuard | null;
  /** Where the share-service links this browser made are listed (default: none kept). */
  linkStorage?: StorageLike | null;
  /** How soon after a file change the workspace is saved (ms; default 100, never later than 250). */
  saveDelayMs?: number;
  now?: () => number;
}
