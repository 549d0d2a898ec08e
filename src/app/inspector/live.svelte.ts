/**
 * The inspector timeline of one conversation, as reactive state: events are recorded as they
 * come, and `version` moves at most once per frame so the pane re-reads the timeline then.
 */
import type { AgentEvent } from '../../core/events';
import { hostSetTimeout } from '../host-timers';
import { restoreRounds, type StoredConversation } from './restored';
import { InspectorTimeline } from './timeline';

export class LiveInspector {
  readonly #live: InspectorTimeline;
  #shown: InspectorTimeline;
  /** A reopened session's log, rebuilt into rounds when first needed (a long one costs time). */
  #stored: StoredConversation | undefined;
  version = $state(0);
  #scheduled = false;

  /** `stored`: a reopened session's log, whose rounds come first (from before the reload). */
  constructor(secrets: () => readonly string[], stored?: StoredConversation) {
    this.#live = new InspectorTimeline({ secrets });
    this.#shown = this.#live;
    this.#stored = stored;
  }

  /** What the pane shows: the live timeline, or a replay's. */
  get timeline(): InspectorTimeline {
    this.#restore();
    return this.#shown;
  }

  /** Shows `timeline` instead of the live one (a replay); null goes back to live. */
  show(timeline: InspectorTimeline | null): void {
    this.#shown = timeline ?? this.#live;
    this.version++;
  }

  record(event: AgentEvent): void {
    this.#restore();
    this.#live.record(event, performance.now());
    if (this.#scheduled) return;
    this.#scheduled = true;
    const bump = () => {
      this.#scheduled = false;
      this.version++;
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(bump);
    else hostSetTimeout(bump, 0);
  }

  #restore(): void {
    const stored = this.#stored;
    if (!stored) return;
    this.#stored = undefined;
    restoreRounds(this.#live, stored);
  }
}
