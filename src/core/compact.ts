/**
 * Compaction: the one place history is replaced wholesale. The server's compact endpoint is
 * used when the client offers it (until it answers that it has none); otherwise the model
 * writes a hand-off note. Either way the new history starts with a fresh context prefix, and
 * a compaction whose own request is too long is sent with its largest items cut and its
 * oldest dropped (see `compact/trim.ts`), again shorter each time the server refuses it.
 */
import { rebuildWithSummary, requestSummary, summaryRequestItems, MAX_KEPT_USER_TOKENS } from './compact/local';
import { compactRemotely, isUnsupported } from './compact/remote';
import { fitTo } from './compact/trim';
import type { SessionConfig } from './config';
import { isPrefixContext } from './context/index';
import type { AgentEvent, CompactionMode, CompactionReason, ErrorInfo } from './events';
import { normalizeHistory, type History } from './history';
import type { ResponseItem } from './items';
import { isModelError, type Clock, type ModelClient, type ModelErrorShape, type ToolSpec, type Usage } from './ports';
import { isRetryable } from './retry';
import { asModelError, errorInfo } from './sampling';
import { modelError } from './stream';
import { contextLimits } from './tokens';

export interface CompactorDeps {
  model: ModelClient;
  history: History;
  /** Waits between retries. */
  clock: Clock;
  sessionId: string;
  config(): SessionConfig;
  tools(): ToolSpec[];
  /** The opening context messages as at session start, for the current config. */
  initialContext(): Promise<ResponseItem[]>;
  /** Estimated tokens of a request carrying `items` (tools and flags included). */
  estimate(items: readonly ResponseItem[]): number;
  emit(event: AgentEvent): void;
  random?: () => number;
  maxRequestRetries?: number;
  maxStreamRetries?: number;
}

export type CompactionOutcome =
  | {
      status: 'completed';
      mode: CompactionMode;
      items_before: number;
      items_after: number;
      tokens_before: number;
      tokens_after: number;
      /** What the compaction's own requests cost, as far as the server reported it. */
      usage?: Usage;
    }
  | { status: 'failed'; mode: CompactionMode; error: ErrorInfo }
  | { status: 'aborted'; mode: CompactionMode }
  /** Nothing but the context prefix: there is nothing to compact. */
  | { status: 'skipped' };

export class Compactor {
  readonly #deps: CompactorDeps;
  /** Set once the server answered that it has no compact endpoint: local from then on. */
  #remoteUnavailable = false;

  constructor(deps: CompactorDeps) {
    this.#deps = deps;
  }

  /** How the next compaction will run. */
  get mode(): CompactionMode {
    const remote = this.#deps.config().capabilities.compact && typeof this.#deps.model.compact === 'function';
    return remote && !this.#remoteUnavailable ? 'remote' : 'local';
  }

  /**
   * Compacts the history, reporting `compaction_started` then `compaction_finished` or
   * `compaction_failed`. Never rejects; the history changes only on success.
   */
  async run(reason: CompactionReason, tokensBefore: number, signal: AbortSignal): Promise<CompactionOutcome> {
    const deps = this.#deps;
    const before = deps.history.items;
    if (before.every(isPrefixContext)) return { status: 'skipped' };
    let mode = this.mode;
    deps.emit({ type: 'compaction_started', reason, mode, tokens_before: tokensBefore, items_before: before.length });
    try {
      let done: { items: ResponseItem[]; usage?: Usage } | undefined;
      if (mode === 'remote') {
        try {
          done = await this.#remote(before, signal);
        } catch (err) {
          if (!isModelError(err) || !isUnsupported(err)) throw err;
          this.#remoteUnavailable = true;
          mode = 'local';
        }
      }
      done ??= await this.#local(before, signal);
      const { items: body, usage } = done;
      const context = await deps.initialContext();
      if (signal.aborted) throw interrupted();
      // A copy: the stored list keeps growing as the conversation goes on.
      const history = deps.history.replaceAll(normalizeHistory([...context, ...body])).slice();
      const outcome = {
        mode,
        items_before: before.length,
        items_after: history.length,
        tokens_before: tokensBefore,
        tokens_after: deps.estimate(history),
        ...(usage ? { usage } : {}),
      };
      deps.emit({ type: 'compaction_finished', reason, ...outcome, history, history_before: before });
      return { status: 'completed', ...outcome };
    } catch (err) {
      const error = signal.aborted ? interrupted() : isModelError(err) ? err : asModelError(err);
      deps.emit({ type: 'compaction_failed', reason, mode, error: errorInfo(error) });
      return error.kind === 'aborted' ? { status: 'aborted', mode } : { status: 'failed', mode, error: errorInfo(error) };
    }
  }

