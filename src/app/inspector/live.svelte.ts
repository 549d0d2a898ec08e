/**
 * The inspector timeline of one conversation, as reactive state: events are recorded as they
 * come, and `version` moves at most once per frame so the pane re-reads the timeline then.
 */
import type { AgentEvent } from '../../core/events';
import { hostSetTimeout } from '../host-timers';
import { InspectorTimeline } from './timeline';

export class LiveInspector {
  readonly #live: InspectorTimeline;
  /** What the pane shows: the live timeline, or a replay's. */
  timeline: InspectorTimeline;
  version = $state(0);
  #scheduled = false;

  constructor(secrets: () => readonly string[]) {
    this.#live = new InspectorTimeline({ secrets });
    this.timeline = this.#live;
  }

  /** Shows `timeline` instead of the live one (a replay); null goes back to live. */
  show(timeline: InspectorTimeline | null): void {
    this.timeline = timeline ?? this.#live;
    this.version++;
  }

  record(event: AgentEvent): void {
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
}
