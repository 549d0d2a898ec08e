/**
 * Deep copies that are frozen, so rounds can share them safely. `SharedCopies` copies each
 * source object once: history items are never mutated once appended and are the same objects
 * in every request, so 500 recorded bodies cost about one history, not 500.
 */
function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const copy: unknown = Array.isArray(value)
    ? value.map((v: unknown) => frozenCopy(v))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frozenCopy(v)]));
  return Object.freeze(copy) as T;
}

export class SharedCopies {
  #copies = new WeakMap<object, unknown>();
  readonly #prepare: (value: unknown) => unknown;

  /** `prepare` may return a changed copy (e.g. redacted) before it is frozen. */
  constructor(prepare: (value: unknown) => unknown = (value) => value) {
    this.#prepare = prepare;
  }

  /** The frozen copy of `value`, made once per source object (primitives pass through unprepared). */
  of<T>(value: T): T {
    if (typeof value !== 'object' || value === null) return value;
    const known = this.#copies.get(value);
    if (known !== undefined) return known as T;
    const copy = frozenCopy(this.#prepare(value)) as T;
    this.#copies.set(value, copy);
    return copy;
  }
}
