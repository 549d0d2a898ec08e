/**
 * What a model failure code or message means: its kind and the delay the server asked for.
 * Shared by the engine (failures that arrive as stream events) and the model client (failures
 * that arrive as HTTP errors). Whether retrying can help is the retry rule's call (retry.ts).
 */
import type { ModelErrorKind } from './ports';
import { isTransientCode } from './retry';

const KINDS: Record<string, ModelErrorKind> = {
  context_length_exceeded: 'context_overflow',
  insufficient_quota: 'quota',
  rate_limit_exceeded: 'rate_limit',
  slow_down: 'rate_limit',
  invalid_prompt: 'bad_request',
};

/**
 * The kind a failure code stands for. Other codes, and none, are server failures, unless the
 * message words a context overflow (a transient code is a server failure whatever it says).
 */
export function failureKind(code: string | undefined, message?: string): ModelErrorKind {
  const known = code ? KINDS[code] : undefined;
  if (known) return known;
  if (!isTransientCode(code) && mentionsContextLength(message)) return 'context_overflow';
  return 'server';
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
