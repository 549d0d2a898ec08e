/**
 * Attaching images to a message: which files are taken, the size they are drawn at, how they are
 * encoded, and the composer's list (limit counted with files still being read, refusals in words).
 * The decoding itself needs a browser (tests/browser/images-questions.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  acceptFiles,
  AttachError,
  chooseEncoding,
  fitWithin,
  KEEP_ORIGINAL_BYTES,
  MAX_IMAGE_FILE_BYTES,
  MAX_IMAGE_SIDE,
  SMALL_PNG_BYTES,
  type Attachment,
} from '../../../src/app/image-attach';
import { ImageAttachments } from '../../../src/app/image-attachments.svelte';

const file = (name: string, type: string, size = 1000) => new File([new Uint8Array(size)], name, { type });
const attachment = (name: string): Attachment => ({ url: `data:image/png;base64,${btoa(name)}`, name, width: 10, height: 10, chars: 30 });

describe('acceptFiles', () => {
  it('takes images, refuses other files and oversized ones in words, and stops at four', () => {
    const files = [
      file('a.png', 'image/png'),
      file('notes.txt', 'text/plain'),
      file('b.jpg', 'image/jpeg'),
      file('huge.png', 'image/png', MAX_IMAGE_FILE_BYTES + 1),
      file('c.webp', 'image/webp'),
      file('d.gif', 'image/gif'),
      file('e.png', 'image/png'),
    ];
    const { accepted, problems } = acceptFiles(files, 1);
    expect(accepted.map((f) => f.name)).toEqual(['a.png', 'b.jpg', 'c.webp']);
    expect(problems).toEqual([
      'notes.txt is not an image: attach PNG, JPEG, GIF or WebP files.',
      'huge.png is 40 MB; images over 40 MB are not attached.',
      'At most 4 images per message: d.gif, e.png were not attached.',
    ]);
  });

  it('recognises an image dropped without a type by its name', () => {
    expect(acceptFiles([file('shot.PNG', ''), file('data.bin', '')], 0).accepted.map((f) => f.name)).toEqual(['shot.PNG']);
  });
});

describe('fitWithin', () => {
  it('keeps images up to the limit and scales larger ones to it, keeping the proportions', () => {
    expect(fitWithin(2048, 1000)).toEqual({ width: 2048, height: 1000, scaled: false });
    expect(fitWithin(4096, 3072)).toEqual({ width: MAX_IMAGE_SIDE, height: 1536, scaled: true });
    expect(fitWithin(1000, 6000)).toEqual({ width: 341, height: 2048, scaled: true });
    expect(fitWithin(100_000, 10)).toEqual({ width: 2048, height: 1, scaled: true });
  });
});

describe('chooseEncoding', () => {
  it('attaches small PNG, JPEG and WebP files as they are', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp']) {
      expect(chooseEncoding({ type, bytes: KEEP_ORIGINAL_BYTES, scaled: false, transparent: false })).toBe('original');
    }
  });

  it('keeps transparency as PNG; asks for the PNG size of opaque images, then picks PNG when small and JPEG otherwise', () => {
    expect(chooseEncoding({ type: 'image/png', bytes: 5_000_000, scaled: true, transparent: true })).toBe('png');
    expect(chooseEncoding({ type: 'image/gif', bytes: 1000, scaled: false, transparent: false })).toBe('png?');
    expect(chooseEncoding({ type: 'image/png', bytes: 5_000_000, scaled: false, transparent: false })).toBe('png?');
    expect(chooseEncoding({ type: 'image/png', bytes: 5_000_000, scaled: false, transparent: false, pngBytes: SMALL_PNG_BYTES })).toBe('png');
    expect(chooseEncoding({ type: 'image/jpeg', bytes: 5_000_000, scaled: true, transparent: false, pngBytes: SMALL_PNG_BYTES + 1 })).toBe('jpeg');
  });
});

describe('ImageAttachments', () => {
  it('counts files still being read toward the limit, so two quick pastes cannot pass it', async () => {
    const waits: (() => void)[] = [];
    const list = new ImageAttachments((f) => new Promise((resolve) => waits.push(() => resolve(attachment(f.name)))));
    const first = list.add([file('1.png', 'image/png'), file('2.png', 'image/png'), file('3.png', 'image/png')]);
    const second = list.add([file('4.png', 'image/png'), file('5.png', 'image/png')]);
    expect(list.reading).toBe(4);
    expect(list.problems).toEqual(['At most 4 images per message: 5.png was not attached.']);
    for (const done of waits) done();
    await Promise.all([first, second]);
    expect(list.items.map((a) => a.name)).toEqual(['1.png', '2.png', '3.png', '4.png']);
    expect(list.reading).toBe(0);
  });

  it('keeps the order the files came in, whichever is read first', async () => {
    const waits = new Map<string, () => void>();
    const list = new ImageAttachments((f) => new Promise((resolve) => waits.set(f.name, () => resolve(attachment(f.name)))));
    const adding = list.add([file('big.png', 'image/png'), file('small.png', 'image/png'), file('mid.png', 'image/png')]);
    waits.get('small.png')!();
    waits.get('mid.png')!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(list.items.map((a) => a.name)).toEqual(['small.png', 'mid.png']);
    waits.get('big.png')!();
    await adding;
    expect(list.items.map((a) => a.name)).toEqual(['big.png', 'small.png', 'mid.png']);
  });

  it('says which file could not be decoded, and take() hands over the URLs and empties the list', async () => {
    const list = new ImageAttachments(async (f) => {
      if (f.name === 'broken.png') throw new AttachError('broken.png could not be read as an image (damaged, or a format this browser cannot open).');
      return attachment(f.name);
    });
    await list.add([file('ok.png', 'image/png'), file('broken.png', 'image/png')]);
    expect(list.items.map((a) => a.name)).toEqual(['ok.png']);
    expect(list.problems).toEqual(['broken.png could not be read as an image (damaged, or a format this browser cannot open).']);
    expect(list.take()).toEqual([attachment('ok.png').url]);
    expect(list.count).toBe(0);
    expect(list.problems).toEqual([]);
  });

  it('drops files still being read when the message is sent without them', async () => {
    let finish = () => {};
    const list = new ImageAttachments((f) => new Promise((resolve) => (finish = () => resolve(attachment(f.name)))));
    const adding = list.add([file('late.png', 'image/png')]);
    list.clear();
    finish();
    await adding;
    expect(list.items).toEqual([]);
    expect(list.reading).toBe(0);
  });
});
