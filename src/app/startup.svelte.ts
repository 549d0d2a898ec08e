/** The page's start: choose and boot the sandbox, then open the console session on it. */
import type { Fallback, SandboxPreference } from '../sandbox/select';
import type { SandboxKind } from '../sandbox/sandbox';
import { ConsoleSession } from './console.svelte';
import { readPreference, savePreference, startSandbox } from './sandbox-choice';

export class Startup {
  progress = $state('Loading…');
  session = $state.raw<ConsoleSession | null>(null);
  kind = $state<SandboxKind | null>(null);
  fallback = $state.raw<Fallback | null>(null);
  error = $state('');
  readonly preference: SandboxPreference = readPreference();

  async start(): Promise<void> {
    try {
      const selection = await startSandbox(this.preference, (text) => (this.progress = text));
      this.kind = selection.sandbox.kind;
      this.fallback = selection.fallback ?? null;
      this.session = new ConsoleSession(selection.sandbox);
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
