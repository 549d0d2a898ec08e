/**
 * Approval requests waiting for the user: each is reported as `approval_requested` and
 * settled by `respond` (reported as `approval_resolved`) or rejected by an interrupt.
 */
import type { AgentEvent, ApprovalDecision, ApprovalRequest } from './events';
import { abortError } from './ports';

export class ApprovalDesk {
  readonly #emit: (event: AgentEvent) => void;
  readonly #waiting = new Map<string, { resolve(d: ApprovalDecision): void; reject(e: Error): void }>();
  #count = 0;

  constructor(emit: (event: AgentEvent) => void) {
    this.#emit = emit;
  }

  ask(callId: string, request: Omit<ApprovalRequest, 'id' | 'call_id'>, signal: AbortSignal): Promise<ApprovalDecision> {
    if (signal.aborted) return Promise.reject(abortError());
    const id = `approval_${++this.#count}`;
    return new Promise<ApprovalDecision>((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.delete(id);
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(id, {
        resolve: (d) => {
          signal.removeEventListener('abort', onAbort);
          resolve(d);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      this.#emit({ type: 'approval_requested', request: { ...request, id, call_id: callId } });
    });
  }

  /** Unknown ids are ignored. */
  respond(requestId: string, decision: ApprovalDecision): void {
    const pending = this.#waiting.get(requestId);
    if (!pending) return;
    this.#waiting.delete(requestId);
    this.#emit({ type: 'approval_resolved', request_id: requestId, decision });
    pending.resolve(decision);
  }

  /** Every open request fails (the turn is over). */
  rejectAll(): void {
    for (const pending of this.#waiting.values()) pending.reject(abortError());
    this.#waiting.clear();
  }
}
