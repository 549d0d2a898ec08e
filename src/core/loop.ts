/**
 * The agent: one conversation's state (history, tools, settings, the context meter) and the
 * API the app drives it with. A turn — user input → sample → run tool calls → append outputs →
 * sample again, until a response without tool calls — runs in turn.ts, its tool calls in
 * tool-calls.ts, each sampling round in sampling.ts. History only ever grows, except when a
 * compaction (before a turn, between rounds, after a context overflow, or asked for with
 * `compact`) replaces it.
 */
import { PrefixTracker } from './cache-stats';
import { Compactor, type CompactionOutcome } from './compact';
import { withoutFeature, type SessionConfig } from './config';
import { hasContext, type ContextOptions } from './context/index';
import { TurnContext, type SkillsOptions } from './context/turn-context';
import type { AgentEvent, ApprovalDecision, CompactionReason, StepDecision, TurnUsage } from './events';
import { History } from './history';
import type { ContentPart, MessageItem, ResponseItem } from './items';
import { systemClock, type Clock, type ModelClient, type ResponsesRequest, type SandboxPort, type ToolSpec, type UnsupportedFeature } from './ports';
import { buildRequest } from './prompt';
import type { RetryLimits } from './retry';
import { ApprovalDesk } from './approvals';
import { Stepper } from './stepper';
import { contextLimits, itemsBytes, tokensForBytes, TokenMeter, utf8Length, type TokenStatus } from './tokens';
import { ProcessManager } from './tools/process-manager';
import { defaultTools } from './tools/registry';
import { AgentTools } from './tool-set';
import { addUsage, driveTurn, toUserMessage, type TurnHost, type TurnResult } from './turn';
import { WaitingDesk } from './waiting-desk';
import type { UserInputAnswers } from './tools/request-user-input';
import type { Tool } from './tools/types';

export { TURN_ABORTED_TEXT, type TurnResult } from './turn';

/** `RetryLimits` bound the retries of each request (see retry.ts). */
export interface AgentOptions extends RetryLimits {
  model: ModelClient;
  sandbox: SandboxPort;
  config: SessionConfig;
  /** Stable per session: the prompt cache key. */
  sessionId: string;
  /** A restored history (already normalised). */
  history?: readonly ResponseItem[];
  clock?: Clock;
  /** Waits between retries of a round; defaults to `clock`. */
  retryClock?: Clock;
  tools?: Tool[];
  baseInstructions?: string;
  agentsDocs?: ContextOptions['agentsDocs'];
  /**
   * Skills discovery (see `discoverSkills`): project skills under the cwd plus `roots`
   * (built-in skills). `false` offers no skills. Discovered again at the start of each turn.
   */
  skills?: SkillsOptions;
}

