/**
 * One conversation on the active sandbox, with the model chosen in Settings, folded into
 * reactive state for the chat pane. Slash commands run here; approvals wait in the transcript
 * for the user's answer; each turn ends with what it cost and which files it changed.
 */
import { APPROVAL_POLICIES, defaultConfig, type ApprovalPolicy } from '../core/config';
import type { AgentEvent, ApprovalDecision, TurnUsage } from '../core/events';
import { Agent } from '../core/loop';
import type { Sandbox } from '../sandbox/sandbox';
import type { Snapshot } from '../sandbox/snapshot';
import { foldEvent, type Entry } from './chat-entries';
import { createModel, type CreateModelOptions } from './model-factory';
import type { Settings } from './settings.svelte';
import { INIT_PROMPT, parseSlash, type SlashCommand } from './slash-commands';
import { statusRows } from './status-report';
import { diffSnapshots } from './turn-diff';

export type { Entry } from './chat-entries';

export const EMPTY_USAGE: Readonly<TurnUsage> = Object.freeze({
  input_tokens: 0,
  cached_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  total_tokens: 0,
  requests: 0,
});

export class ChatSession {
  entries = $state<Entry[]>([]);
  running = $state(false);
  usage = $state<TurnUsage>({ ...EMPTY_USAGE });
  modelLabel = $state('');
  sessionId = $state(crypto.randomUUID());
  readonly sandbox: Sandbox;
  readonly root: string;
  readonly settings: Settings;
  #agent: Agent | null = null;
  #modelKey = '';
  #controller: AbortController | null = null;
  /** The workspace when the conversation began, for /diff. */
  #baseline: Promise<Snapshot | null>;
  readonly #modelOptions: CreateModelOptions;

  constructor(sandbox: Sandbox, settings: Settings, modelOptions: CreateModelOptions = {}) {
    this.sandbox = sandbox;
    this.settings = settings;
    this.#modelOptions = modelOptions;
    this.root = sandbox.describe().root;
    this.#baseline = this.#snapshot();
  }

  /** A message, or a slash command. */
  async submit(text: string): Promise<void> {
    const slash = parseSlash(text);
    if (!slash) return this.send(text);
    if ('unknown' in slash) {
      this.#note(`Unknown command /${slash.unknown}. Type / to see the commands.`);
      return;
    }
    if (this.running && !slash.command.duringTurn) {
      this.#note(`/${slash.command.name} waits until the turn ends: stop it or let it finish.`);
      return;
    }
    await this.#run(slash.command, slash.args);
  }

