/**
 * Images in the transcript: those a person sent with a message, and those a tool returned (the
 * engine's `<tool_images call_id="…" tool="…">` message, see core/tools/dispatch.ts), which show
 * on their call's card rather than as a message. Where a share link left an image out, its note
 * (store/share-images.ts) counts as an omitted image, not as text.
 */
import { isOtherItem, type ContentPart, type MessageItem, type ResponseItem } from '../core/items';
import { TOOL_IMAGES_OPEN } from '../core/tools/dispatch';
import { OMITTED_IMAGE_TEXT } from '../store/share-images';
import type { Entry, ToolEntry } from './chat-entries';

/** Images a tool returned whose call has no card (shown on their own, after it). */
export interface ToolImagesEntry {
  kind: 'tool_images';
  callId: string;
  tool: string;
  images: string[];
  omittedImages?: number;
}

export interface MessageImages {
  text: string;
  images: string[];
  /** Images a share link left out (their notes are not part of `text`). */
  omitted: number;
}

/** A message's text (text parts joined), its image URLs, and the images a link left out. */
export function messageImages(item: MessageItem): MessageImages {
  const out: MessageImages = { text: '', images: [], omitted: 0 };
  for (const part of item.content) {
    if (part.type === 'input_image') out.images.push(part.image_url);
    else if (part.type === 'refusal') out.text += part.refusal;
    else if (part.text === OMITTED_IMAGE_TEXT) out.omitted += 1;
    else out.text += part.text;
  }
  return out;
}

/** What a message sends: its text alone, or its text (when there is any) and then each image. */
export function userInput(text: string, images: readonly string[]): string | ContentPart[] {
  if (images.length === 0) return text;
  const parts: ContentPart[] = text.trim() ? [{ type: 'input_text', text }] : [];
  for (const url of images) parts.push({ type: 'input_image', image_url: url });
  return parts;
}

/** The fields a user entry gets for its images (none when it has none). */
export function imageFields(images: readonly string[], omitted = 0): { images?: string[]; omittedImages?: number } {
  return { ...(images.length ? { images: [...images] } : {}), ...(omitted ? { omittedImages: omitted } : {}) };
}

export interface ToolImages {
  callId: string;
  tool: string;
  images: string[];
  omitted: number;
}

const LABEL = /^<tool_images call_id="([^"]*)" tool="([^"]*)">/;

/** The images of an engine `<tool_images …>` message; null for any other item. */
export function readToolImages(item: ResponseItem): ToolImages | null {
  if (item.type !== 'message' || item.role !== 'user' || isOtherItem(item)) return null;
  const first = item.content[0];
  if (first?.type !== 'input_text' || !first.text.startsWith(TOOL_IMAGES_OPEN)) return null;
  const label = LABEL.exec(first.text);
  if (!label) return null;
  const { images, omitted } = messageImages({ ...item, content: item.content.slice(1) });
  return { callId: label[1]!, tool: label[2]!, images, omitted };
}

/** Shows `found` on its call's card (the newest with that id); on an entry of its own when there is none. */
export function attachToolImages(entries: Entry[], found: ToolImages, place: (entry: ToolImagesEntry) => void = (e) => entries.push(e)): void {
  const card = entries.findLast((e): e is ToolEntry => e.kind === 'tool' && e.callId === found.callId);
  if (card) {
    if (found.images.length) card.images = [...(card.images ?? []), ...found.images];
    if (found.omitted) card.omittedImages = (card.omittedImages ?? 0) + found.omitted;
    return;
  }
  place({
    kind: 'tool_images',
    callId: found.callId,
    tool: found.tool,
    images: found.images,
    ...(found.omitted ? { omittedImages: found.omitted } : {}),
  });
}

/** Image types drawn from a data URL; anything else (a remote URL, SVG) is never loaded. */
const SHOWN = /^data:image\/(?:png|jpeg|gif|webp|bmp|avif);base64,/;

/** Whether the transcript may draw `url`: a data URL of a raster image, nothing remote. */
export function isShownImage(url: string): boolean {
  return SHOWN.test(url);
}