export class Agent {
  readonly history: History;
  readonly processes = new ProcessManager();
  #config: SessionConfig;
  readonly #options: AgentOptions;
  readonly #clock: Clock;
  /** The conversation's tools: frozen, with an offered list waiting for a break (see `AgentTools`). */
  readonly tools: AgentTools;
  readonly #questions = new WaitingDesk<UserInputAnswers>('question');
  readonly #listeners = new Set<(event: AgentEvent) => void>();
  readonly #approvals = new ApprovalDesk((e) => this.#emit(e));
  readonly #queued: MessageItem[] = [];
  #running = false;
  #turnCount = 0;
  readonly #meter = new TokenMeter();
  readonly #prefix = new PrefixTracker();
  readonly #compactor: Compactor;
  readonly #context: TurnContext;
  readonly #stepper = new Stepper((e) => this.#emit(e));
  readonly #host: TurnHost;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#config = { ...options.config };
    this.#clock = options.clock ?? systemClock;
    this.tools = new AgentTools(options.tools ?? defaultTools(), {
      capabilities: () => this.#config.capabilities,
      request: (tools) => ({ ...this.#request(), tools }),
      fresh: () => !hasContext(this.history.items) && !this.#running,
      emit: (e) => this.#emit(e),
    });
    this.history = new History(options.history ?? []);
    this.history.onAppend((item, index) => this.#emit({ type: 'item_appended', item, index }));
    this.history.onReplace(() => this.#meter.reset());
    this.#context = new TurnContext(() => this.#contextOptions(), options.skills ?? {});
    this.#compactor = new Compactor({
      model: options.model,
      history: this.history,
      clock: options.retryClock ?? this.#clock,
      sessionId: options.sessionId,
      config: () => this.#config,
      tools: () => this.#toolSpecs(),
      initialContext: () => this.#context.initial(),
      estimate: (items) => tokensForBytes(this.#overheadBytes() + itemsBytes(items)),
      emit: (e) => this.#emit(e),
      ...this.#retryOptions(),
    });
    this.#host = {
      history: this.history,
      tools: this.tools,
      context: this.#context,
      stepper: this.#stepper,
      prefix: this.#prefix,
      meter: this.#meter,
      queued: this.#queued,
      sandbox: options.sandbox,
      processes: this.processes,
      approvals: this.#approvals,
      questions: this.#questions,
      clock: this.#clock,
      sampling: { model: options.model, clock: options.retryClock ?? this.#clock, emit: (e) => this.#emit(e), ...this.#retryOptions() },
      config: () => this.#config,
      emit: (e) => this.#emit(e),
      request: () => this.#request(),
      usedTokens: () => this.#usedTokens(),
      limit: () => this.#limit(),
      compact: (reason, signal, usage) => this.#compact(reason, signal, usage),
      drop: (feature) => this.#drop(feature),
      emitTokenStatus: () => this.#emitTokenStatus(),
    };
  }

  get config(): Readonly<SessionConfig> {
    return this.#config;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Listens to every event; returns the unsubscribe function. Listener errors are ignored. */
  on(listener: (event: AgentEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Changes settings. Approval policy, sandbox mode and cwd are reported to the model by
   * messages appended before the next request; earlier messages are never edited.
   */
  updateConfig(patch: Partial<SessionConfig>): void {
    this.#config = { ...this.#config, ...patch };
  }

  /** Step-through mode: pause before each request and each tool call (see `step_paused`). */
  setStepping(on: boolean): void {
    this.#stepper.setEnabled(on);
  }

  /** Answers a `step_paused` event. Unknown ids are ignored. */
  resumeStep(id: string, decision: StepDecision): void {
    this.#stepper.resume(id, decision);
  }

  /** Answers a `user_input_requested` event. Unknown ids are ignored. */
  answerUser(id: string, answers: UserInputAnswers): void {
    if (!this.#questions.has(id)) return;
    this.#emit({ type: 'user_input_answered', id, answers });
    this.#questions.respond(id, answers);
  }

  /** Answers an `approval_requested` event. Unknown ids are ignored. */
  respondToApproval(requestId: string, decision: ApprovalDecision): void {
    this.#approvals.respond(requestId, decision);
  }

  /** Input typed while a turn runs: it joins that turn before its next request. */
  queueInput(input: string | ContentPart[]): void {
    this.#queued.push(toUserMessage(input));
  }

  /** The context meter: the next request's estimated tokens, the window, the compaction point. */
  tokenStatus(): TokenStatus {
    const { window, autoCompactAt } = contextLimits(this.#config);
    const lastUsage = this.#meter.lastUsage;
    return { used: this.#usedTokens(), window, auto_compact_at: autoCompactAt, ...(lastUsage ? { last_usage: lastUsage } : {}) };
  }

  /**
   * Compacts the history now (the `/compact` command). Only between turns: throws while a
   * turn runs. Resolves with what happened (never rejects otherwise); an interrupted
   * compaction leaves the history as it was.
   */
  async compact(options: { signal?: AbortSignal } = {}): Promise<CompactionOutcome> {
    if (this.#running) throw new Error('A turn is running; compact once it has ended.');
    this.#running = true;
    try {
      return await this.#compact('manual', options.signal ?? new AbortController().signal);
    } finally {
      this.#running = false;
    }
  }

  /** Ends every process the agent started. */
  dispose(): void {
    this.processes.killAll();
  }

  /**
   * Runs one turn. `input` null adds no message: the model answers the history as it stands,
   * which is how a failed turn is retried (its message is already there and is not sent twice).
   */
  async runTurn(input: string | ContentPart[] | null, options: { signal?: AbortSignal } = {}): Promise<TurnResult> {
    if (this.#running) throw new Error('A turn is already running; queue the input with queueInput().');
    this.#running = true;
    try {
      return await driveTurn(this.#host, input, `turn_${++this.#turnCount}`, options.signal ?? new AbortController().signal);
    } finally {
      this.#approvals.rejectAll();
      this.#questions.rejectAll();
      this.tools.reverseAt(null);
      this.#running = false;
    }
  }

  #contextOptions(): Omit<ContextOptions, 'skills'> {
    return {
      config: this.#config,
      sandbox: this.#options.sandbox,
      clock: this.#clock,
      ...(this.#options.baseInstructions !== undefined ? { baseInstructions: this.#options.baseInstructions } : {}),
      ...(this.#options.agentsDocs ? { agentsDocs: this.#options.agentsDocs } : {}),
    };
  }

  /**
   * Leaves `feature` out of this conversation's requests (the server refused it); false when it
   * was not being sent, so a refusal that persists is reported instead of retried.
   */
  #drop(feature: UnsupportedFeature): boolean {
    const capabilities = withoutFeature(this.#config.capabilities, feature);
    if (capabilities) this.#config = { ...this.#config, capabilities };
    return capabilities !== undefined;
  }

  #toolSpecs(): ToolSpec[] {
    return this.tools.specs();
  }
  #request(history: readonly ResponseItem[] = this.history.items): ResponsesRequest {
    return buildRequest({ config: this.#config, tools: this.#toolSpecs(), history, sessionId: this.#options.sessionId });
  }

  /** Serialized bytes of a request minus its items: model, tools and flags. */
  #overheadBytes(): number {
    return utf8Length(JSON.stringify(this.#request([]))) - 2;
  }

  #usedTokens(): number {
    return this.#meter.used(this.history.items, this.#overheadBytes());
  }
  #limit(): number {
    return contextLimits(this.#config).autoCompactAt;
  }

  /** Runs a compaction; a turn's compactions count in its `usage`. */
  async #compact(reason: CompactionReason, signal: AbortSignal, turnUsage?: TurnUsage): Promise<CompactionOutcome> {
    const outcome = await this.#compactor.run(reason, this.#usedTokens(), signal);
    if (outcome.status !== 'completed') return outcome;
    if (turnUsage && outcome.usage) addUsage(turnUsage, outcome.usage);
    // The prefix is new anyway: a tool list that waited for a break goes with it.
    this.tools.applyFor('compaction');
    this.#emitTokenStatus();
    return outcome;
  }

  #emitTokenStatus(): void {
    this.#emit({ type: 'token_status', ...this.tokenStatus() });
  }

  #retryOptions() {
    const o = this.#options;
    return {
      ...(o.random ? { random: o.random } : {}),
      ...(o.maxRequestRetries !== undefined ? { maxRequestRetries: o.maxRequestRetries } : {}),
      ...(o.maxStreamRetries !== undefined ? { maxStreamRetries: o.maxStreamRetries } : {}),
    };
  }

  #emit(event: AgentEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not break the turn.
      }
    }
  }
}
