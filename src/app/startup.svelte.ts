/** The page's start: choose and boot the sandbox, then build the app's state on it. */
import type { Fallback, SandboxPreference } from '../sandbox/select';
import type { SandboxKind } from '../sandbox/sandbox';
import { ChatSession } from './chat.svelte';
import { Layout } from './layout.svelte';
import { Preview } from './preview.svelte';
import { readPreference, savePreference, startSandbox } from './sandbox-choice';
import { Settings } from './settings.svelte';
import { Workspace } from './workspace.svelte';

export class Startup {
  progress = $state('Loading…');
  session = $state.raw<ChatSession | null>(null);
  workspace = $state.raw<Workspace | null>(null);
  preview = $state.raw<Preview | null>(null);
  kind = $state<SandboxKind | null>(null);
  fallback = $state.raw<Fallback | null>(null);
  error = $state('');
  readonly preference: SandboxPreference = readPreference();
  readonly settings = new Settings();
  readonly layout = new Layout();

  async start(): Promise<void> {
    try {
      const selection = await startSandbox(this.preference, (text) => (this.progress = text));
      const sandbox = selection.sandbox;
      this.kind = sandbox.kind;
      this.fallback = selection.fallback ?? null;
      this.workspace = new Workspace(sandbox);
      this.preview = new Preview(sandbox);
      this.session = new ChatSession(sandbox, this.settings);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Saves the choice and reloads: a page runs at most one WebContainer. */
  choose(preference: SandboxPreference): void {
    savePreference(preference);
    const url = new URL(location.href);
    url.searchParams.delete('sandbox');
    location.assign(url);
  }
}
