/**
 * Images a person attaches to a message (pasted, dropped or picked): checked, decoded and fitted
 * in the browser before they become data URLs in an `input_image` part. The rules are plain
 * functions (`acceptFiles`, `fitWithin`, `chooseEncoding`), so they run in Node; `prepareImage`
 * does the decoding and drawing and needs a browser.
 *
 * Why these sizes: a model scales what it gets to about 2048 px anyway, and every byte of a data
 * URL is sent again with each request of the conversation (and stored with the session).
 */
import { toBase64 } from '../core/base64';

const MAX_IMAGES_PER_MESSAGE = 4;
/** The longest side an attached image keeps; larger ones are scaled down. */
export const MAX_IMAGE_SIDE = 2048;
/** Files larger than this are refused before decoding (a photo is a few MB). */
export const MAX_IMAGE_FILE_BYTES = 40 * 1024 * 1024;
/** A PNG, JPEG or WebP file up to this size, and not scaled, is attached as it is. */
export const KEEP_ORIGINAL_BYTES = 512 * 1024;
/** An opaque image whose PNG is no larger than this stays PNG (screenshots stay crisp). */
export const SMALL_PNG_BYTES = 256 * 1024;
const JPEG_QUALITY = 0.85;

/** Types the models take as they are; others (GIF, BMP, AVIF…) are drawn again as PNG or JPEG. */
const PASS_THROUGH = new Set(['image/png', 'image/jpeg', 'image/webp']);
/** Image files some systems drop without a type. */
const IMAGE_EXTENSION = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;

export interface Attachment {
  /** `data:image/…;base64,…` */
  url: string;
  name: string;
  width: number;
  height: number;
  /** The data URL's length: what it adds to every request. */
  chars: number;
}

/** The slice of a File the checks read. */
export interface FileFacts {
  name: string;
  type: string;
  size: number;
}

/**
 * Which of `files` to decode, given `already` attached: images only, none too large, at most
 * `MAX_IMAGES_PER_MESSAGE` in all. `problems` says in words what was refused and why.
 */
export function acceptFiles<F extends FileFacts>(files: readonly F[], already: number): { accepted: F[]; problems: string[] } {
  const accepted: F[] = [];
  const problems: string[] = [];
  const over: string[] = [];
  for (const file of files) {
    const name = file.name || 'The pasted file';
    if (!isImageFile(file)) problems.push(`${name} is not an image: attach PNG, JPEG, GIF or WebP files.`);
    else if (file.size > MAX_IMAGE_FILE_BYTES)
      problems.push(`${name} is ${megabytes(file.size)} MB; images over ${megabytes(MAX_IMAGE_FILE_BYTES)} MB are not attached.`);
    else if (already + accepted.length >= MAX_IMAGES_PER_MESSAGE) over.push(name);
    else accepted.push(file);
  }
  if (over.length)
    problems.push(`At most ${MAX_IMAGES_PER_MESSAGE} images per message: ${over.join(', ')} ${over.length === 1 ? 'was' : 'were'} not attached.`);
  return { accepted, problems };
}

function isImageFile(file: Pick<FileFacts, 'name' | 'type'>): boolean {
  return file.type ? file.type.startsWith('image/') : IMAGE_EXTENSION.test(file.name);
}

/** The size an image of `width`×`height` is drawn at: its longest side at most `max`. */
export function fitWithin(width: number, height: number, max = MAX_IMAGE_SIDE): { width: number; height: number; scaled: boolean } {
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height, scaled: false };
  const ratio = max / longest;
  return { width: Math.max(1, Math.round(width * ratio)), height: Math.max(1, Math.round(height * ratio)), scaled: true };
}

export type Encoding = 'original' | 'png' | 'jpeg';

/**
 * How an image is attached. `pngBytes` is the size of its PNG drawing (asked for only when the
 * answer depends on it: pass undefined first, and the size when the answer is `'png?'`).
 */
export function chooseEncoding(facts: { type: string; bytes: number; scaled: boolean; transparent: boolean; pngBytes?: number }): Encoding | 'png?' {
  if (!facts.scaled && PASS_THROUGH.has(facts.type) && facts.bytes <= KEEP_ORIGINAL_BYTES) return 'original';
  if (facts.transparent) return 'png';
  if (facts.pngBytes === undefined) return 'png?';
  return facts.pngBytes <= SMALL_PNG_BYTES ? 'png' : 'jpeg';
}

/** Thrown by `prepareImage` with a sentence for the person. */
export class AttachError extends Error {}

/** Decodes `file`, fits it within `MAX_IMAGE_SIDE` and encodes it (see `chooseEncoding`). Browser only. */
export async function prepareImage(file: File): Promise<Attachment> {
  const name = file.name || 'pasted image';
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new AttachError(`${name} could not be read as an image (damaged, or a format this browser cannot open).`);
  }
  try {
    if (!bitmap.width || !bitmap.height) throw new AttachError(`${name} has no pixels.`);
    const size = fitWithin(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new AttachError('This browser cannot draw images, so none can be attached.');
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const transparent = file.type !== 'image/jpeg' && hasTransparency(context.getImageData(0, 0, size.width, size.height).data);
    const facts = { type: file.type, bytes: file.size, scaled: size.scaled, transparent };
    let choice = chooseEncoding(facts);
    let blob: Blob = file;
    if (choice === 'png?' || choice === 'png') {
      blob = await canvas.convertToBlob({ type: 'image/png' });
      if (choice === 'png?') choice = chooseEncoding({ ...facts, pngBytes: blob.size });
    }
    if (choice === 'jpeg') {
      // JPEG has no alpha: what was transparent turns black unless painted white first.
      context.globalCompositeOperation = 'destination-over';
      context.fillStyle = '#fff';
      context.fillRect(0, 0, size.width, size.height);
      blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    }
    const url = await dataUrl(blob, choice === 'original' ? file.type : blob.type);
    return { url, name, width: size.width, height: size.height, chars: url.length };
  } finally {
    bitmap.close();
  }
}

function hasTransparency(pixels: Uint8ClampedArray): boolean {
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! < 255) return true;
  return false;
}

async function dataUrl(blob: Blob, type: string): Promise<string> {
  return `data:${type};base64,${toBase64(new Uint8Array(await blob.arrayBuffer()))}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
