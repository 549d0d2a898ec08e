/**
 * Images in share links. They stay in whenever they fit; a session too long for a link only
 * because of its images (no share service set), or one the service refuses as too large, goes
 * without them: a note in each image's place, counted for the person sharing and for whoever
 * opens the link, and shown as placeholders in the transcript. The real share service runs here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesFromView } from '../../../src/app/history-entries';
import { sharedView } from '../../../src/app/session-documents';
import { makeShareLink, readShareLink } from '../../../src/app/share-links';
import { outputFor, userMessage, type ResponseItem } from '../../../src/core/items';
import { toolImagesMessage } from '../../../src/core/tools/dispatch';
import { buildDocument, documentView, type SessionDocument } from '../../../src/store/export';
import { decodeShare } from '../../../src/store/share';
import { OMITTED_IMAGE_TEXT, omittedImages, withoutImages } from '../../../src/store/share-images';
import { newRow } from '../../../src/store/session-index';
import { startShareService, type RunningService } from '../../../server/tests/serve';
import { assistant, pseudoRandomText } from '../../support/store-helpers';

const APP = 'https://unroll.example/';
const SMALL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** Photo-like base64 barely compresses: about 45 KB of link. */
const PHOTO = `data:image/jpeg;base64,${pseudoRandomText(60_000, 7)}`;

function withImage(text: string, ...urls: string[]): ResponseItem {
  return {
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text }, ...urls.map((url) => ({ type: 'input_image' as const, image_url: url }))],
  };
}

function session(items: ResponseItem[]): SessionDocument {
  return buildDocument(newRow('pictures', 1), items, null);
}

const opened = (url: string): SessionDocument => {
  const check = decodeShare(url);
  if (!check.ok) throw new Error(check.problems.join('; '));
  return check.document;
};

describe('withoutImages', () => {
  it('puts a note in each image’s place, in messages and compaction replacements, and counts them', () => {
    const call = { type: 'function_call' as const, call_id: 'c1', name: 'view_image', arguments: '{"path":"a.png"}' };
    const document = session([
      withImage('look', PHOTO, SMALL),
      call,
      outputFor(call, 'attached image /workspace/a.png'),
      toolImagesMessage('c1', 'view_image', [PHOTO]),
    ]);
    const { document: lean, images } = withoutImages(document);
    expect(images).toBe(3);
    expect(omittedImages(lean)).toBe(3);
    expect(omittedImages(document)).toBe(0);
    expect(JSON.stringify(lean)).not.toContain('data:image');
    expect(lean.log[0]).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'look' },
        { type: 'input_text', text: OMITTED_IMAGE_TEXT },
        { type: 'input_text', text: OMITTED_IMAGE_TEXT },
      ],
    });
    // The original is untouched.
    expect(JSON.stringify(document)).toContain(PHOTO);
  });
});

describe('share links without a service', () => {
  it('keep images that fit', async () => {
    const link = await makeShareLink(session([withImage('a dot', SMALL), assistant('a dot indeed')]), APP, { service: '' });
    expect(link.kind).toBe('fragment');
    expect(link.dropped.images).toBeUndefined();
    const entries = entriesFromView(documentView(opened(link.url)));
    expect(entries[0]).toMatchObject({ kind: 'user', text: 'a dot', images: [SMALL] });
  });

  it('leave images out when only they make the link too long, and say so to both sides', async () => {
    const call = { type: 'function_call' as const, call_id: 'c1', name: 'view_image', arguments: '{"path":"a.png"}' };
    const items = [
      withImage('two photos', PHOTO, PHOTO),
      call,
      outputFor(call, 'attached image /workspace/a.png'),
      toolImagesMessage('c1', 'view_image', [SMALL]),
      assistant('nice'),
    ];
    const link = await makeShareLink(session(items), APP, { service: '' });
    expect(link.kind).toBe('fragment');
    expect(link.tooLarge).toBe(false);
    expect(link.dropped.images).toBe(3);
    expect(link.why).toContain('except its 3 images');

    const document = opened(link.url);
    expect(sharedView(document).dropped).toEqual({ reasoning: 0, compaction: 0, images: 3 });
    const entries = entriesFromView(documentView(document));
    expect(entries[0]).toEqual({ kind: 'user', text: 'two photos', omittedImages: 2, seq: 0 });
    expect(entries.find((e) => e.kind === 'tool')).toMatchObject({ name: 'view_image', omittedImages: 1 });
    expect(entries.some((e) => e.kind === 'tool' && e.images)).toBe(false);
  });

  it('are too large when even the text does not fit; the images are not counted as left out', async () => {
    const link = await makeShareLink(session([withImage(pseudoRandomText(50_000, 3), PHOTO)]), APP, { service: '' });
    expect(link.kind).toBe('too-large');
    expect(link.dropped.images).toBeUndefined();
  });

  it('links made before images existed still open as they did', async () => {
    const document = session([userMessage('hi'), assistant('hello')]);
    const link = await makeShareLink(document, APP, { service: '' });
    expect(opened(link.url).log).toEqual(document.log);
  });
});

describe('share links through the service', () => {
  let roomy: RunningService;
  let tight: RunningService;
  beforeAll(async () => {
    roomy = await startShareService();
    tight = await startShareService({ maxBytes: 60_000 });
  }, 60_000);
  afterAll(async () => {
    await roomy.close();
    await tight.close();
  });

  it('keep the images when the service takes them', async () => {
    const link = await makeShareLink(session([withImage('photos', PHOTO, PHOTO)]), APP, { service: roomy.url });
    expect(link.kind).toBe('service');
    expect(link.dropped.images).toBeUndefined();
    const read = await readShareLink(new URL(link.url).hash, roomy.url);
    expect(read?.check.ok && omittedImages(read.check.document)).toBe(0);
    expect(JSON.stringify(read?.check)).toContain(PHOTO);
  });

  it('upload again without them when the service refuses the session as too large', async () => {
    const link = await makeShareLink(session([withImage('photos', PHOTO, PHOTO), withImage(pseudoRandomText(40_000, 5))]), APP, {
      service: tight.url,
    });
    expect(link.kind).toBe('service');
    expect(link.dropped.images).toBe(2);
    expect(link.why).toContain('without its 2 images');
    const read = await readShareLink(new URL(link.url).hash, tight.url);
    if (!read?.check.ok) throw new Error('the link did not open');
    expect(sharedView(read.check.document).dropped.images).toBe(2);
  });
});
