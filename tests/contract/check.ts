/**
 * Assertions for the sandbox contract suite: no test framework, so the same cases run under
 * vitest and in a plain browser page. Each check throws a CheckError whose message says what
 * was checked, what was expected and what came.
 */

export class CheckError extends Error {
  override name = 'CheckError';
}

export interface Check {
  /** Deep, structural equality (arrays, plain objects, Uint8Arrays, primitives). */
  equal<T>(actual: unknown, expected: T, what: string): asserts actual is T;
  ok(value: unknown, what: string): asserts value;
  match(text: unknown, pattern: RegExp, what: string): void;
  /** Resolves with the error when `promise` rejects with a message matching `pattern`. */
  rejects(promise: Promise<unknown>, pattern: RegExp, what: string): Promise<Error>;
  below(actual: number, limit: number, what: string): void;
}

export const check: Check = {
  equal<T>(actual: unknown, expected: T, what: string): asserts actual is T {
    if (!deepEqual(actual, expected)) throw new CheckError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  },

  ok(value: unknown, what: string): asserts value {
    if (!value) throw new CheckError(`${what}: expected a truthy value, got ${show(value)}`);
  },

  match(text: unknown, pattern: RegExp, what: string): void {
    if (typeof text !== 'string' || !pattern.test(text)) throw new CheckError(`${what}: expected text matching ${pattern}, got ${show(text)}`);
  },

  async rejects(promise: Promise<unknown>, pattern: RegExp, what: string): Promise<Error> {
    let result: unknown;
    try {
      result = await promise;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!pattern.test(message)) throw new CheckError(`${what}: expected a rejection matching ${pattern}, got ${show(message)}`);
      return err instanceof Error ? err : new Error(message);
    }
    throw new CheckError(`${what}: expected a rejection matching ${pattern}, but it resolved with ${show(result)}`);
  },

  below(actual: number, limit: number, what: string): void {
    if (!(actual < limit)) throw new CheckError(`${what}: expected less than ${limit}, got ${actual}`);
  },
};

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** A short readable rendering for messages (long values are cut). */
export function show(value: unknown): string {
  let text: string;
  if (value instanceof Uint8Array)
    text = `Uint8Array(${value.length}) [${Array.from(value.subarray(0, 16)).join(', ')}${value.length > 16 ? ', …' : ''}]`;
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
