/**
 * Cutting oversized items for a compaction's own request (the hand-off request, the input sent
 * to `/responses/compact`). A long text loses its middle: its head and tail stay around the
 * marker long tool output gets (`…N tokens truncated…`), so the item is still there for the
 * model that summarises, and the marker tells it how much it does not see. Cut items are new
 * objects: the history keeps the originals verbatim.
 */
import { isPrefixContext } from '../context/index';
import type { ContentPart, MessageItem, ResponseItem } from '../items';
import { BYTES_PER_TOKEN, IMAGE_TOKENS, itemBytes, utf8Length } from '../tokens';
import { headByBytes, truncateMiddle } from '../tools/truncate';

/** Room a cut text leaves its marker (`\n…12345678 tokens truncated…\n` is 35 bytes). */
const MARKER_BYTES = 40;

/** UTF-8 bytes `text` takes inside JSON, quotes excluded: escapes count. */
export function jsonTextBytes(text: string): number {
  return utf8Length(JSON.stringify(text)) - 2;
}

/**
 * `text` within `maxBytes` of JSON: as much of its head and tail as fit around
 * `…N tokens truncated…` (N counting what was cut); only the marker when no head fits.
 * `text` itself when it fits already.
 */
export function cutText(text: string, maxBytes: number): string {
  if (jsonTextBytes(text) <= maxBytes) return text;
  let tokens = Math.floor(Math.max(0, maxBytes - MARKER_BYTES) / BYTES_PER_TOKEN);
  for (;;) {
    const cut = truncateMiddle(text, tokens).text;
    const bytes = jsonTextBytes(cut);
    if (bytes <= maxBytes || tokens === 0) return cut;
    // Escaped characters (quotes, backslashes, control characters) take more room in JSON than
    // in the text: shrink in proportion, at least by a token, so this ends.
    const scaled = Math.floor((tokens * Math.max(0, maxBytes - MARKER_BYTES)) / Math.max(1, bytes - MARKER_BYTES));
    tokens = Math.max(0, Math.min(tokens - 1, scaled));
  }
}

/** The longest head of `text` taking at most `maxBytes` inside JSON; never splits a character. */
export function jsonHead(text: string, maxBytes: number): string {
  let head = headByBytes(text, Math.max(0, maxBytes));
  for (let bytes = jsonTextBytes(head); bytes > maxBytes && head !== ''; bytes = jsonTextBytes(head)) {
    head = headByBytes(head, Math.max(0, utf8Length(head) - (bytes - maxBytes)));
  }
  return head;
}

/**
 * `item` within `maxBytes` (serialized) as far as it can be cut: its texts (message parts,
 * call arguments, patch input, tool output, reasoning summaries) share the room, the longest
 * cut first, each keeping head and tail. Images become a line saying one was left out; opaque
 * fields (`encrypted_content`, ids) are never cut, so the result may still be longer.
 * Returns `item` itself when it fits.
 */
export function cutItem(item: ResponseItem, maxBytes: number): ResponseItem {
  if (itemBytes(item) <= maxBytes) return item;
  const plain = imagesAsText(item);
  const slots = slotsOf(plain);
  if (!slots || itemBytes(plain) <= maxBytes) return plain;
  const sizes = slots.texts.map(jsonTextBytes);
  const fixed = itemBytes(slots.with(slots.texts.map(() => '')));
  const level = Math.max(0, waterLevel(sizes, maxBytes - fixed));
  return slots.with(slots.texts.map((text, i) => ((sizes[i] as number) > level ? cutText(text, level) : text)));
}

/**
 * Whether a compaction may cut `item` to make room: anything but the context prefix (which
 * tells the model what it is) that cutting makes shorter.
 */
export function isCuttable(item: ResponseItem): boolean {
  return !isPrefixContext(item) && minimumBytes(item) < itemBytes(item);
}

// Items are never mutated once made, so each one's shortest form is computed once.
const minimumCache = new WeakMap<ResponseItem, number>();

/** Serialized bytes of `item` cut as far as it goes (never more than the item itself). */
export function minimumBytes(item: ResponseItem): number {
  let bytes = minimumCache.get(item);
  if (bytes === undefined) {
    bytes = Math.min(itemBytes(item), itemBytes(cutItem(item, 0)));
    minimumCache.set(item, bytes);
  }
  return bytes;
}

/**
 * The largest level L ≥ 0 at which items of `sizes`, each cut to L but never below its
 * minimum, take at most `room` in all: Infinity when they fit uncut, -1 when not even their
 * minimums do.
 */
