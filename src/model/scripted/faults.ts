/**
 * Fault injection for the scripted model's HTTP faces: each queued fault spoils exactly one
 * request (or `times` requests), first in, first out.
 */

export type FaultRoute = 'responses' | 'compact';

/** Answer with an HTTP error instead of running the script. */
export interface StatusFault {
  status: number;
  /** Defaults to an OpenAI-shaped `{"error":{message,type,param,code}}` for the status. */
  body?: object | string;
  /** Sent as the `Retry-After` header. */
  retryAfter?: string;
  headers?: Record<string, string>;
}

/**
 * Send `cutAfterEvents` events, then drop the connection (`destroy`, the default) or end the
 * body cleanly (`end`); either way `response.completed` never arrives.
 */
export interface CutFault {
  cutAfterEvents: number;
  mode?: 'destroy' | 'end';
}

/** Event number `malformedAt` (0-based) carries data that is not valid JSON. */
export interface MalformedFault {
  malformedAt: number;
}

/** After `stallAfterEvents` events, send nothing for `stallMs`, then carry on. */
export interface StallFault {
  stallAfterEvents: number;
  stallMs: number;
}

/** The stream ends with `response.failed` carrying this error; the script is not consulted. */
export interface FailFault {
  failWith: { code: string; message: string };
}

export type FaultKind = StatusFault | CutFault | MalformedFault | StallFault | FailFault;

export type Fault = FaultKind & {
  /** How many requests this fault spoils before it is used up. Default 1. */
  times?: number;
  /** Which endpoint it targets. Default `responses`. */
  route?: FaultRoute;
};

export class FaultQueue {
  readonly #queue: Array<{ fault: Fault; left: number }> = [];

  push(...faults: Fault[]): this {
    for (const fault of faults) this.#queue.push({ fault, left: Math.max(1, fault.times ?? 1) });
    return this;
  }

  /** The fault for the next request to `route`, if one is queued; uses one of its `times`. */
  take(route: FaultRoute): Fault | undefined {
    const index = this.#queue.findIndex((entry) => (entry.fault.route ?? 'responses') === route);
    const entry = this.#queue[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#queue.splice(index, 1);
    return entry.fault;
  }

  /** Faults (counting repeats) still waiting. */
  get pending(): number {
    return this.#queue.reduce((sum, entry) => sum + entry.left, 0);
  }

  clear(): void {
    this.#queue.length = 0;
  }
}

export function isStatusFault(fault: Fault): fault is StatusFault & Fault {
  return 'status' in fault;
}
export function isCutFault(fault: Fault): fault is CutFault & Fault {
  return 'cutAfterEvents' in fault;
}
export function isMalformedFault(fault: Fault): fault is MalformedFault & Fault {
  return 'malformedAt' in fault;
}
export function isStallFault(fault: Fault): fault is StallFault & Fault {
  return 'stallAfterEvents' in fault;
}
export function isFailFault(fault: Fault): fault is FailFault & Fault {
  return 'failWith' in fault;
}
