/**
 * Step-through mode: with it on, the loop pauses before each request and before each tool
 * call, reports what is about to happen (`step_paused`) and waits for `resume` with
 * 'continue' or 'stop'. An interrupt while paused counts as 'stop'.
 */
import type { AgentEvent, StepDecision, StepTarget } from './events';

export class Stepper {
  enabled = false;
  readonly #emit: (event: AgentEvent) => void;
  readonly #waiting = new Map<string, (decision: StepDecision) => void>();
  #count = 0;

  constructor(emit: (event: AgentEvent) => void) {
    this.#emit = emit;
  }

  /** Resolves at once with 'continue' when off; otherwise when the user decides. */
  gate(target: StepTarget, signal: AbortSignal): Promise<StepDecision> {
    if (!this.enabled) return Promise.resolve('continue');
    if (signal.aborted) return Promise.resolve('stop');
    const id = `step_${++this.#count}`;
    return new Promise<StepDecision>((resolve) => {
      const settle = (decision: StepDecision) => {
        signal.removeEventListener('abort', onAbort);
        if (!this.#waiting.delete(id)) return;
        this.#emit({ type: 'step_resumed', id, decision });
        resolve(decision);
      };
      const onAbort = () => settle('stop');
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(id, settle);
      this.#emit({ type: 'step_paused', id, target });
    });
  }

  /** Answers a `step_paused` event; unknown ids are ignored. */
  resume(id: string, decision: StepDecision): void {
    this.#waiting.get(id)?.(decision);
  }

  /** Turning the mode off lets every paused step continue. */
  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) for (const settle of [...this.#waiting.values()]) settle('continue');
  }
}
