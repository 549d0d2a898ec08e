/**
 * A `tools/call` result reduced to what goes back to the model: text parts joined, images as
 * data URLs, embedded text resources inlined, structured content as JSON when there is no
 * text. What cannot be shown (audio, binary resources) is named rather than dropped silently.
 */
import type { McpCallResult } from '../core/ports';

type Part = Record<string, unknown> & { type?: unknown };

export function toCallResult(result: Record<string, unknown>): McpCallResult {
  // Servers on protocol versions before 2024-11-05 answer `{ toolResult }` instead.
  if (!Array.isArray(result.content) && 'toolResult' in result) {
    return { text: jsonText(result.toolResult), isError: false };
  }
  const texts: string[] = [];
  const images: string[] = [];
  for (const part of (Array.isArray(result.content) ? result.content : []) as Part[]) {
    const image = imageUrl(part);
    if (image) images.push(image);
    else {
      const text = partText(part);
      if (text) texts.push(text);
    }
  }
  let text = texts.join('\n');
  if (!text && result.structuredContent !== undefined) text = jsonText(result.structuredContent);
  return { text, isError: result.isError === true, ...(images.length ? { images } : {}) };
}

function imageUrl(part: Part): string | undefined {
  if (part.type !== 'image' || typeof part.data !== 'string') return undefined;
  const mime = typeof part.mimeType === 'string' && part.mimeType ? part.mimeType : 'image/png';
  return `data:${mime};base64,${part.data}`;
}

function partText(part: Part): string {
  switch (part.type) {
    case 'text':
      return typeof part.text === 'string' ? part.text : '';
    case 'resource': {
      const resource = (part.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === 'string') return resource.text;
      return `[binary resource ${String(resource.uri ?? '')}${mimeNote(resource.mimeType)}, not shown]`;
    }
    case 'resource_link':
      return `[resource ${String(part.name ?? '')}: ${String(part.uri ?? '')}]`;
    case 'audio':
      return `[audio${mimeNote(part.mimeType)}, not shown]`;
    default:
      return `[${String(part.type ?? 'unknown')} content, not shown]`;
  }
}

function mimeNote(mime: unknown): string {
  return typeof mime === 'string' && mime ? ` (${mime})` : '';
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}
