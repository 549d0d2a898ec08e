/**
 * The turn runner: user input → sample → run tool calls → append outputs → sample again,
 * until a response without tool calls ends the turn. History only ever grows, except when a
 * compaction (before a turn, between rounds, after a context overflow, or asked for with
 * `compact`) replaces it.
 */
import { cacheText, PrefixTracker } from './cache-stats';
import { requestBytes } from './request-size';
import { Compactor, stillTooLong, type CompactionOutcome } from './compact';
import { withoutFeature, type SessionConfig } from './config';
import { hasContext, type ContextOptions } from './context/index';
import { TurnContext, type SkillsOptions } from './context/turn-context';
import type { AgentEvent, ApprovalDecision, CompactionReason, ErrorInfo, StepDecision, TurnEndReason, TurnUsage } from './events';
import { History, pendingCalls } from './history';
import { sumUsage } from './usage-total';
import { callRef, isToolCall, messageText, outputFor, userMessage, type ContentPart, type MessageItem, type ResponseItem } from './items';
import {
  systemClock,
  type Clock,
  type ModelClient,
  type ResponsesRequest,
  type SandboxPort,
  type ToolSpec,
  type UnsupportedFeature,
  type Usage,
} from './ports';
import { buildRequest } from './prompt';
import { errorInfo, sampleRound } from './sampling';
import { ApprovalDesk } from './approvals';
import { Stepper } from './stepper';
import { contextLimits, estimateItemsTokens, itemsBytes, tokensForBytes, TokenMeter, utf8Length, type TokenStatus } from './tokens';
import { ABORTED_BEFORE_START, dispatchToolCalls } from './tools/dispatch';
import { ProcessManager } from './tools/process-manager';
import { defaultTools } from './tools/registry';
import { AgentTools } from './tool-set';
import { WaitingDesk } from './waiting-desk';
import type { UserInputAnswers } from './tools/request-user-input';
import type { Tool, ToolContext } from './tools/types';

export interface AgentOptions {
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
  random?: () => number;
  maxRequestRetries?: number;
  maxStreamRetries?: number;
}

export interface TurnResult {
  reason: TurnEndReason;
  usage: TurnUsage;
  lastMessage?: string;
  error?: ErrorInfo;
}