  async send(text: string): Promise<void> {
    if (!text.trim()) return;
    if (this.running) {
      // Typed during a turn: it joins the turn before its next request.
      this.#agent?.queueInput(text);
      this.entries.push({ kind: 'user', text, pending: true });
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
    const before = this.#snapshot();
    try {
      await agent.runTurn(text, { signal: this.#controller.signal });
    } finally {
      this.running = false;
      this.#controller = null;
      await this.#recordChanges(await before);
    }
  }

  stop(): void {
    this.#controller?.abort();
  }

  answer(requestId: string, decision: ApprovalDecision): void {
    this.#agent?.respondToApproval(requestId, decision);
  }

  /** Clears the view; the model still has the whole conversation. */
  clear(): void {
    this.entries = [];
  }

  /** A fresh conversation on the same workspace. */
  newConversation(): void {
    this.stop();
    this.#agent?.dispose();
    this.#agent = null;
    this.#modelKey = '';
    this.sessionId = crypto.randomUUID();
    this.entries = [];
    this.usage = { ...EMPTY_USAGE };
    this.#baseline = this.#snapshot();
  }

  dispose(): void {
    this.stop();
    this.#agent?.dispose();
  }

  async #run(command: SlashCommand, args: string): Promise<void> {
    switch (command.name) {
      case 'new':
        this.newConversation();
        this.#note('New conversation. The workspace is unchanged.');
        return;
      case 'clear':
        this.clear();
        return;
      case 'status':
        this.entries.push({ kind: 'status', rows: statusRows(this) });
        return;
      case 'diff':
        return this.#showDiff();
      case 'model':
        return this.#model(args);
      case 'approvals':
        return this.#approvals(args);
      case 'init':
        return this.#init();
    }
  }

  async #showDiff(): Promise<void> {
    const [before, after] = await Promise.all([this.#baseline, this.#snapshot()]);
    if (!before || !after) {
      this.#note('The workspace could not be read, so there is nothing to compare.');
      return;
    }
    const changes = diffSnapshots(before, after);
    if (changes.length === 0) this.#note('No changes to the workspace since the conversation began.');
    else this.entries.push({ kind: 'diff', title: 'Changes since the conversation began', changes });
  }

  #model(args: string): void {
    const settings = this.settings;
    if (!args) {
      const known = settings.models.length ? ` Known models: ${settings.models.slice(0, 20).join(', ')}.` : '';
      this.#note(`Model: ${settings.effectiveModel}${settings.usingDemo ? ' (the offline demo: add an API key in Settings to use a real model)' : ''}. Type /model <name> to switch.${known}`);
      return;
    }
    if (settings.usingDemo) {
      this.#note('The offline demo model is in use. Add a base URL or API key in Settings first, then choose a model.');
      return;
    }
    settings.model = args;
    this.#note(`Model set to ${settings.effectiveModel}. The conversation continues with it.`);
  }

  #approvals(args: string): void {
    const settings = this.settings;
    if (!args) {
      this.#note(
        `Approvals: ${settings.approvalPolicy} (sandbox: ${settings.sandboxMode}). untrusted asks before anything but known-safe ` +
          'commands; on-request asks when the agent wants more than the sandbox allows; never asks, and refuses what the sandbox forbids.',
      );
      return;
    }
    const policy = args.toLowerCase() as ApprovalPolicy;
    if (!APPROVAL_POLICIES.includes(policy)) {
      this.#note(`Unknown approval policy "${args}". Choose one of: ${APPROVAL_POLICIES.join(', ')}.`);
      return;
    }
    settings.approvalPolicy = policy;
    this.#note(`Approvals set to ${policy}. The agent is told before its next request.`);
  }

  async #init(): Promise<void> {
    const path = `${this.root}/AGENTS.md`;
    if (await this.sandbox.fs.stat(path).catch(() => null)) {
      this.#note('AGENTS.md already exists; /init leaves it alone. Ask the agent to revise it instead.');
      return;
    }
    await this.send(INIT_PROMPT);
  }

  async #recordChanges(before: Snapshot | null): Promise<void> {
    const summary = this.entries.findLast((e) => e.kind === 'turn');
    if (summary?.kind !== 'turn' || summary.changes) return;
    const after = before ? await this.#snapshot() : null;
    summary.changes = before && after ? diffSnapshots(before, after) : [];
  }

  async #snapshot(): Promise<Snapshot | null> {
    try {
      return await this.sandbox.snapshot();
    } catch {
      return null;
    }
  }

  #note(text: string): void {
    this.entries.push({ kind: 'note', text });
  }

  /** The agent for the current settings: rebuilt (keeping history) when the model changes. */
  #currentAgent(): Agent {
    const snapshot = this.settings.snapshot();
    const key = JSON.stringify(snapshot);
    const patch = { ...this.settings.sessionConfigPatch(), cwd: this.root };
    if (this.#agent && key === this.#modelKey) {
      this.#agent.updateConfig(patch);
      return this.#agent;
    }
    const model = createModel(snapshot, this.#modelOptions);
    const history = this.#agent?.history.items ?? [];
    this.#agent?.dispose();
    const agent = new Agent({
      model: model.client,
      sandbox: this.sandbox,
      sessionId: this.sessionId,
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
    foldEvent(this.entries, event);
    // Counted per response, so /status is current while a turn runs.
    if (event.type === 'response_completed') this.usage = addUsage(this.usage, { ...event.usage, requests: 1 });
  }
}

export function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    reasoning_tokens: a.reasoning_tokens + b.reasoning_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    requests: a.requests + b.requests,
  };
}