  #remote(items: readonly ResponseItem[], signal: AbortSignal): Promise<{ items: ResponseItem[]; usage?: Usage }> {
    const deps = this.#deps;
    const config = deps.config();
    const tools = deps.tools();
    return this.#fitting(
      items,
      (list) => list,
      (input) =>
        compactRemotely(
          {
            model: deps.model,
            clock: deps.clock,
            ...(deps.random ? { random: deps.random } : {}),
            ...(deps.maxRequestRetries !== undefined ? { maxRequestRetries: deps.maxRequestRetries } : {}),
          },
          { model: config.model, input, tools },
          signal,
        ),
    );
  }

  async #local(items: readonly ResponseItem[], signal: AbortSignal): Promise<{ items: ResponseItem[]; usage: Usage }> {
    const deps = this.#deps;
    const config = deps.config();
    const { summary, usage } = await this.#fitting(items, summaryRequestItems, (input) =>
      requestSummary(
        {
          model: deps.model,
          clock: deps.clock,
          config,
          sessionId: deps.sessionId,
          ...(deps.random ? { random: deps.random } : {}),
          ...(deps.maxRequestRetries !== undefined ? { maxRequestRetries: deps.maxRequestRetries } : {}),
          ...(deps.maxStreamRetries !== undefined ? { maxStreamRetries: deps.maxStreamRetries } : {}),
        },
        input,
        signal,
      ),
    );
    const { autoCompactAt } = contextLimits(config);
    // Codex keeps 20 000 tokens of user messages; small windows get a quarter of their limit.
    const budget = Math.min(MAX_KEPT_USER_TOKENS, Math.floor(autoCompactAt / 4));
    return { items: rebuildWithSummary(items, summary, budget), usage };
  }

  /**
   * Calls `attempt` with `items` made to fit the window (as estimated for `sent(items)`: the
   * largest cut, the oldest dropped; see `fitTo`), and again, fitted to an eighth less each
   * time, while the server reports a context overflow. The history itself is left verbatim.
   */
  async #fitting<T>(
    items: readonly ResponseItem[],
    sent: (items: readonly ResponseItem[]) => readonly ResponseItem[],
    attempt: (items: readonly ResponseItem[]) => Promise<T>,
  ): Promise<T> {
    const { window } = contextLimits(this.#deps.config());
    const estimate = (list: readonly ResponseItem[]) => this.#deps.estimate(sent(list));
    let input = fitTo(items, window, estimate);
    for (;;) {
      try {
        return await attempt(input);
      } catch (err) {
        const error: ModelErrorShape = isModelError(err) ? err : asModelError(err);
        if (error.kind !== 'context_overflow') throw error;
        // Fitted afresh from the whole history, so a smaller budget cuts before it drops.
        const size = estimate(input);
        const next = fitTo(items, Math.floor((size * 7) / 8), estimate);
        if (estimate(next) >= size) throw tooLong();
        input = next;
      }
    }
  }
}

/** The turn's error when a request overflows again right after an overflow compaction. */
export function stillTooLong(error: ModelErrorShape): ErrorInfo {
  return {
    ...errorInfo(error),
    message:
      "The conversation still does not fit the model's context window after compacting it. Start a new chat, or check the context window setting.",
  };
}

function interrupted(): ModelErrorShape {
  return modelError('aborted', 'The compaction was interrupted.', isRetryable({ kind: 'aborted' }));
}

function tooLong(): ModelErrorShape {
  return modelError(
    'context_overflow',
    "Even the newest part of the conversation does not fit the model's context window, so it cannot be compacted. Start a new chat.",
    isRetryable({ kind: 'context_overflow', code: 'context_length_exceeded' }),
    'context_length_exceeded',
  );
}
