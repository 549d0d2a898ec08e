/**
 * The page's MCP servers, for every conversation: the MCP client (the official SDK, a large
 * module) loads only once a server is configured; until it has, servers show as connecting.
 * `version` moves on every change, for views that show the servers' state. Servers that ask
 * for a sign-in (OAuth) get one in a window opened on the person's click (`signIn`), their
 * tokens kept by the store given (the MCP secrets slot).
 */
import type { McpCallResult, McpToolInfo } from '../core/ports';
import type { McpHub } from '../mcp/hub';
import type { McpOAuthStore } from '../mcp/oauth';
import type { McpServerView, McpSource } from './conversation-tools.svelte';
import { browserSignInHost, CALLBACK_PATH, SignInWindow, type SignInHost } from './mcp-oauth';
import type { McpConnectConfig } from './tool-settings.svelte';

export interface McpLinkOptions {
  /** Where sign-ins are kept; without one, servers that ask for a sign-in fail. */
  oauthStore?: McpOAuthStore;
  /** The page's windows (a fake in tests). */
  signInHost?: () => SignInHost;
}

export class McpLink implements McpSource {
  version = $state(0);
  #hub: Promise<McpHub> | null = null;
  #loaded: McpHub | null = null;
  #configs: McpConnectConfig[] = [];
  /** Why the configuration could not be used (e.g. a name given twice); '' when it could. */
  problem = $state('');
  readonly #listeners = new Set<() => void>();
  readonly #oauthStore: McpOAuthStore | undefined;
  readonly #signInHost: () => SignInHost;
  #window: SignInWindow | null = null;
  /** The server whose sign-in window is open; '' when none is. */
  signingIn = $state('');
  /** Why the last sign-in could not start (the window was blocked), and for which server. */
  signInProblem = $state.raw<{ server: string; text: string } | null>(null);

  constructor(options: McpLinkOptions = {}) {
    this.#oauthStore = options.oauthStore;
    this.#signInHost = options.signInHost ?? browserSignInHost;
  }

  /** Connects to `configs` (new and changed ones reconnect, removed ones close). */
  sync(configs: McpConnectConfig[]): Promise<void> {
    this.#configs = configs;
    if (configs.length === 0 && !this.#hub) return Promise.resolve();
    this.#hub ??= import('../mcp/hub').then(({ McpHub }) => {
      const store = this.#oauthStore;
      const hub = new McpHub(store ? { oauth: { store, redirectUrl: new URL(CALLBACK_PATH, globalThis.location.origin).href } } : {});
      hub.onChange(() => this.#changed());
      this.#loaded = hub;
      return hub;
    });
    this.#changed();
    return this.#hub.then(async (hub) => {
      if (this.#configs !== configs) return;
      try {
        this.problem = '';
        await hub.setServers(configs);
      } catch (err) {
        this.problem = (err as Error).message;
        this.#changed();
      }
    });
  }

  servers(): McpServerView[] {
    if (this.#loaded) return this.#loaded.servers();
    return this.#configs.map((c) => ({ name: c.name, url: c.url, status: 'connecting', tools: [] }));
  }

  tools(): McpToolInfo[] {
    return this.#loaded?.tools() ?? [];
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async callTool(server: string, tool: string, args: Record<string, unknown>, options: { signal: AbortSignal }): Promise<McpCallResult> {
    if (!this.#hub) throw new Error(`no MCP server is named "${server}" any more`);
    return (await this.#hub).callTool(server, tool, args, options);
  }

  /**
   * Signs in to `name` in a window opened now (call it from the click). Never rejects: a
   * blocked window is reported in `signInProblem`, the rest in the server's status.
   */
  async signIn(name: string): Promise<void> {
    this.cancelSignIn();
    this.signInProblem = null;
    let popup: SignInWindow;
    try {
      popup = new SignInWindow(this.#signInHost(), new URL(CALLBACK_PATH, globalThis.location.origin).href);
    } catch (err) {
      this.signInProblem = { server: name, text: (err as Error).message };
      return;
    }
    this.#window = popup;
    this.signingIn = name;
    try {
      if (!this.#hub) throw new Error(`no MCP server is named "${name}"`);
      await (await this.#hub).signIn(name, (url, signal) => popup.authorize(url, signal));
    } catch (err) {
      // Failures of the flow itself are in the server's status; only say what is not.
      const state = this.servers().find((s) => s.name === name);
      if (!state?.error || !(err as Error).message.includes(state.error)) this.signInProblem = { server: name, text: (err as Error).message };
    } finally {
      popup.close();
      if (this.#window === popup) {
        this.#window = null;
        this.signingIn = '';
      }
    }
  }

  /** Ends the wait for the open sign-in window, if any. */
  cancelSignIn(): void {
    this.#window?.cancel();
  }

  /** Forgets the server's sign-in and reconnects it without one. */
  async signOut(name: string): Promise<void> {
    if (this.#hub) await (await this.#hub).signOut(name);
    else this.#oauthStore?.forget(name);
  }

  #changed(): void {
    this.version++;
    for (const listener of this.#listeners) listener();
  }
}
