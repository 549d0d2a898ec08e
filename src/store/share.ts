/**
 * Share links: a session document carried in the URL fragment (`#share=<data>`), which the
 * browser never sends to any server. data = base64url(zlib(JSON), level 9), no padding.
 * Decoding treats the link as hostile: size limits before and while inflating (zip bombs),
 * a checksum, strict UTF-8, then the same checks as a file import.
 */
import { Unzlib, zlibSync } from 'fflate';
import type { ResponseItem } from '../core/items';
import { fromBase64, toBase64 } from '../sandbox/snapshot';
import { buildDocument, checkDocument, documentBlobs, documentView, workspaceDocument, type DocumentCheck, type SessionDocument } from './export';
import { itemRecord, REPLACE_RECORD } from './log-records';
import { ManifestHistory, recordFor } from './manifests';

export const SHARE_PARAM = 'share';
/** Longer fragments are refused before any decoding. */
export const MAX_SHARE_FRAGMENT_CHARS = 2_000_000;
/** Inflating stops past this many bytes: a few KB of deflate can expand to gigabytes. */
const MAX_SHARE_INFLATED_BYTES = 20 * 1024 * 1024;
/**
 * Links up to this length are offered as links; longer ones get the file export instead.
 * Browsers take far longer URLs (Chromium about 2 MB), but a link also has to survive being
 * pasted into chat apps, mail clients, issue trackers and link previews, several of which cut
 * or refuse messages of a few tens of thousands of characters. 32 000 stays under those limits.
 */
export const SHARE_URL_SAFE_CHARS = 32_000;

/** Encrypted blobs left out of a link: they are large, opaque, and only the original provider can read them. */
export interface Dropped {
  /** Reasoning items that lost their `encrypted_content` (their summaries stay). */
  reasoning: number;
  /** Compaction items left out (they are nothing but an encrypted blob). */
  compaction: number;
  /** Images left out, each replaced by a note (store/share-images.ts); absent when none were. */
  images?: number;
}

/**
 * The document as a link carries it: the conversation as it shows (its path through rewinds,
 * every segment), without encrypted reasoning and compaction blobs, and the newest workspace
 * only. Counts what was dropped.
 */
export function stripForShare(document: SessionDocument): { document: SessionDocument; dropped: Dropped } {
  const dropped: Dropped = { reasoning: 0, compaction: 0 };
  const strip = (item: ResponseItem): ResponseItem | null => {
    if (item.type === 'compaction') {
      dropped.compaction += 1;
      return null;
    }
    if (item.type === 'reasoning' && item.encrypted_content) {
      dropped.reasoning += 1;
      const { encrypted_content: _dropped, ...rest } = item;
      return rest;
    }
    return item;
  };
  const view = documentView(document);
  const log: unknown[] = [];
  const calls = new Set<string>();
  view.segments.forEach((segment, i) => {
    if (i > 0)
      log.push({
        type: REPLACE_RECORD,
        items: segment.rows.slice(0, segment.replaced).flatMap((row) => (row.kind === 'item' ? (strip(row.item) ?? []) : [])),
      });
    for (const row of segment.rows.slice(segment.replaced)) {
      if (row.kind === 'turn') {
        log.push({ ...row.turn, before: null, after: null });
        continue;
      }
      const item = strip(row.item);
      if (!item) continue;
      if ('call_id' in item && typeof item.call_id === 'string') calls.add(item.call_id);
      log.push(itemRecord(item));
    }
  });
  for (const id of calls) {
    const tool = view.tools.get(id);
    if (tool) log.push(tool);
  }
  const latest = document.workspace ? new ManifestHistory(document.workspace.manifests).latest() : null;
  const workspace =
    latest && document.workspace
      ? workspaceDocument(
          [recordFor(null, latest, { n: 0, atRecord: log.length, savedAt: latest.savedAt, reason: 'import' })!],
          documentBlobs(document.workspace),
        )
      : null;
  return { document: buildDocument(document.session, log, workspace), dropped };
}

