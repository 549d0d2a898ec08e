/**
 * Streamed deltas held until the next frame and applied together, runs to the same place
 * joined into one: a fast stream then costs one render per frame instead of one per delta.
 * `flush` applies what is held at once (before any other event, so order holds).
 */
import type { AgentEvent } from '../core/events';
import { hostSetTimeout } from './host-timers';

export type DeltaEvent = Extract<AgentEvent, { type: 'text_delta' | 'reasoning_summary_delta' | 'tool_output_delta' }>;

export function isDelta(event: AgentEvent): event is DeltaEvent {
  return event.type === 'text_delta' || event.type === 'reasoning_summary_delta' || event.type === 'tool_output_delta';
}

export class DeltaBatcher {
  readonly #apply: (event: DeltaEvent) => void;
  readonly #schedule: (run: () => void) => void;
  #held: DeltaEvent[] = [];
  #scheduled = false;

  constructor(apply: (event: DeltaEvent) => void, schedule: (run: () => void) => void = nextFrame) {
    this.#apply = apply;
    this.#schedule = schedule;
  }

  push(event: DeltaEvent): void {
    this.#held.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => this.flush());
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#held.length === 0) return;
    const events = coalesce(this.#held);
    this.#held = [];
    for (const event of events) this.#apply(event);
  }
}

/** Runs of deltas to the same place, joined into one event each. */
export function coalesce(events: readonly DeltaEvent[]): DeltaEvent[] {
  const out: DeltaEvent[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (last?.type === 'tool_output_delta' && event.type === 'tool_output_delta') {
      if (last.call_id === event.call_id) {
        out[out.length - 1] = { ...last, chunk: last.chunk + event.chunk };
        continue;
      }
    } else if (
      last &&
      last.type !== 'tool_output_delta' &&
      event.type === last.type &&
      event.output_index === last.output_index &&
      sameSummary(last, event)
    ) {
      out[out.length - 1] = { ...event, delta: last.delta + event.delta } as DeltaEvent;
      continue;
    }
    out.push(event);
  }
  return out;
}

function sameSummary(a: DeltaEvent, b: DeltaEvent): boolean {
  return a.type !== 'reasoning_summary_delta' || b.type !== 'reasoning_summary_delta' || a.summary_index === b.summary_index;
}

/** The next animation frame, or a short timer when there are no frames (a hidden tab, Node). */
function nextFrame(run: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    run();
  };
  if (typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(once);
    hostSetTimeout(once, 100);
  } else {
    hostSetTimeout(once, 0);
  }
}
