/** Parsing a function call's `arguments` text without ever throwing. */

export type Parsed = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

export function parseArguments(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (err) {
    return { ok: false, error: `failed to parse function arguments: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'failed to parse function arguments: expected a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Reads an optional integer argument; `undefined` when absent, an error text when wrong. */
export function optionalInt(args: Record<string, unknown>, key: string): number | undefined | string {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return `"${key}" must be a number`;
  return Math.floor(v);
}
