/**
 * One agent session on the offline demo model and the embedded sandbox, folded into
 * reactive state for the engine console page.
 */
import { defaultConfig } from '../core/config';
import type { AgentEvent } from '../core/events';
import { Agent } from '../core/loop';
import { createModelClient } from '../model/client';
import { createScriptedFetch, DEFAULT_SCRIPTED_MODEL_ID, demoScript, ScriptedModel } from '../model/scripted/index';
import type { Sandbox } from '../sandbox/sandbox';

export type Entry =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string; done: boolean }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool'; callId: string; title: string; output: string; status: 'running' | 'ok' | 'failed'; ms?: number }
  | { kind: 'note'; text: string };

export class ConsoleSession {
  entries = $state<Entry[]>([]);
  running = $state(false);
  files = $state<string[]>([]);
  readonly sandbox: Sandbox;
  readonly root: string;
  readonly #agent: Agent;
  #controller: AbortController | null = null;

  constructor(sandbox: Sandbox) {
    this.sandbox = sandbox;
    this.root = sandbox.describe().root;
    const fetch = createScriptedFetch(new ScriptedModel(demoScript), { eventDelayMs: 12 });
    this.#agent = new Agent({
      model: createModelClient({ baseURL: 'https://demo.unroll.invalid/v1', fetch, compact: true }),
      sandbox: this.sandbox,
      sessionId: crypto.randomUUID(),
      config: defaultConfig({ model: DEFAULT_SCRIPTED_MODEL_ID, cwd: this.root }),
    });
    this.#agent.on((event) => this.#fold(event));
    // Files follow the sandbox, whoever changes them.
    sandbox.fs.watch(() => void this.refreshFiles());
    void this.refreshFiles();
  }

  async send(text: string): Promise<void> {
    if (this.running || !text.trim()) return;
    this.running = true;
    this.#controller = new AbortController();
    this.entries.push({ kind: 'user', text });
    try {
      await this.#agent.runTurn(text, { signal: this.#controller.signal });
    } finally {
      this.running = false;
      this.#controller = null;
      await this.refreshFiles();
    }
  }

  stop(): void {
    this.#controller?.abort();
  }

  async refreshFiles(): Promise<void> {
    this.files = (await this.sandbox.fs.readdir(this.root)).sort();
  }

  #fold(event: AgentEvent): void {
    const last = this.entries[this.entries.length - 1];
    switch (event.type) {
      case 'text_delta':
        if (last?.kind === 'assistant' && !last.done) last.text += event.delta;
        else this.entries.push({ kind: 'assistant', text: event.delta, done: false });
        break;
      case 'output_item_done':
        if (event.item.type === 'message' && last?.kind === 'assistant') last.done = true;
        if (event.item.type === 'reasoning') {
          const text = event.item.summary.map((s) => s.text).join('\n\n').trim();
          if (text) this.entries.push({ kind: 'reasoning', text });
        }
        break;
      case 'tool_started':
        this.entries.push({ kind: 'tool', callId: event.call.call_id, title: toolTitle(event.call), output: '', status: 'running' });
        break;
      case 'tool_finished': {
        const entry = this.entries.find((e) => e.kind === 'tool' && e.callId === event.call_id);
        if (entry?.kind === 'tool') {
          entry.output = event.output;
          entry.status = event.success ? 'ok' : 'failed';
          entry.ms = event.duration_ms;
        }
        void this.refreshFiles();
        break;
      }
      case 'round_retry':
        this.entries.push({ kind: 'note', text: `${event.error.message} Retrying in ${event.delay_ms} ms.` });
        break;
      case 'turn_ended':
        if (event.reason !== 'completed') {
          this.entries.push({ kind: 'note', text: event.reason === 'aborted' ? 'Stopped.' : `Failed: ${event.error?.message ?? 'unknown error'}` });
        }
        break;
      default:
        break;
    }
  }
}

function toolTitle(call: Extract<AgentEvent, { type: 'tool_started' }>['call']): string {
  if (call.type === 'custom_tool_call') return call.name;
  try {
    const args = JSON.parse(call.arguments) as { cmd?: unknown };
    if (call.name === 'exec_command' && typeof args.cmd === 'string') return `$ ${args.cmd}`;
  } catch {
    // show the name only
  }
  return call.name;
}
