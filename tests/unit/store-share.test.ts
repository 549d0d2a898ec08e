import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { userMessage } from '../../src/core/items';
import { toBase64 } from '../../src/sandbox/snapshot';
import { buildDocument, type SessionDocument } from '../../src/store/export';
import { newRow } from '../../src/store/session-index';
import { decodeShare, encodeShare, MAX_SHARE_FRAGMENT_CHARS, SHARE_URL_SAFE_CHARS, shareUrl, stripForShare } from '../../src/store/share';
import { assistant, pseudoRandomText, typicalItems, typicalSnapshot } from './store-helpers';

function typicalDocument(): SessionDocument {
  const meta = { ...newRow('s1', 1_700_000_000_000, { title: 'Build a small todo app', model: 'gpt-5.1-codex' }), updatedAt: 1_700_000_900_000 };
  return buildDocument(meta, typicalItems(50), typicalSnapshot(20));
}

/** A payload made by hand, for inputs encodeShare would never produce. */
function payload(bytes: Uint8Array | string): string {
  const raw = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return toBase64(zlibSync(raw, { level: 9 })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function refusal(fragment: string): string {
  const result = decodeShare(fragment);
  if (result.ok) throw new Error('expected the link to be refused');
  return result.problems.join('\n');
}

describe('share links', () => {
  it('round-trips a typical session (50 items, 20-file workspace) and stays well under the link limit', () => {
    const document = typicalDocument();
    expect(Object.keys(document.snapshot!.files)).toHaveLength(20);
    const link = shareUrl('https://unroll.example/app/#old', document);
    expect(link.url.startsWith('https://unroll.example/app/#share=')).toBe(true);
    expect(link.url).toMatch(/^[\w:/.#=-]+$/); // base64url: nothing to escape, no padding
    expect(link.bytes).toBe(link.url.length);
    expect(link.tooLarge).toBe(false);
    expect(link.dropped).toEqual({ reasoning: 8, compaction: 0 });
    const json = JSON.stringify(document).length;
    console.info(`share link for the typical session: ${link.bytes} chars (document JSON ${json} chars, ${(json / link.bytes).toFixed(1)}x smaller)`);
    expect(link.bytes).toBeLessThan(SHARE_URL_SAFE_CHARS);

    const decoded = decodeShare(link.url);
    if (!decoded.ok) throw new Error(decoded.problems.join('\n'));
    expect(decoded.document).toEqual(stripForShare(document).document);
    expect(decoded.document.snapshot).toEqual(document.snapshot);
    expect(decoded.warnings).toEqual([]);
  });

  it('drops encrypted reasoning (keeping summaries) and compaction blobs, and counts them', () => {
    const document = typicalDocument();
    document.items.push({ type: 'compaction', encrypted_content: 'gAAAA'.repeat(500) }, userMessage('continue'));
    const { document: stripped, dropped } = stripForShare(document);
    expect(dropped).toEqual({ reasoning: 8, compaction: 1 });
    expect(stripped.items.some((i) => i.type === 'compaction')).toBe(false);
    const reasoning = stripped.items.filter((i) => i.type === 'reasoning');
    expect(reasoning).toHaveLength(8);
    for (const item of reasoning) {
      expect(item).not.toHaveProperty('encrypted_content');
      expect(item.type === 'reasoning' && item.summary[0]!.text).toMatch(/Planning step/);
    }
    expect(document.items.filter((i) => i.type === 'reasoning' && i.encrypted_content)).toHaveLength(8); // the input is untouched
  });

  it('accepts a whole URL, the fragment, or the bare payload', () => {
    const document = buildDocument(newRow('x', 5), [userMessage('hi'), assistant('hello')], null);
    const data = encodeShare(document);
    for (const form of [`https://a.example/#share=${data}`, `#share=${data}`, `share=${data}`, data, `#share=${data}&view=files`]) {
      const decoded = decodeShare(form);
      expect(decoded.ok && decoded.document.items).toEqual(document.items);
    }
  });

  it('marks links past the safe length as too large', () => {
    const noise = pseudoRandomText(40_000, 7);
    const document = buildDocument(newRow('x', 5), [userMessage('hi')], { ...typicalSnapshot(2), files: { 'noise.txt': noise } });
    const link = shareUrl('https://unroll.example/', document);
    expect(link.tooLarge).toBe(true);
    expect(link.bytes).toBeGreaterThan(SHARE_URL_SAFE_CHARS);
    expect(decodeShare(link.url).ok).toBe(true); // still a valid link, just not one to paste around
  });

  it('refuses a zip bomb without inflating it all', () => {
    const bomb = payload(`{"format":"unroll-session","version":1,"items":[],"pad":"${'a'.repeat(60 * 1024 * 1024)}"}`);
    expect(bomb.length).toBeLessThan(MAX_SHARE_FRAGMENT_CHARS);
    const started = performance.now();
    expect(refusal(`#share=${bomb}`)).toMatch(/unpacks to more than 20 MB/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['an empty link', '#share=', /holds no session/],
    ['characters outside base64url', '#share=abc$def', /damaged/],
    ['standard base64 with padding', `#share=${payload('{}').slice(0, 6)}==`, /damaged/],
    ['an impossible length', '#share=abcde', /damaged/],
    ['too few bytes', '#share=eNo', /damaged/],
    ['a link that is far too long', `#share=${'A'.repeat(MAX_SHARE_FRAGMENT_CHARS + 1)}`, /too long/],
    ['random bytes', '#share=SGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IHpsaWI', /damaged/],
    ['text that is not JSON', `#share=${payload('not json at all')}`, /not valid JSON/],
    ['bytes that are not UTF-8', `#share=${payload(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}`, /not text/],
    ['another format', `#share=${payload('{"format":"other","version":1}')}`, /not an Unroll session/],
    ['a newer version', `#share=${payload('{"format":"unroll-session","version":9,"session":{},"items":[]}')}`, /made by a newer Unroll/],
    ['a prototype key', `#share=${payload('{"format":"unroll-session","version":1,"session":{"__proto__":{"x":1}},"items":[],"snapshot":null}')}`, /"session.__proto__"/],
    ['a bad item', `#share=${payload('{"format":"unroll-session","version":1,"session":{},"items":[{"type":"message","role":"user","content":"hi"}],"snapshot":null}')}`, /Item 1 is a message without a "content" list/],
  ])('refuses %s', (_, fragment, message) => {
    expect(refusal(fragment)).toMatch(message);
  });

  it('refuses a link cut short or changed in transit', () => {
    const data = encodeShare(typicalDocument());
    expect(refusal(data.slice(0, Math.floor(data.length * 0.8)))).toMatch(/cut off/);
    expect(refusal(data.slice(0, -3))).toMatch(/cut off/);
    // Change one character in a dozen places: each must be caught (inflate error or checksum).
    for (let i = 1; i <= 12; i++) {
      const at = Math.floor((data.length * i) / 13);
      const changed = data.slice(0, at) + (data[at] === 'A' ? 'B' : 'A') + data.slice(at + 1);
      expect(decodeShare(changed).ok).toBe(false);
    }
  });
});
