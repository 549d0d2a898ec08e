/**
 * One agent session on the active sandbox, with the model chosen in Settings, folded into
 * reactive state for the chat pane. Approvals wait in the transcript for the user's answer.
 */
import { defaultConfig } from '../core/config';
import type { AgentEvent, ApprovalDecision, ApprovalRequest, ErrorInfo, TurnUsage } from '../core/events';
import { Agent } from '../core/loop';
import type { Sandbox } from '../sandbox/sandbox';
import { createModel, type CreatedModel } from './model-factory';
import type { Settings } from './settings.svelte';

export type Entry =
  | { kind: 'user'; text: string }
  | { kind: 'assistant'; text: string; done: boolean }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool'; callId: string; title: string; output: string; status: 'running' | 'ok' | 'failed'; ms?: number }
  | { kind: 'approval'; request: ApprovalRequest; decision?: ApprovalDecision }
  | { kind: 'error'; error: ErrorInfo }
  | { kind: 'note'; text: string };

const EMPTY_USAGE: TurnUsage = { input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0, requests: 0 };

export class ConsoleSession {
  entries = $state<Entry[]>([]);
  running = $state(false);
  files = $state<string[]>([]);
  usage = $state<TurnUsage>({ ...EMPTY_USAGE });
  lastTurnUsage = $state<TurnUsage | null>(null);
  modelLabel = $state('');
  readonly sandbox: Sandbox;
  readonly root: string;
  readonly #settings: Settings;
  readonly #sessionId = crypto.randomUUID();
  #agent: Agent | null = null;
  #modelKey = '';
  #controller: AbortController | null = null;

  constructor(sandbox: Sandbox, settings: Settings) {
    this.sandbox = sandbox;
    this.#settings = settings;
    this.root = sandbox.describe().root;
    // Files follow the sandbox, whoever changes them.
    sandbox.fs.watch(() => void this.refreshFiles());
    void this.refreshFiles();
  }

  async send(text: string): Promise<void> {
    if (!text.trim()) return;
    if (this.running) {
      // Typed during a turn: it joins the turn before its next request.
      this.#agent?.queueInput(text);
      this.entries.push({ kind: 'user', text });
      return;
    }
    let agent: Agent;
    try {
      agent = this.#currentAgent();
    } catch (err) {
      this.entries.push({ kind: 'user', text });
      this.entries.push({ kind: 'error', error: { kind: 'bad_request', message: (err as Error).message } });
      return;
    }
    this.running = true;
    this.#controller = new AbortController();
    this.entries.push({ kind: 'user', text });
    try {
      await agent.runTurn(text, { signal: this.#controller.signal });
    } finally {
      this.running = false;
      this.#controller = null;
      await this.refreshFiles();
    }
  }

  stop(): void {
    this.#controller?.abort();
  }

  answer(requestId: string, decision: ApprovalDecision): void {
    this.#agent?.respondToApproval(requestId, decision);
  }

  async refreshFiles(): Promise<void> {
    this.files = (await this.sandbox.fs.readdir(this.root)).sort();
  }

  /** The agent for the current settings: rebuilt (keeping history) when the model changes. */
  #currentAgent(): Agent {
    const snapshot = this.#settings.snapshot();
    const key = JSON.stringify(snapshot);
    const patch = { ...this.#settings.sessionConfigPatch(), cwd: this.root };
    if (this.#agent && key === this.#modelKey) {
      this.#agent.updateConfig(patch);
      return this.#agent;
    }
    const model: CreatedModel = createModel(snapshot);
    const history = this.#agent?.history.items ?? [];
    this.#agent?.dispose();
    const agent = new Agent({
      model: model.client,
      sandbox: this.sandbox,
      sessionId: this.#sessionId,
      history,
      config: defaultConfig({ ...patch, model: model.model, capabilities: model.capabilities }),
    });
    agent.on((event) => this.#fold(event));
    this.#agent = agent;
    this.#modelKey = key;
    this.modelLabel = model.label;
    return agent;
  }

  #fold(event: AgentEvent): void {
    const last = this.entries[this.entries.length - 1];
    switch (event.type) {
      case 'text_delta':
        if (last?.kind === 'assistant' && !last.done) last.text += event.delta;
        else this.entries.push({ kind: 'assistant', text: event.delta, done: false });
        break;
      case 'round_retry':
        // The round is sent again: drop its partial text.
        if (last?.kind === 'assistant' && !last.done) this.entries.pop();
        this.entries.push({ kind: 'note', text: `${event.error.message} Retrying in ${event.delay_ms} ms.` });
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
      case 'tool_output_delta': {
        const entry = this.#tool(event.call_id);
        if (entry) entry.output += event.chunk;
        break;
      }
      case 'tool_finished': {
        const entry = this.#tool(event.call_id);
        if (entry) {
          entry.output = event.output;
          entry.status = event.success ? 'ok' : 'failed';
          entry.ms = event.duration_ms;
        }
        break;
      }
      case 'approval_requested':
        this.entries.push({ kind: 'approval', request: event.request });
        break;
      case 'approval_resolved': {
        const entry = this.entries.find((e) => e.kind === 'approval' && e.request.id === event.request_id);
        if (entry?.kind === 'approval') entry.decision = event.decision;
        break;
      }
      case 'turn_ended':
        this.lastTurnUsage = event.usage;
        this.usage = addUsage(this.usage, event.usage);
        for (const entry of this.entries) if (entry.kind === 'approval' && !entry.decision) entry.decision = 'deny';
        if (event.reason === 'aborted') this.entries.push({ kind: 'note', text: 'Stopped.' });
        else if (event.reason === 'failed') this.entries.push({ kind: 'error', error: event.error ?? { kind: 'internal', message: 'unknown error' } });
        break;
      default:
        break;
    }
  }

  #tool(callId: string) {
    const entry = this.entries.findLast((e) => e.kind === 'tool' && e.callId === callId);
    return entry?.kind === 'tool' ? entry : undefined;
  }
}

function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    requests: a.requests + b.requests,
  };
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
