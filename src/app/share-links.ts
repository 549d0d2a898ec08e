/**
 * Making and opening share links. A session small enough travels in the link itself
 * (`#share=…`, store/share.ts); a larger one, when a share service is set, is sealed with a
 * fresh key (store/share-crypto.ts), uploaded, and the link is `#s=<id>.<key>` — the key stays
 * in the fragment, which no server sees. A link to a service other than the app's own default
 * names it (`&via=<url>`), so it opens in any copy of the app. With no service, a large
 * session is offered as a file export, as before.
 *
 * Images are kept wherever they fit. A session too long for a link only because of its images,
 * with no service set, gets a link without them (a note in each one's place); so does an upload
 * the service refuses as too large. `dropped.images` counts them, and the link says so.
 */
import type { DocumentCheck, SessionDocument } from '../store/export';
import { decodeShare, packDocument, SHARE_PARAM, shareUrl, stripForShare, unpackDocument, type ShareLink } from '../store/share';
import { open, seal } from '../store/share-crypto';
import { downloadShare, serviceBase, ShareTooLargeError, uploadShare, type ServiceOptions, type Uploaded } from '../store/share-service';
import { withoutImages } from '../store/share-images';

export const SERVICE_PARAM = 's';

export interface MadeLink extends ShareLink {
  kind: 'fragment' | 'service' | 'too-large';
  /** Why this kind of link, in a sentence for the share panel. */
  why: string;
  /** A service link: where it lives and how to delete it. */
  service?: { base: string; id: string; deleteToken: string; expiresAt: string | null };
}

export interface LinkOptions extends Pick<ServiceOptions, 'fetch' | 'expiresIn'> {
  /** The share service to use for large sessions ('' for none). */
  service: string;
  /** The app's default service: links to it do not name it. */
  defaultService?: string;
}

export async function makeShareLink(document: SessionDocument, appUrl: string, options: LinkOptions): Promise<MadeLink> {
  const inline = shareUrl(appUrl, document);
  if (!inline.tooLarge) {
    return { ...inline, kind: 'fragment', why: 'The whole session is inside the link itself, compressed; nothing is uploaded.' };
  }
  if (!options.service) {
    const lean = withoutImages(document);
    const leanLink = lean.images ? shareUrl(appUrl, lean.document) : null;
    if (leanLink && !leanLink.tooLarge) {
      const images = imagesText(lean.images);
      return {
        ...leanLink,
        dropped: { ...leanLink.dropped, images: lean.images },
        kind: 'fragment',
        why: `The session is inside the link itself, compressed, except its ${images}: with them the link would be ${(inline.bytes / 1024).toFixed(0)} KB, too long to pass around. Export it as a file, or set a share service (Settings → Share service URL), to share the images too.`,
      };
    }
    return {
      ...inline,
      kind: 'too-large',
      why: 'The session is too large for a link on its own, and no share service is set (Settings → Share service URL).',
    };
  }
  const base = serviceBase(options.service);
  const { document: stripped, dropped } = stripForShare(document);
  let sealed = await seal(packDocument(stripped));
  let uploaded: Uploaded;
  let note = '';
  try {
    uploaded = await uploadShare(base, sealed.bytes, { ...options, idempotencyKey: crypto.randomUUID() });
  } catch (err) {
    const lean = err instanceof ShareTooLargeError ? withoutImages(stripped) : null;
    if (!lean?.images) throw err;
    sealed = await seal(packDocument(lean.document));
    uploaded = await uploadShare(base, sealed.bytes, { ...options, idempotencyKey: crypto.randomUUID() });
    dropped.images = lean.images;
    note = ` It went without its ${imagesText(lean.images)}: with them it is larger than the service accepts.`;
  }
  const via = options.defaultService && serviceBase(options.defaultService) === base ? '' : `&via=${encodeURIComponent(base)}`;
  const url = `${appUrl.split('#')[0]}#${SERVICE_PARAM}=${uploaded.id}.${sealed.key}${via}`;
  return {
    url,
    bytes: url.length,
    tooLarge: false,
    dropped,
    kind: 'service',
    why: `The session is too large for a link on its own (${(inline.bytes / 1024).toFixed(0)} KB), so it was encrypted in this browser and uploaded to ${new URL(base).host}; the key is only in the link, so the service cannot read it.${note}`,
    service: { base, ...uploaded },
  };
}

/** "1 image", "3 images". */
function imagesText(count: number): string {
  return `${count} image${count === 1 ? '' : 's'}`;
}

export interface ServiceLink {
  id: string;
  key: string;
  /** The service named in the link, if any. */
  via?: string;
  /** A live session: more arrives after it opens. */
  live?: boolean;
}

/** The parts of a `#s=` link, null when `hash` is not one, or a problem when it is damaged. */
export function parseServiceLink(hash: string): ServiceLink | null | { problem: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get(SERVICE_PARAM);
  if (value === null) return null;
  const match = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return { problem: 'The link is damaged: its share id or key was cut or changed.' };
  const via = params.get('via') ?? undefined;
  return { id: match[1]!, key: match[2]!, ...(via ? { via } : {}), ...(params.get('live') === '1' ? { live: true } : {}) };
}

/** Fetches, decrypts and checks the session of a `#s=` link, as hostile as any link. */
export async function openServiceLink(link: ServiceLink, options: { service: string; fetch?: typeof fetch }): Promise<DocumentCheck> {
  const base = link.via ?? options.service;
  if (!base) return { ok: false, problems: ['This link points to a share service, and none is set here (Settings → Share service URL).'] };
  let sealed: Uint8Array;
  try {
    sealed = await downloadShare(base, link.id, options.fetch ? { fetch: options.fetch } : {});
  } catch (err) {
    return { ok: false, problems: [err instanceof Error ? err.message : String(err)] };
  }
  const plain = await open(sealed, link.key);
  if (!(plain instanceof Uint8Array)) return { ok: false, problems: [plain.problem] };
  return unpackDocument(plain);
}

export interface ReadLink {
  check: DocumentCheck;
  /** A live share to follow once shown: where it is. */
  live?: { id: string; key: string; base: string };
}

/**
 * The session in `hash` when it is a share link (`#share=` or `#s=`), checked as hostile; null
 * when it is no share link at all. `service` is the share service set here.
 */
export async function readShareLink(hash: string, service: string, options: { fetch?: typeof fetch } = {}): Promise<ReadLink | null> {
  const link = parseServiceLink(hash);
  if (link === null) return hash.includes(`${SHARE_PARAM}=`) ? { check: decodeShare(hash) } : null;
  if ('problem' in link) return { check: { ok: false, problems: [link.problem] } };
  const check = await openServiceLink(link, { service, ...options });
  const base = link.via ?? service;
  return link.live && base ? { check, live: { id: link.id, key: link.key, base } } : { check };
}
