/**
 * The inspector timeline of one conversation, as reactive state: events are recorded as they
 * come, and `version` moves at most once per frame so the pane re-reads the timeline then.
 */
import type { AgentEvent } from '../../core/events';
import { hostSetTimeout } from '../host-timers';
import { InspectorTimeline } from './timeline';

export class LiveInspector {
  readonly timeline: InspectorTimeline;
  version = $state(0);
  #scheduled = false;

  constructor(secrets: () => readonly string[]) {
    this.timeline = new InspectorTimeline({ secrets });
  }

  record(event: AgentEvent): void {
    this.timeline.record(event, performance.now());
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
