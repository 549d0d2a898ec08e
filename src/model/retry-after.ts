/** Reads the delay a server asks for before the next attempt. */

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * From response headers: `retry-after-ms` (milliseconds), else `retry-after` as seconds or an
 * HTTP date. Returns milliseconds (≥ 0) or undefined. `now` is injectable for tests.
 * Browsers hide these headers on cross-origin responses unless the server exposes them.
 */
export function parseRetryAfter(headers: HeaderSource | undefined | null, now: number = Date.now()): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const after = headers.get('retry-after')?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Math.round(Number(after) * 1000);
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * From an error message: "Please try again in 1.2s", "in 250ms", "in 7m12s", "in 3 seconds".
 * Returns milliseconds or undefined.
 */
export function retryAfterFromMessage(message: string | undefined | null): number | undefined {
  if (!message) return undefined;
  const found = /try again in\s+((?:\d+(?:\.\d+)?\s*[a-z]+\s*)+)/i.exec(message);
  if (!found?.[1]) return undefined;
  let total = 0;
  let matched = false;
  for (const part of found[1].matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const unit = normaliseUnit(part[2] ?? '');
    if (!unit) break;
    total += Number(part[1]) * (UNIT_MS[unit] ?? 0);
    matched = true;
  }
  return matched ? Math.round(total) : undefined;
}

function normaliseUnit(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w === 'ms' || w.startsWith('millisecond')) return 'ms';
  if (w === 's' || w === 'sec' || w === 'secs' || w.startsWith('second')) return 's';
  if (w === 'm' || w === 'min' || w === 'mins' || w.startsWith('minute')) return 'm';
  if (w === 'h' || w === 'hr' || w === 'hrs' || w.startsWith('hour')) return 'h';
  return undefined;
}
