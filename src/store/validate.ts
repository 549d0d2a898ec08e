/**
 * Checks for untrusted data: records read back from storage, imported files, share links.
 * Valid values come back as fresh objects: built from the known fields only where the value
 * is understood, else copied as plain JSON data (see `checkItem`). A `__proto__` key is never
 * copied onto our objects.
 */
import { toHistoryItem, type OtherItem, type ResponseItem } from '../core/items';

/** Nesting deeper than any valid document needs; deeper input is refused before it is walked. */
const MAX_DEPTH = 64;

/** Keys that would reach an object's prototype if a careless reader assigned them. */
const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Where `value` holds a prototype-tampering key or is nested too deeply, as readable paths
 * (at most `limit` of them). Walks iteratively, so hostile nesting cannot overflow the stack.
 */
export function hostileKeyProblems(value: unknown, limit = 10): string[] {
  const problems: string[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0 && problems.length < limit) {
    const { value: node, path, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_DEPTH) {
      problems.push(`${path || 'the document'} is nested more than ${MAX_DEPTH} levels deep`);
      continue;
    }
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(node)) {
      const child = path ? `${path}.${key}` : key;
      if (HOSTILE_KEYS.has(key)) problems.push(`"${child}" uses the key "${key}", which is not allowed`);
      else stack.push({ value: (node as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return problems;
}

/**
 * A stored, imported or shared item in history form (see `toHistoryItem` in core/items.ts),
 * or why it cannot be one. Every JSON object is accepted, since what the app does not
 * understand is kept, never dropped:
 * - an item of a known type with every field that type promises comes back as a fresh object
 *   built from those fields only (nothing else is copied);
 * - anything else (an unknown item type, a message with a part of an unknown type, a known
 *   type with a field missing or odd) comes back as a verbatim deep copy: plain JSON data,
 *   no `__proto__` keys, copied iteratively so no nesting can overflow the stack. Callers
 *   tell it apart with `isOtherItem`.
 * Only a value that is not a JSON object (an array, a primitive, null) fails.
 */
export function checkItem(value: unknown): Checked<ResponseItem> {
  if (!isObject(value)) return fail('is not an object');
  return ok(toHistoryItem(value as OtherItem));
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A short, safe rendering of an unexpected value for a message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : String(value);
}

function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

function fail<T>(problem: string): Checked<T> {
  return { ok: false, problem };
}
