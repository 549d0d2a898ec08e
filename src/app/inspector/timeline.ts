/**
 * The Inspector's model: folds `AgentEvent`s, each stamped by the app's clock, into a timeline
 * of turns, rounds (request, response, tool runs) and compactions. Plain TypeScript; a runes
 * wrapper can re-read `rounds` on `onChange`. Must not throw on any event order: events it
 * cannot place (a delta before any request) are ignored.
 */
import { commonPrefixLength } from '../../core/cache-stats';
import type { AgentEvent, AgentEventOf, ApprovalDecision } from '../../core/events';
import { messageText, type ResponseItem } from '../../core/items';
import type { ResponsesRequest } from '../../core/ports';
import { requestBytes } from '../../core/request-size';
import { tokensForBytes, utf8Length } from '../../core/tokens';
import { SharedCopies } from './frozen-copy';
import { itemLabel, toolTitle } from './labels';
import { layoutRequest, requestParts, type RequestLayout } from './parts';
import { looksSecret, redact, REDACTED } from './redact';
import { emptyResponse, isResponseEvent, recordResponseEvent } from './response-log';
import type { CompactionRecord, ItemLabel, RebuiltFrom, RequestPart, Round, ToolRun, TurnRecord } from './types';

export interface InspectorOptions {
  /** Rounds whose body, parts and output are kept; older ones keep only their summaries. */
  maxBodies?: number;
  /**
   * The secrets to keep out of the inspector (the API key from Settings), read when a body,
   * item or tool is first recorded. Bodies, output items, previews and titles are stored
   * redacted (see `redact`); sizes and cache figures are of the bytes really sent.
   */
  secrets?: () => readonly string[];
}

const DEFAULT_MAX_BODIES = 500;

export class InspectorTimeline {
  readonly rounds: Round[] = [];
  readonly turns: TurnRecord[] = [];
  readonly compactions: CompactionRecord[] = [];
  /** The `at` of the first event recorded, for drawing times relative to the session. */
  origin: number | null = null;

  readonly #maxBodies: number;
  readonly #secrets: () => readonly string[];
  readonly #copies: SharedCopies;
  readonly #labels = new WeakMap<ResponseItem, ItemLabel>();
  readonly #listeners = new Set<() => void>();
  /** The previous request as `cacheText`; only the last one is kept. */
  #previousText: string | undefined;
  #turn: TurnRecord | null = null;
  #runningTools = new Map<string, ToolRun>();
  /** Approval request id → call id, until answered. */
  #pendingApprovals = new Map<string, string>();
  /** Answered approvals of calls whose tool has not started yet. */
  #approvals = new Map<string, ApprovalDecision>();

  constructor(options: InspectorOptions = {}) {
    this.#maxBodies = Math.max(0, Math.floor(options.maxBodies ?? DEFAULT_MAX_BODIES));
    this.#secrets = options.secrets ?? (() => []);
    this.#copies = new SharedCopies((value) => redact(value, this.#secrets()));
  }

  /** The round the latest request belongs to. */
  get current(): Round | undefined {
    return this.rounds[this.rounds.length - 1];
  }