export function waterLevel(sizes: readonly number[], room: number, minimums?: readonly number[]): number {
  const total = (level: number) => sizes.reduce((sum, size, i) => sum + Math.min(size, Math.max(level, minimums?.[i] ?? 0)), 0);
  if (total(Infinity) <= room) return Infinity;
  if (total(0) > room) return -1;
  let fits = 0;
  let over = sizes.reduce((max, size) => Math.max(max, size), 0);
  while (over - fits > 1) {
    const mid = Math.floor((fits + over) / 2);
    if (total(mid) <= room) fits = mid;
    else over = mid;
  }
  return fits;
}

/**
 * `item` with its images replaced by a text saying one of about N tokens was left out: an
 * image cannot be cut in the middle, and an oversized one is mostly a data URL. Other items
 * are returned as they are.
 */
export function imagesAsText(item: ResponseItem): ResponseItem {
  if (item.type !== 'message' || !hasKnownParts(item) || !item.content.some((part) => part.type === 'input_image')) return item;
  const content = item.content.map((part): ContentPart => {
    if (part.type !== 'input_image') return part;
    const text = `[an image of about ${IMAGE_TOKENS} tokens was left out here]`;
    return item.role === 'assistant' ? { type: 'output_text', text } : { type: 'input_text', text };
  });
  return { ...item, content } satisfies MessageItem;
}

interface Slots {
  /** The item's texts that may be cut, in order. */
  texts: string[];
  /** A copy of the item with `texts` in their places. */
  with(texts: readonly string[]): ResponseItem;
}

/**
 * The texts of an item whose every field is the kind its type promises. Anything else (an
 * unknown type, a part or field of another shape, as a server may send) is kept as it came:
 * which of its fields matter is unknown, so it is never cut.
 */
function slotsOf(item: ResponseItem): Slots | undefined {
  switch (item.type) {
    case 'message': {
      if (!hasKnownParts(item)) return undefined;
      const at: number[] = [];
      for (const [i, part] of item.content.entries()) if (part.type !== 'input_image') at.push(i);
      return {
        texts: at.map((i) => partText(item.content[i] as ContentPart)),
        with: (texts) => {
          const content = [...item.content];
          at.forEach((i, k) => (content[i] = withPartText(content[i] as ContentPart, texts[k] as string)));
          return { ...item, content };
        },
      };
    }
    case 'function_call':
      return typeof item.arguments === 'string' ? { texts: [item.arguments], with: ([text]) => ({ ...item, arguments: text as string }) } : undefined;
    case 'custom_tool_call':
      return typeof item.input === 'string' ? { texts: [item.input], with: ([text]) => ({ ...item, input: text as string }) } : undefined;
    case 'function_call_output':
    case 'custom_tool_call_output':
      return typeof item.output === 'string' ? { texts: [item.output], with: ([text]) => ({ ...item, output: text as string }) } : undefined;
    case 'reasoning': {
      const content = item.content ?? [];
      if (!Array.isArray(item.summary) || !Array.isArray(content)) return undefined;
      if (![...item.summary, ...content].every((part) => typeof part?.text === 'string')) return undefined;
      const count = item.summary.length;
      return {
        texts: [...item.summary, ...content].map((part) => part.text),
        with: (texts) => ({
          ...item,
          summary: item.summary.map((part, i) => ({ ...part, text: texts[i] as string })),
          ...(item.content ? { content: item.content.map((part, i) => ({ ...part, text: texts[count + i] as string })) } : {}),
        }),
      };
    }
    default:
      return undefined;
  }
}

/** Whether every part of a message is a known one with its text where the type says. */
function hasKnownParts(item: MessageItem): boolean {
  return (
    Array.isArray(item.content) &&
    item.content.every((part: ContentPart | null) => {
      switch (part?.type) {
        case 'input_text':
        case 'output_text':
          return typeof part.text === 'string';
        case 'refusal':
          return typeof part.refusal === 'string';
        case 'input_image':
          return typeof part.image_url === 'string';
        default:
          return false;
      }
    })
  );
}

function partText(part: ContentPart): string {
  return part.type === 'refusal' ? part.refusal : part.type === 'input_image' ? '' : part.text;
}

function withPartText(part: ContentPart, text: string): ContentPart {
  if (part.type === 'refusal') return { ...part, refusal: text };
  if (part.type === 'input_image') return part;
  return { ...part, text };
}
