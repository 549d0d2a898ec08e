/**
 * What a model failure code or message means for the loop: its kind, whether retrying can
 * help, and the delay the server asked for. Shared by the engine (failures that arrive as
 * stream events) and the model client (failures that arrive as HTTP errors).
 */
import type { ModelErrorKind } from './ports';

const KINDS: Record<string, { kind: ModelErrorKind; retryable: boolean }> = {
  context_length_exceeded: { kind: 'context_overflow', retryable: false },
  insufficient_quota: { kind: 'quota', retryable: false },
  rate_limit_exceeded: { kind: 'rate_limit', retryable: true },
  slow_down: { kind: 'rate_limit', retryable: true },
  server_error: { kind: 'server', retryable: true },
  internal_error: { kind: 'server', retryable: true },
  server_is_overloaded: { kind: 'server', retryable: true },
  overloaded: { kind: 'server', retryable: true },
  service_unavailable: { kind: 'server', retryable: true },
  timeout: { kind: 'server', retryable: true },
  invalid_prompt: { kind: 'bad_request', retryable: false },
};

/** Kind and retryability for a failure code; unknown codes are non-retryable server errors. */
export function classifyFailureCode(code: string | undefined, message?: string): { kind: ModelErrorKind; retryable: boolean } {
  const known = code ? KINDS[code] : undefined;
  if (known) return known;
  if (mentionsContextLength(message)) return { kind: 'context_overflow', retryable: false };
  return { kind: 'server', retryable: false };
}

/** How servers word a context overflow when they send no code. */
export function mentionsContextLength(text: string | undefined): boolean {
  return !!text && /context (length|window)|maximum context|too many tokens|prompt is too long/i.test(text);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The wait a failure message asks for, in ms: "try again in 1.5s", "in 250ms", "in 7m12s",
 * "in 3 seconds". Undefined when the message names no delay.
 */
export function delayFromMessage(message: string | undefined | null): number | undefined {
  const found = /try again in\s+((?:\d+(?:\.\d+)?\s*[a-z]+\s*)+)/i.exec(message ?? '');
  if (!found?.[1]) return undefined;
  let total: number | undefined;
  for (const part of found[1].matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const unit = unitOf(part[2] ?? '');
    if (!unit) break;
    total = (total ?? 0) + Number(part[1]) * (UNIT_MS[unit] ?? 0);
  }
  return total === undefined ? undefined : Math.round(total);
}

function unitOf(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w === 'ms' || w.startsWith('millisecond')) return 'ms';
  if (w === 's' || w === 'sec' || w === 'secs' || w.startsWith('second')) return 's';
  if (w === 'm' || w === 'min' || w === 'mins' || w.startsWith('minute')) return 'm';
  if (w === 'h' || w === 'hr' || w === 'hrs' || w.startsWith('hour')) return 'h';
  return undefined;
}
