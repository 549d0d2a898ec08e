/**
 * Checks for untrusted data: records read back from storage, imported files, share links.
 * Valid values come back as fresh objects built from the known fields only, so nothing
 * unexpected (extra fields, `__proto__` keys) is ever copied onto our objects.
 */
import type { ContentPart, ResponseItem, Role } from '../core/items';

/** Nesting deeper than any valid document needs; deeper input is refused before it is walked. */
export const MAX_DEPTH = 64;

/** Keys that would reach an object's prototype if a careless reader assigned them. */
const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const ROLES: readonly Role[] = ['user', 'developer', 'system', 'assistant'];
const IMAGE_DETAILS = ['auto', 'low', 'high'];

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

/** A wire item (see core/items.ts) in history form, or why `value` is not one. */
export function checkItem(value: unknown): Checked<ResponseItem> {
  if (!isObject(value)) return fail('is not an object');
  const type = value.type;
  switch (type) {
    case 'message': {
      if (!ROLES.includes(value.role as Role)) return fail(`is a message with an unknown role ${describe(value.role)}`);
      if (!Array.isArray(value.content)) return fail('is a message without a "content" list');
      const content: ContentPart[] = [];
      for (const [i, part] of value.content.entries()) {
        const checked = checkPart(part);
        if (!checked.ok) return fail(`is a message whose content[${i}] ${checked.problem}`);
        content.push(checked.value);
      }
      if (value.phase !== undefined && typeof value.phase !== 'string') return fail('is a message whose "phase" is not text');
      return ok({ type, role: value.role as Role, content, ...(value.phase ? { phase: value.phase as string } : {}) });
    }
    case 'function_call':
    case 'custom_tool_call': {
      const field = type === 'function_call' ? 'arguments' : 'input';
      const missing = firstNonString(value, ['call_id', 'name', field]);
      if (missing) return fail(`is a ${type} without a text "${missing}"`);
      return ok(
        type === 'function_call'
          ? { type, call_id: value.call_id as string, name: value.name as string, arguments: value.arguments as string }
          : { type, call_id: value.call_id as string, name: value.name as string, input: value.input as string },
      );
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const missing = firstNonString(value, ['call_id', 'output']);
      if (missing) return fail(`is a ${type} without a text "${missing}"`);
      return ok({ type, call_id: value.call_id as string, output: value.output as string });
    }
    case 'reasoning': {
      if (!Array.isArray(value.summary)) return fail('is a reasoning item without a "summary" list');
      const summary = [];
      for (const [i, part] of value.summary.entries()) {
        if (!isObject(part) || part.type !== 'summary_text' || typeof part.text !== 'string') return fail(`is a reasoning item whose summary[${i}] is not a summary_text`);
        summary.push({ type: 'summary_text' as const, text: part.text });
      }
      const encrypted = value.encrypted_content;
      if (encrypted !== undefined && encrypted !== null && typeof encrypted !== 'string') return fail('is a reasoning item whose "encrypted_content" is not text');
      return ok({ type, summary, ...(encrypted ? { encrypted_content: encrypted } : {}) });
    }
    case 'compaction':
      if (typeof value.encrypted_content !== 'string') return fail('is a compaction without a text "encrypted_content"');
      return ok({ type, encrypted_content: value.encrypted_content });
    default:
      return fail(`has an unknown type ${describe(type)}`);
  }
}

function checkPart(part: unknown): Checked<ContentPart> {
  if (!isObject(part)) return fail('is not an object');
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      if (typeof part.text !== 'string') return fail(`is an ${part.type} without a text "text"`);
      return ok({ type: part.type, text: part.text });
    case 'input_image': {
      if (typeof part.image_url !== 'string') return fail('is an input_image without a text "image_url"');
      const detail = part.detail;
      if (detail !== undefined && !IMAGE_DETAILS.includes(detail as string)) return fail(`is an input_image with an unknown detail ${describe(detail)}`);
      return ok({ type: 'input_image', image_url: part.image_url, ...(detail ? { detail: detail as 'auto' | 'low' | 'high' } : {}) });
    }
    case 'refusal':
      if (typeof part.refusal !== 'string') return fail('is a refusal without a text "refusal"');
      return ok({ type: 'refusal', refusal: part.refusal });
    default:
      return fail(`has an unknown part type ${describe(part.type)}`);
  }
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

function firstNonString(value: Record<string, unknown>, fields: string[]): string | undefined {
  return fields.find((f) => typeof value[f] !== 'string');
}

function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

function fail<T>(problem: string): Checked<T> {
  return { ok: false, problem };
}
