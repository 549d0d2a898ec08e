/**
 * Deep copies of JSON data that came from outside (a server, storage, a file): what the app
 * keeps verbatim without understanding it. Safe on its own, whatever the input:
 * - iterative, so no nesting depth can overflow the stack;
 * - never copies a `__proto__` key (assigning one would replace the copy's prototype);
 * - own enumerable string keys only; values JSON cannot hold are treated as JSON.stringify
 *   treats them (left out of objects, `null` in arrays; non-finite numbers become `null`);
 * - the result is a tree: an object met a second time (shared or cyclic, which parsed JSON
 *   never is) is copied as `null`, so the copy is finite and serialisable.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A fresh copy of `value` as plain JSON data (see the module comment). */
export function copyJson(value: unknown): Json | undefined {
  const root: { value?: Json } = {};
  const seen = new Set<object>();
  // Each task copies one source value into `into[key]`; containers push their children.
  const tasks: { source: unknown; into: Record<string, Json> | Json[]; key: string | number }[] = [
    { source: value, into: root as Record<string, Json>, key: 'value' },
  ];
  while (tasks.length > 0) {
    const { source, into, key } = tasks.pop()!;
    const copied = copyLeaf(source, seen);
    if (copied === undefined) continue; // an array slot stays null; an object key was never placed
    (into as Record<string, Json>)[key] = copied;
    if (Array.isArray(copied)) {
      const items = source as unknown[];
      for (let i = 0; i < items.length; i++) tasks.push({ source: items[i], into: copied, key: i });
    } else if (copied !== null && typeof copied === 'object') {
      for (const field of Object.keys(source as object)) {
        const child = (source as Record<string, unknown>)[field];
        if (field === '__proto__' || isOmitted(child)) continue;
        // Placed now, filled later: the copy keeps the source's key order.
        copied[field] = null;
        tasks.push({ source: child, into: copied, key: field });
      }
    }
  }
  return root.value;
}

function isOmitted(value: unknown): boolean {
  const type = typeof value;
  return type === 'undefined' || type === 'function' || type === 'symbol' || type === 'bigint';
}

/**
 * A primitive as JSON holds it, or an empty container to be filled (marked seen); `undefined`
 * for what JSON leaves out (functions, symbols, bigints, `undefined`).
 */
function copyLeaf(source: unknown, seen: Set<object>): Json | undefined {
  switch (typeof source) {
    case 'string':
    case 'boolean':
      return source;
    case 'number':
      return Number.isFinite(source) ? source : null;
    case 'object': {
      if (source === null) return null;
      if (seen.has(source)) return null;
      seen.add(source);
      return Array.isArray(source) ? new Array<Json>(source.length).fill(null) : {};
    }
    default:
      return undefined;
  }
}