export const TURN_ABORTED_TEXT =
  '<turn_aborted>\nThe user interrupted the previous turn. Tool calls that were cut short are marked "aborted". ' +
  'Do not resume that work unless the user asks for it.\n</turn_aborted>';

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
  #queued: MessageItem[] = [];
  #running = false;
  #turnCount = 0;
  readonly #meter = new TokenMeter();
  readonly #prefix = new PrefixTracker();
  readonly #compactor: Compactor;
  readonly #context: TurnContext;
  readonly #stepper = new Stepper((e) => this.#emit(e));

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
    const signal = options.signal ?? new AbortController().signal;
    const turnId = `turn_${++this.#turnCount}`;
    const usage: TurnUsage = { input_tokens: 0, cached_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0, requests: 0 };
    const end = (reason: TurnEndReason, extra: Partial<TurnResult> = {}): TurnResult => {
      const result: TurnResult = { reason, usage, ...extra };
      this.#emit({
        type: 'turn_ended',
        turn_id: turnId,
        reason,
        usage,
        ...(result.lastMessage !== undefined ? { last_message: result.lastMessage } : {}),
        ...(result.error ? { error: result.error } : {}),
      });
      return result;
    };
    try {
      const added = input === null ? [] : [toUserMessage(input)];
      this.#emit({ type: 'turn_started', turn_id: turnId, input: added });
      // Compacting before the user's message is recorded keeps it whole after the summary.
      let compacted: CompactionOutcome | undefined;
      if (!signal.aborted && this.#usedTokens() + estimateItemsTokens(added) >= this.#limit()) {
        compacted = await this.#compact('auto', signal, usage);
      }
      const starting = !hasContext(this.history.items);
      if (starting) this.tools.applyFor('start', true);
      const context = await this.#context.before(this.history.items);
      // Recorded even when the turn is already interrupted: the context must stay first in
      // history and the model should see what the user asked before the abort marker.
      for (const item of context) this.history.append(item);
      for (const item of added) this.history.append(item);
      // Skills the person named with `$name` follow their message, as Codex hands them over.
      for (const text of await this.#context.mentions(added.map(messageText).join('\n'))) {
        this.history.append(userMessage(text));
      }
      if (signal.aborted) return this.#abort(end);
      if (compacted?.status === 'failed') return end('failed', { error: compacted.error });
      this.#emitTokenStatus();

      let overflowCompacted = false;
      // A compaction that could not get below the limit is not repeated in this turn.
      let futile = compacted?.status === 'completed' && compacted.tokens_after >= this.#limit();
      for (let round = 1; ; round++) {
        for (const queued of this.#queued.splice(0)) this.history.append(queued);
        // At most one automatic compaction per request: a history that is still over the
        // limit afterwards is sent as it is (the server decides whether it fits).
        if (compacted === undefined && !futile && this.#usedTokens() >= this.#limit()) {
          compacted = await this.#compact('auto', signal, usage);
          futile = compacted.status === 'completed' && compacted.tokens_after >= this.#limit();
          if (compacted.status === 'aborted' || signal.aborted) return this.#abort(end);
          if (compacted.status === 'failed') return end('failed', { error: compacted.error });
        }
        const request = { ...this.#request(), tools: this.tools.specsForRound(round) };
        if ((await this.#stepper.gate({ kind: 'request', round, request }, signal)) === 'stop') return this.#abort(end);
        const sample = this.#prefix.next(cacheText(request));
        const result = await sampleRound(
          { model: this.#options.model, clock: this.#options.retryClock ?? this.#clock, emit: (e) => this.#emit(e), ...this.#retryOptions() },
          request,
          round,
          signal,
        );
        if (result.status === 'aborted') {
          for (const item of result.items) this.history.append(item);
          return this.#abort(end);
        }
        if (result.status === 'failed') {
          const feature = result.error.unsupported;
          if (feature && this.#drop(feature)) {
            this.#emit({ type: 'capability_dropped', round, feature, error: errorInfo(result.error) });
            continue;
          }
          if (result.error.kind !== 'context_overflow') return end('failed', { error: errorInfo(result.error) });
          // Compact and resend once; a second overflow in a row is reported.
          if (overflowCompacted) return end('failed', { error: stillTooLong(result.error) });
          overflowCompacted = true;
          const outcome = await this.#compact('overflow', signal, usage);
          if (outcome.status === 'aborted' || signal.aborted) return this.#abort(end);
          if (outcome.status === 'failed') return end('failed', { error: outcome.error });
          if (outcome.status === 'skipped') return end('failed', { error: stillTooLong(result.error) });
          compacted = outcome;
          continue;
        }
        overflowCompacted = false;
        compacted = undefined;
        addUsage(usage, result.usage);
        this.#emit({
          type: 'request_stats',
          round,
          request_bytes: requestBytes(request),
          prefix_bytes: sample.prefixBytes,
          input_tokens: result.usage.input_tokens,
          cached_tokens: result.usage.cached_tokens,
        });
        for (const item of result.items) this.history.append(item);
        this.#meter.observe(result.usage, this.history.length);
        this.#emitTokenStatus();
        // Calls kept verbatim because they cannot run still count: each gets an output.
        const calls = result.items.filter((item) => callRef(item) !== undefined);
        if (calls.length === 0 && this.#queued.length === 0) {
          const last = [...result.items].reverse().find((i) => i.type === 'message' && i.role === 'assistant');
          return end('completed', last ? { lastMessage: messageText(last) } : {});
        }
        for (const call of calls.filter(isToolCall)) {
          if ((await this.#stepper.gate({ kind: 'tool', call }, signal)) === 'stop') return this.#abort(end);
        }
        await dispatchToolCalls(calls, {
          tools: this.tools.set.map,
          parallel: this.#config.parallelToolCalls,
          signal,
          contextFor: (call) => this.#toolContext(call.call_id, signal),
          append: (item) => this.history.append(item),
          emit: (e) => this.#emit(e),
          now: () => this.#clock.now(),
        });
        if (signal.aborted) return this.#abort(end);
      }
    } catch (err) {
      // Only a bug reaches here; the history is repaired so the next turn can still run.
      this.#closePendingCalls();
      return end('failed', { error: { kind: 'internal', message: (err as Error)?.message ?? String(err) } });
    } finally {
      this.#approvals.rejectAll();
      this.#questions.rejectAll();
      this.tools.reverseAt(null);
      this.#running = false;
    }
  }

  #abort(end: (reason: TurnEndReason) => TurnResult): TurnResult {
    this.#closePendingCalls();
    for (const queued of this.#queued.splice(0)) this.history.append(queued);
    this.history.append(userMessage(TURN_ABORTED_TEXT));
    return end('aborted');
  }

  /** Every call still without an output gets "aborted", keeping the pairing invariant. */
  #closePendingCalls(): void {
    for (const call of pendingCalls(this.history.items)) this.history.append(outputFor(call, ABORTED_BEFORE_START));
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

  #toolContext(callId: string, signal: AbortSignal): ToolContext {
    return {
      sandbox: this.#options.sandbox,
      cwd: this.#config.cwd,
      approvalPolicy: this.#config.approvalPolicy,
      sandboxMode: this.#config.sandboxMode,
      callId,
      signal,
      clock: this.#clock,
      processes: this.processes,
      emit: (e) => this.#emit(e),
      requestApproval: (request) => this.#approvals.ask(callId, request, signal),
      askUser: (questions) => this.#questions.ask(signal, (id) => this.#emit({ type: 'user_input_requested', id, call_id: callId, questions })),
    };
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

function toUserMessage(input: string | ContentPart[]): MessageItem {
  return typeof input === 'string' ? userMessage(input) : { type: 'message', role: 'user', content: input };
}

/** Adds one request's usage to the turn's, in place. */
function addUsage(total: TurnUsage, usage: Usage): void {
  Object.assign(total, sumUsage(total, { ...usage, requests: 1 }));
}
