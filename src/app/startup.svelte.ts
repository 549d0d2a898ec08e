/**
 * The page's start: choose the sandbox, then build the app's state on it. Nothing waits for
 * WebContainer on an automatic start: the embedded sandbox serves at once, and the session
 * moves to WebContainer once it booted beside it (sandbox-upgrade.svelte.ts).
 */
import { WebContainerRequiredError, type Fallback, type SandboxPreference, type Selection } from '../sandbox/select';
import type { SandboxKind } from '../sandbox/sandbox';
import { localDate } from '../core/context/environment';
import { defaultConfig } from '../core/config';
import type { ChatSession } from './chat.svelte';
import { OpenGuard } from './open-guard';
import { browserStorage } from './safe-storage';
import { Sessions } from './sessions.svelte';
import { openSessionStore } from '../store/idb-session-store';
import { toStoreError } from '../store/errors';
import type { SessionStore } from '../store/session-store';
import { Layout } from './layout.svelte';
import { Preview } from './preview.svelte';
import { readPreference, savePreference, startSandbox } from './sandbox-choice';
import { SandboxUpgrade } from './sandbox-upgrade.svelte';
import { SitePreview } from './site-preview.svelte';
import { SwitchableSandbox } from '../sandbox/switchable';
import { Settings } from './settings.svelte';
import { McpLink } from './mcp-link.svelte';
import { ToolSettings } from './tool-settings.svelte';
import { StorageStatus, watchSavedTurns } from './storage-status.svelte';
import { WebContainerMemory } from './webcontainer-memory';
import { Workspace } from './workspace.svelte';

export class Startup {
  progress = $state('Loading…');
  sessions = $state.raw<Sessions | null>(null);
  /** A message sent while the sandbox was starting: it goes out once the session exists. */
  pending = $state<string | null>(null);
  workspace = $state.raw<Workspace | null>(null);
  preview = $state.raw<Preview | null>(null);
  /** The workspace's own site, previewed from its files in any sandbox. */
  site = $state.raw<SitePreview | null>(null);
  kind = $state<SandboxKind | null>(null);
  fallback = $state.raw<Fallback | null>(null);
  /** WebContainer booting beside the embedded sandbox, and the session's move to it (auto start only). */
  upgrade = $state.raw<SandboxUpgrade | null>(null);
  /**
   * Why the required WebContainer ("WebContainer only") did not start; '' otherwise. Nothing
   * runs until the user retries or chooses the embedded sandbox.
   */
  sandboxFailure = $state('');
  error = $state('');
  preference = $state<SandboxPreference>(readPreference());
  readonly settings = new Settings();
  /** MCP servers and the hosted web search (Settings → Tools). */
  readonly toolSettings = new ToolSettings();
  readonly mcp = new McpLink({ oauthStore: this.toolSettings.oauthStore() });
  readonly layout = new Layout();
  readonly storage = new StorageStatus({ port: globalThis.navigator?.storage, memory: safeLocalStorage() });

