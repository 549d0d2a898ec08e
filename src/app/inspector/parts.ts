/**
 * Splits a request into display parts and marks each against the previous request. The text
 * is built piece by piece exactly as `cacheText` serialises it, so each part's character range
 * is known; a part is `prefix` when it ends before the point where the two requests diverge.
 */
import type { CacheableBody } from '../../core/cache-stats';
import type { ResponseItem } from '../../core/items';
import { utf8Length } from '../../core/tokens';
import { itemLabel, preview } from './labels';
import type { CacheMark, ItemLabel, RequestPart } from './types';

interface Range {
  start: number;
  end: number;
}

export interface RequestLayout {
  /** Equal to `cacheText(body)`. */
  text: string;
  instructions: Range | null;
  tools: Range | null;
  /** One range per `input` item (empty when `input` is not an array). */
  input: Range[];
}

/** `cacheText(body)` with the character range of instructions, tools and each input item. */
export function layoutRequest(body: CacheableBody): RequestLayout {
  let text = '{';
  const ranges: Partial<Record<'instructions' | 'tools', Range>> = {};
  const input: Range[] = [];
  const fields = [
    ['model', body.model],
    ['instructions', body.instructions],
    ['tools', body.tools],
    ['input', body.input],
  ] as const;
  for (const [key, value] of fields) {
    // JSON.stringify leaves out keys whose value does not serialise (undefined, functions).
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) continue;
    text += `${text === '{' ? '' : ','}"${key}":`;
    const start = text.length;
    if (key === 'input' && Array.isArray(value)) {
      text += '[';
      value.forEach((item: unknown, i) => {
        if (i > 0) text += ',';
        const itemStart = text.length;
        text += (JSON.stringify(item) as string | undefined) ?? 'null';
        input.push({ start: itemStart, end: text.length });
      });
      text += ']';
    } else {
      text += json;
      if (key === 'instructions' || key === 'tools') ranges[key] = { start, end: text.length };
    }
  }
  text += '}';
  return { text, instructions: ranges.instructions ?? null, tools: ranges.tools ?? null, input };
}

function cacheMark(range: Range, prefixChars: number): CacheMark {
  if (range.end <= prefixChars) return 'prefix';
  if (range.start >= prefixChars) return 'new';
  return 'partial';
}

/**
 * The display parts of a request: `prefixChars` is the length (UTF-16 units of the layout's
 * text) of its common prefix with the previous request. `labelOf` may return cached labels.
 */
export function requestParts(
  body: { instructions?: unknown; tools?: unknown; input?: unknown },
  layout: RequestLayout,
  prefixChars: number,
  labelOf: (item: ResponseItem) => ItemLabel = itemLabel,
): RequestPart[] {
  const parts: RequestPart[] = [];
  const slice = (range: Range) => layout.text.slice(range.start, range.end);
  if (layout.instructions) {
    const text = typeof body.instructions === 'string' ? body.instructions : '';
    parts.push({
      field: 'instructions',
      label: 'instructions',
      kind: 'instructions',
      bytes: utf8Length(slice(layout.instructions)),
      preview: preview(text),
      cached: cacheMark(layout.instructions, prefixChars),
    });
  }
  if (layout.tools) {
    const names = Array.isArray(body.tools) ? body.tools.map((t: { name?: unknown }) => String(t?.name ?? '?')) : [];
    parts.push({
      field: 'tools',
      label: `tools (${names.length})`,
      kind: 'tools',
      bytes: utf8Length(slice(layout.tools)),
      preview: names.join(', '),
      cached: cacheMark(layout.tools, prefixChars),
    });
  }
  const items = Array.isArray(body.input) ? (body.input as ResponseItem[]) : [];
  layout.input.forEach((range, index) => {
    const item = items[index];
    if (!item) return;
    parts.push({ field: 'input', index, ...labelOf(item), cached: cacheMark(range, prefixChars) });
  });
  return parts;
}