/** The `#share=` payload for `document` (encrypted blobs stripped; see `stripForShare`). */
export function encodeShare(document: SessionDocument): string {
  return encodePayload(stripForShare(document).document);
}

function encodePayload(document: SessionDocument): string {
  return toBase64Url(packDocument(document));
}

/** The document as a link or an encrypted share carries it: zlib(JSON), level 9. */
export function packDocument(document: SessionDocument): Uint8Array {
  return zlibSync(new TextEncoder().encode(JSON.stringify(document)), { level: 9 });
}

/** The document in packed bytes, checked as hostile as a link's (size caps, checksum, UTF-8, an import's checks). */
export function unpackDocument(packed: Uint8Array): DocumentCheck {
  const inflated = inflateCapped(packed, MAX_SHARE_INFLATED_BYTES);
  if (typeof inflated === 'string') return refuse(inflated);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return refuse('The link is damaged: its content is not text.');
  }
  return checkDocument(text);
}

export interface ShareLink {
  url: string;
  /** Length of the URL (all ASCII, so also its size in bytes). */
  bytes: number;
  /** Longer than `SHARE_URL_SAFE_CHARS`: offer the file export instead. */
  tooLarge: boolean;
  dropped: Dropped;
}

/** A link that opens `document` on `baseUrl` (any fragment already on it is replaced). */
export function shareUrl(baseUrl: string, document: SessionDocument): ShareLink {
  const { document: stripped, dropped } = stripForShare(document);
  const url = `${baseUrl.split('#')[0]}#${SHARE_PARAM}=${encodePayload(stripped)}`;
  return { url, bytes: url.length, tooLarge: url.length > SHARE_URL_SAFE_CHARS, dropped };
}

/**
 * The session in a share link. Accepts a whole URL, `#share=…`, `share=…` or the bare payload;
 * every failure is a problem message, never a throw.
 */
export function decodeShare(fragment: string): DocumentCheck {
  const data = payloadOf(fragment);
  if (data.length > MAX_SHARE_FRAGMENT_CHARS)
    return refuse(`The link is too long (${data.length} characters; the limit is ${MAX_SHARE_FRAGMENT_CHARS}).`);
  if (data.length === 0) return refuse('The link holds no session.');
  if (!/^[A-Za-z0-9_-]*$/.test(data) || data.length % 4 === 1)
    return refuse('The link is damaged: it has characters a share link never contains, or was cut off.');
  return unpackDocument(fromBase64Url(data));
}

function payloadOf(fragment: string): string {
  const marker = `${SHARE_PARAM}=`;
  const at = fragment.indexOf(marker);
  const data = at >= 0 ? fragment.slice(at + marker.length) : fragment.replace(/^#/, '');
  return data.split('&')[0]!.trim();
}

/** Reads the zlib stream a slice at a time, stopping once the output passes `cap`. */
function inflateCapped(data: Uint8Array, cap: number): Uint8Array | string {
  const damaged = 'The link is damaged or was cut off; ask for it again.';
  if (data.length < 6) return damaged;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const stream = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (total <= cap) chunks.push(chunk);
    finished ||= final;
  });
  const step = 1024; // one KB of deflate inflates to at most about 1 MB, so overshoot stays small
  try {
    for (let i = 0; i < data.length && total <= cap; i += step) stream.push(data.subarray(i, i + step), i + step >= data.length);
  } catch {
    return damaged;
  }
  if (total > cap) return `The link unpacks to more than ${cap / 1024 / 1024} MB, which is more than any session needs; it was refused.`;
  if (!finished) return damaged;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  // fflate does not check the zlib checksum; a changed character must not pass unnoticed.
  const tail = data.subarray(data.length - 4);
  const expected = ((tail[0]! << 24) | (tail[1]! << 16) | (tail[2]! << 8) | tail[3]!) >>> 0;
  return adler32(out) === expected ? out : damaged;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length;) {
    const end = Math.min(i + 5552, bytes.length); // the longest run before the sums can overflow
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(standard + '='.repeat((4 - (standard.length % 4)) % 4));
}

function refuse(problem: string): DocumentCheck {
  return { ok: false, problems: [problem] };
}