  async start(): Promise<void> {
    try {
      let selection: Selection;
      try {
        selection = await startSandbox(this.preference, (text) => (this.progress = text));
      } catch (err) {
        if (!(err instanceof WebContainerRequiredError)) throw err;
        this.sandboxFailure = err.message;
        this.progress = 'WebContainer did not start. Retry, or use the embedded sandbox (see the notice at the top).';
        return;
      }
      const sandbox = new SwitchableSandbox(selection.sandbox);
      this.kind = sandbox.kind;
      this.fallback = selection.fallback ?? null;
      this.workspace = new Workspace(sandbox);
      this.preview = new Preview(sandbox);
      this.site = new SitePreview(sandbox, { note: (text) => sandbox.note(text) });
      sandbox.onSiteRequest((dir) => {
        this.site?.open(dir);
        this.layout.reveal('preview');
      });
      sandbox.onSwitch(() => {
        // The preview pane follows what the new backend can do (servers, or none).
        this.kind = sandbox.kind;
        const old = this.preview;
        this.preview = new Preview(sandbox);
        old?.dispose();
      });
      const { store, problem } = await openStore();
      this.toolSettings.onChange = () => void this.mcp.sync(this.toolSettings.hubConfigs());
      void this.mcp.sync(this.toolSettings.hubConfigs());
      const sessions = new Sessions({
        sandbox,
        settings: this.settings,
        store,
        storeProblem: problem,
        memory: safeLocalStorage(),
        openGuard: new OpenGuard(browserStorage('localStorage')),
        linkStorage: browserStorage('localStorage'),
        tools: {
          mcp: this.mcp,
          webSearch: () => this.toolSettings.webSearch && this.settings.capabilities.webSearch === true,
        },
      });
      await sessions.start(location.hash);
      this.sessions = sessions;
      if (selection.beside) {
        this.upgrade = new SandboxUpgrade({ sandbox, boot: selection.beside, busy: () => this.session?.running ?? false });
        void this.upgrade.start();
      }
      // Persistence is asked after the first saved turn, never on load; the estimate is read now.
      watchSavedTurns(this.storage, sessions);
      void this.storage.refresh();
      const pending = this.pending;
      this.pending = null;
      if (pending && sessions.chat) {
        // What was sent is not suggested again.
        sessions.chat.draft = '';
        void sessions.chat.submit(pending);
      }
      warmUp();
      // A share link pasted into this tab's address bar opens without a reload.
      addEventListener('hashchange', () => void sessions.openLink(location.hash));
      // An explicit save is stored at once, not after the usual short wait.
      this.workspace.onSaved = () => void sessions.flush();
      // Pending file saves are written as soon as the page is hidden or goes away.
      const flush = () => void sessions.flush();
      addEventListener('pagehide', flush);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') flush();
      });
      collectWhenIdle(sessions);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Keeps a message sent before the session exists; it is sent once it does. */
  queue(text: string): void {
    if (this.session) void this.session.submit(text);
    else this.pending = text;
  }

  /** Takes back a message still waiting for the session. */
  cancelQueued(): void {
    this.pending = null;
  }

  /** The open conversation. */
  get session(): ChatSession | null {
    return this.sessions?.chat ?? null;
  }

  /** After a failure of the required WebContainer: a fresh page boots it again. */
  retry(): void {
    location.reload();
  }

  /** After a start that skipped WebContainer because it failed here before: try it again now. */
  tryWebContainer(): void {
    new WebContainerMemory(browserStorage('localStorage')).forget();
    location.reload();
  }

  /**
   * After a failure of the required WebContainer: the embedded sandbox, chosen from now on and
   * started in this page (no WebContainer runs here, so no reload is needed; a message already
   * sent still goes out).
   */
  useEmbedded(): void {
    if (!this.sandboxFailure) return;
    savePreference('embedded');
    const url = new URL(location.href);
    if (url.searchParams.has('sandbox')) {
      url.searchParams.delete('sandbox');
      history.replaceState(history.state, '', url);
    }
    this.preference = 'embedded';
    this.sandboxFailure = '';
    void this.start();
  }

  /** Saves the choice and reloads: a page runs at most one WebContainer. */
  choose(preference: SandboxPreference): void {
    savePreference(preference);
    const url = new URL(location.href);
    url.searchParams.delete('sandbox');
    location.assign(url);
  }
}

async function openStore(): Promise<{ store: SessionStore | null; problem?: string }> {
  try {
    return { store: await openSessionStore() };
  } catch (err) {
    return { store: null, problem: toStoreError(err).userMessage };
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/**
 * Work the first turn would otherwise do mid-stream, done while the page is idle: loading the
 * time zone's data for the environment context costs tens of milliseconds the first time.
 */
function warmUp(): void {
  const idle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
  idle(() => localDate(Date.now(), defaultConfig().timezone));
}

/** File contents no session names any more are deleted now and then, in idle time, never during a turn. */
function collectWhenIdle(sessions: Sessions): void {
  const idle = (work: () => void) => ('requestIdleCallback' in globalThis ? requestIdleCallback(work, { timeout: 10_000 }) : setTimeout(work, 0));
  const run = () => idle(() => void sessions.collectGarbage());
  setTimeout(run, 20_000);
  setInterval(run, 5 * 60_000);
}
