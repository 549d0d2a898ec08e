/**
 * What a chat keeps of itself, in one place. A stored, writable session writes through its
 * recorder, the session's only writer: items, compactions, tool results, notes, each turn's end,
 * and the workspace before and after each turn and after a revert. Without one (no storage, a
 * shared link, a session another tab holds) nothing is written, and sandbox snapshots stand in
 * for the stored manifests so a turn still shows what it changed.
 */
import type { AgentEvent } from '../core/events';
import type { Sandbox } from '../sandbox/sandbox';
import type { Snapshot } from '../sandbox/snapshot';
import { TOOL_RECORD, TURN_RECORD } from '../store/log-records';
import type { ControlRecord, Manifest, ManifestHistory } from '../store/session-store';
import type { TurnEntry } from './chat-entries';
import type { SessionRecorder } from './session-recorder';
import { diffManifests, fillStoredChanges } from './turn-changes';
import { diffSnapshots } from './turn-diff';

/** The workspace as a turn began: its stored manifest, or (nothing stored) a snapshot. */
export type TurnStart = Promise<{ manifest: Manifest | null; snapshot: Snapshot | null }>;

export class ChatRecording {
  readonly #sandbox: Pick<Sandbox, 'snapshot'>;
  readonly #recorder: SessionRecorder | undefined;

  constructor(sandbox: Pick<Sandbox, 'snapshot'>, recorder: SessionRecorder | undefined) {
    this.#sandbox = sandbox;
    this.#recorder = recorder;
  }

  /** The stored session's id; undefined when nothing is stored. */
  get sessionId(): string | undefined {
    return this.#recorder?.sessionId;
  }

  /** Resolves when everything asked for so far is written, or its failure reported. */
  idle(): Promise<void> {
    return this.#recorder?.idle() ?? Promise.resolve();
  }

  /** The workspace now; null when the sandbox cannot say. */
  async snapshot(): Promise<Snapshot | null> {
    try {
      return await this.#sandbox.snapshot();
    } catch {
      return null;
    }
  }

  /** Reloaded turns get their changes from the stored manifests (in the background). */
  fillChanges(turns: readonly TurnEntry[], manifests: ManifestHistory | undefined): void {
    if (this.#recorder) void fillStoredChanges(turns, manifests, this.#recorder.files);
  }

  /** A turn begins: files changed since the last save are saved, to compare its end with. */
  turnStarted(): TurnStart {
    const recorder = this.#recorder;
    if (!recorder) return this.snapshot().then((snapshot) => ({ manifest: null, snapshot }));
    return recorder.saveWorkspace('auto').then((manifest) => ({ manifest, snapshot: null }));
  }

  /**
   * A turn ended after `ms`: the workspace is saved, the turn's record written, and `summary`
   * (the turn's entry, unless it has its changes already) told where it is and what changed.
   */
  async turnEnded(summary: TurnEntry | undefined, start: TurnStart, ms: number): Promise<void> {
    const before = await start;
    if (!summary || summary.changes) return;
    const recorder = this.#recorder;
    if (!recorder) {
      const after = await this.snapshot();
      summary.changes = before.snapshot && after ? diffSnapshots(before.snapshot, after) : [];
      return;
    }
    const after = await recorder.saveWorkspace('turn');
    summary.ms = ms;
    summary.before = before.manifest?.n ?? null;
    summary.after = after?.n ?? null;
    summary.at = recorder.control({
      type: TURN_RECORD,
      reason: summary.reason,
      usage: { ...summary.usage },
      ms,
      before: summary.before,
      after: summary.after,
    });
    summary.changes = before.manifest && after ? await diffManifests(recorder.files, before.manifest, after) : [];
  }

  /** Files were put back by hand: the workspace is recorded now, as a manifest of its own. */
  async reverted(): Promise<void> {
    await this.#recorder?.saveWorkspace('revert', true);
  }

  /** One of the app's own records (a note for the model, a change of the tool list). */
  control(record: ControlRecord): void {
    this.#recorder?.control(record);
  }

  /** An engine event the log keeps (an item, a compaction, a tool's result); an item's log position. */
  event(event: AgentEvent): number | undefined {
    const recorder = this.#recorder;
    if (!recorder) return undefined;
    if (event.type === 'item_appended') return recorder.append(event.item);
    if (event.type === 'compaction_finished') recorder.replace(event.history);
    else if (event.type === 'tool_finished') {
      recorder.control({
        type: TOOL_RECORD,
        call_id: event.call_id,
        status: event.success ? 'ok' : 'failed',
        ms: event.duration_ms,
        ...(event.exit_code !== undefined ? { exit_code: event.exit_code } : {}),
      });
    }
    return undefined;
  }
}