  /** Calls `listener` after every recorded event; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Adds rounds rebuilt from a stored conversation: `feed` records the events the loop would
   * have sent (see `replay.ts`). Only what the conversation holds is kept: the input and output
   * items, tool runs, and turn usage when fed; the size as sent, timings, the stream's events
   * and per-request usage are cleared as unknown. The next request is compared with none.
   */
  rebuild(from: RebuiltFrom, feed: (record: (event: AgentEvent) => void) => void): void {
    const first = this.rounds.length;
    const origin = this.origin;
    let at = 0;
    feed((event) => this.record(event, (at += 1)));
    for (const round of this.rounds.slice(first)) {
      round.rebuilt = from;
      round.request.bytes = null;
      round.request.estTokens = null;
      round.response = { ...round.response, events: [], ttftMs: null, durationMs: null, outputTokens: null, tokensPerSecond: null, usage: null };
    }
    this.#previousText = undefined;
    this.origin = origin;
    for (const listener of this.#listeners) listener();
  }

  /** Folds one event; `at` is the app's clock in ms (`performance.now()`). */
  record(event: AgentEvent, at: number): void {
    this.origin ??= at;
    this.#fold(event, at);
    for (const listener of this.#listeners) listener();
  }

  #fold(event: AgentEvent, at: number): void {
    const round = this.current;
    if (isResponseEvent(event)) {
      if (round && round.response.status === 'streaming') {
        recordResponseEvent(round.response, event, at - round.startedAt, (item) => this.#copies.of(item));
      }
      return;
    }
    switch (event.type) {
      case 'turn_started':
        this.#turn = {
          id: event.turn_id,
          startedAt: at,
          endedAt: null,
          firstRound: this.rounds.length,
          rounds: 0,
          reason: null,
          usage: null,
          input: this.#clean(event.input.map(messageText).join('\n')),
        };
        this.turns.push(this.#turn);
        return;
      case 'turn_ended':
        return this.#endTurn(event, at);
      case 'request_started':
        return this.#request(event, at);
      case 'round_retry':
        if (round && round.turnRound === event.round) {
          round.retries.push({
            attempt: event.attempt,
            t: at - round.startedAt,
            delayMs: event.delay_ms,
            error: { ...event.error, message: this.#clean(event.error.message) },
            events: round.response.events.length,
          });
        }
        return;
      case 'tool_started': {
        if (!round) return;
        const run: ToolRun = {
          callId: event.call.call_id,
          name: event.name,
          title: this.#clean(toolTitle(event.call)),
          startMs: at - round.startedAt,
          durationMs: null,
          exitCode: null,
          success: null,
          outputChars: 0,
        };
        const approval = this.#approvals.get(run.callId);
        if (approval) run.approval = approval;
        this.#approvals.delete(run.callId);
        round.tools.push(run);
        this.#runningTools.set(run.callId, run);
        return;
      }
      case 'tool_output_delta': {
        const run = this.#runningTools.get(event.call_id);
        if (run) run.outputChars += event.chunk.length;
        return;
      }
      case 'tool_finished': {
        const run = this.#runningTools.get(event.call_id);
        if (!run) return;
        run.durationMs = event.duration_ms;
        run.exitCode = event.exit_code ?? null;
        run.success = event.success;
        this.#runningTools.delete(event.call_id);
        return;
      }
      case 'approval_requested': {
        this.#pendingApprovals.set(event.request.id, event.request.call_id);
        return;
      }
      case 'approval_resolved': {
        const callId = this.#pendingApprovals.get(event.request_id);
        this.#pendingApprovals.delete(event.request_id);
        if (callId === undefined) return;
        const run = this.#runningTools.get(callId);
        if (run) run.approval = event.decision;
        else this.#approvals.set(callId, event.decision);
        return;
      }
      case 'compaction_started':
        this.compactions.push({
          reason: event.reason,
          mode: event.mode,
          status: 'running',
          startedAt: at,
          durationMs: null,
          atRound: this.rounds.length,
          turnId: this.#turn?.id ?? null,
          tokensBefore: event.tokens_before,
          tokensAfter: null,
          before: [],
          after: [],
          usage: null,
          error: null,
        });
        return;
      case 'compaction_finished':
        return this.#compacted(event, at);
      case 'compaction_failed': {
        const record = this.#runningCompaction();
        if (!record) return;
        record.status = 'failed';
        record.durationMs = at - record.startedAt;
        record.error = { ...event.error, message: this.#clean(event.error.message) };
        return;
      }
      default:
        return;
    }
  }

  #request(event: AgentEventOf<'request_started'>, at: number): void {
    const last = this.current;
    if (last && event.attempt > 1 && last.turnRound === event.round && last.turnId === (this.#turn?.id ?? null)) {
      // A retry resends the same body: the round's figures stand, its response starts over.
      last.attempts = event.attempt;
      last.startedAt = at;
      last.response = emptyResponse();
      return;
    }
    if (last && last.response.status === 'streaming') last.response.status = 'failed';
    const body = this.#copyBody(event.request);
    const layout = layoutRequest(event.request);
    const previous = this.#previousText;
    this.#previousText = layout.text;
    const prefixChars = previous === undefined ? 0 : commonPrefixLength(previous, layout.text);
    const bytes = requestBytes(event.request);
    const prefixBytes = utf8Length(layout.text.slice(0, prefixChars));
    const compaction = this.compactions[this.compactions.length - 1];
    const round: Round = {
      index: this.rounds.length,
      turnId: this.#turn?.id ?? null,
      turnRound: event.round,
      attempts: event.attempt,
      retries: [],
      startedAt: at,
      request: {
        body,
        parts: this.#parts(event.request, layout, prefixChars),
        bytes,
        prefixBytes,
        compared: previous !== undefined,
        estTokens: tokensForBytes(bytes),
        items: event.request.input.length,
      },
      response: emptyResponse(),
      tools: [],
      ...(compaction && compaction.atRound === this.rounds.length && compaction.status === 'finished' ? { compaction } : {}),
    };
    this.rounds.push(round);
    if (this.#turn) this.#turn.rounds++;
    this.#trim();
  }

  #parts(request: ResponsesRequest, layout: RequestLayout, prefixChars: number): RequestPart[] {
    const parts = requestParts(request, layout, prefixChars, (item) => this.#label(item));
    for (const part of parts) if (part.field !== 'input') part.preview = this.#clean(part.preview);
    return parts;
  }

  /** The body with its keys in the order sent; items and tools are shared copies. */
  #copyBody(request: ResponsesRequest): ResponsesRequest {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(request)) {
      copy[key] =
        (key === 'input' || key === 'tools') && Array.isArray(value)
          ? Object.freeze(value.map((v: unknown) => this.#copies.of(v)))
          : this.#copies.of(value);
    }
    return Object.freeze(copy) as unknown as ResponsesRequest;
  }

  #label(item: ResponseItem): ItemLabel {
    let label = this.#labels.get(item);
    if (!label) {
      label = itemLabel(item);
      label.preview = this.#clean(label.preview);
      this.#labels.set(item, label);
    }
    return label;
  }

  #clean(text: string): string {
    return looksSecret(text, this.#secrets()) ? REDACTED : text;
  }

  #trim(): void {
    const old = this.rounds[this.rounds.length - 1 - this.#maxBodies];
    if (!old) return;
    old.request.body = null;
    old.request.parts = null;
    old.response.output = null;
  }

  #runningCompaction(): CompactionRecord | undefined {
    const record = this.compactions[this.compactions.length - 1];
    return record?.status === 'running' ? record : undefined;
  }

  #compacted(event: AgentEventOf<'compaction_finished'>, at: number): void {
    const record = this.#runningCompaction();
    if (!record) return;
    const before = new Set(event.history_before.map((item) => JSON.stringify(item)));
    record.status = 'finished';
    record.mode = event.mode;
    record.durationMs = at - record.startedAt;
    record.tokensAfter = event.tokens_after;
    record.before = event.history_before.map((item) => this.#label(item));
    record.after = event.history.map((item) => ({ ...this.#label(item), kept: before.has(JSON.stringify(item)) }));
    record.usage = event.usage ? { ...event.usage } : null;
  }

  #endTurn(event: AgentEventOf<'turn_ended'>, at: number): void {
    const turn = this.turns.find((t) => t.id === event.turn_id);
    if (turn) {
      turn.endedAt = at;
      turn.reason = event.reason;
      turn.usage = { ...event.usage };
    }
    const round = this.current;
    if (round && round.turnId === event.turn_id && round.response.status === 'streaming') {
      round.response.status = event.reason === 'aborted' ? 'aborted' : 'failed';
    }
    this.#runningTools.clear();
    this.#pendingApprovals.clear();
    this.#approvals.clear();
    this.#turn = null;
  }
}
