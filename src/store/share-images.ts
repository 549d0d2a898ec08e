/**
 * Images in a shared session. A link with no room for them carries a short note in each
 * image's place: the note is valid input (a fork can go on talking to a model), the transcript
 * shows it as a placeholder, and the person opening the link is told how many are missing.
 */
import type { ContentPart, ResponseItem } from '../core/items';
import { isOtherItem } from '../core/items';
import { REPLACE_RECORD } from './log-records';
import type { SessionDocument } from './export';

/** What stands in for an image a share link left out (an `input_text` part). */
import { OMITTED_IMAGE_TEXT } from '../core/tools/dispatch';

export { OMITTED_IMAGE_TEXT };

/** `document` with every image replaced by `OMITTED_IMAGE_TEXT`; `images` counts them. */
export function withoutImages(document: SessionDocument): { document: SessionDocument; images: number } {
  let images = 0;
  const strip = (item: ResponseItem): ResponseItem => {
    if (item.type !== 'message' || isOtherItem(item) || !item.content.some((part) => part.type === 'input_image')) return item;
    const content = item.content.map((part): ContentPart => {
      if (part.type !== 'input_image') return part;
      images += 1;
      return { type: 'input_text', text: OMITTED_IMAGE_TEXT };
    });
    return { ...item, content };
  };
  const log = document.log.map((record) => {
    if (!isRecord(record)) return record;
    if (record.type === REPLACE_RECORD && Array.isArray(record.items)) return { ...record, items: (record.items as ResponseItem[]).map(strip) };
    if (record.type === 'message') return strip(record as unknown as ResponseItem);
    return record;
  });
  return { document: { ...document, log }, images };
}

/** How many images of `document` a share link left out (its notes in their place). */
export function omittedImages(document: SessionDocument): number {
  let count = 0;
  const visit = (item: unknown) => {
    if (!isRecord(item) || item.type !== 'message' || !Array.isArray(item.content)) return;
    for (const part of item.content) if (isRecord(part) && part.type === 'input_text' && part.text === OMITTED_IMAGE_TEXT) count += 1;
  };
  for (const record of document.log) {
    if (isRecord(record) && record.type === REPLACE_RECORD && Array.isArray(record.items)) record.items.forEach(visit);
    else visit(record);
  }
  return count;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
