import { isPrefixContext } from '../../../src/core/context/index';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import { toBase64 } from '../../../src/sandbox/snapshot';
import { buildDocument, documentFiles, documentView, serializeDocument, type SessionDocument } from '../../../src/store/export';
import type { LogView } from '../../../src/store/session-store';
import { newRow } from '../../../src/store/session-index';
import { decodeShare, encodeShare, MAX_SHARE_FRAGMENT_CHARS, SHARE_URL_SAFE_CHARS, shareUrl, stripForShare } from '../../../src/store/share';
import {
  assistant,
  documentWorkspace,
  plain,
  pseudoRandomText,
  recordRichSession,
  recordTypicalSession,
  testStore,
  typicalSnapshot,
} from '../../support/store-helpers';

/** A typical session (50 items with their tool and turn records, a 20-file workspace saved each turn), exported. */
async function typicalDocument(options: { history?: boolean } = {}) {
  const { store } = await testStore();
  const session = await recordTypicalSession(store, { items: 50, files: 20, title: 'Build a small todo app' });
  return { ...session, store, document: await store.exportSession(session.id, options) };
}

/** A payload made by hand, for inputs encodeShare would never produce. */
function payload(bytes: Uint8Array | string): string {
  const raw = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return toBase64(zlibSync(raw, { level: 9 }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function refusal(fragment: string): string {
  const result = decodeShare(fragment);
  if (result.ok) throw new Error('expected the link to be refused');
  return result.problems.join('\n');
}

/** `item` as a link carries it: no encrypted reasoning, and compaction items left out altogether. */
function linkItem(item: ResponseItem): ResponseItem[] {
  if (item.type === 'compaction') return [];
  if (item.type === 'reasoning') {
    const { encrypted_content: _, ...rest } = item;
    return [rest];
  }
  return [item];
}

/**
 * What a person sees of a log: each segment's items and turns, without record positions or
 * manifest numbers; `asLink` shows the items as a link carries them.
 */
function shown(view: LogView, asLink = false) {
  const items = (item: ResponseItem) => (asLink ? linkItem(item) : [item]);
  return view.segments.map((segment) => ({
    replaced: segment.rows.slice(0, segment.replaced).flatMap((row) => (row.kind === 'item' ? items(row.item) : [])).length,
    rows: segment.rows.flatMap((row): unknown[] =>
      row.kind === 'item' ? items(row.item).map((item) => ({ item })) : [{ turn: { ...row.turn, before: null, after: null } }],
    ),
  }));
}

describe('share links', () => {
  it('round-trips a typical session (50 items, 20-file workspace) and stays well under the link limit', async () => {
    const { document, snapshot, items } = await typicalDocument();
    expect(Object.keys(documentFiles(document)!.files)).toHaveLength(20);
    const link = shareUrl('https://unroll.example/app/#old', document);
    expect(link.url.startsWith('https://unroll.example/app/#share=')).toBe(true);
    expect(link.url).toMatch(/^[\w:/.#=-]+$/); // base64url: nothing to escape, no padding
    expect(link.bytes).toBe(link.url.length);
    expect(link.tooLarge).toBe(false);
    expect(link.dropped).toEqual({ reasoning: 8, compaction: 0 });
    const json = serializeDocument(document).length;
    console.info(`share link for the typical session: ${link.bytes} chars (document JSON ${json} chars, ${(json / link.bytes).toFixed(1)}x smaller)`);
    expect(link.bytes).toBeLessThan(SHARE_URL_SAFE_CHARS);
    expect(link.bytes).toBeLessThan(SHARE_URL_SAFE_CHARS * 0.8); // well under: room for longer real conversations

    const decoded = decodeShare(link.url);
    if (!decoded.ok) throw new Error(decoded.problems.join('\n'));
    expect(decoded.warnings).toEqual([]);
    expect(decoded.document).toEqual(stripForShare(document).document);
    // The conversation, its turns and tool results, and the newest files all arrive.
    const view = documentView(decoded.document);
    // Instruction messages (permissions, environment) never travel in a link.
    expect(view.items).toEqual(items.filter((item) => !isPrefixContext(item)).flatMap(linkItem));
    expect(shown(view)).toEqual(shown(documentView(document), true));
    expect(view.segments[0]!.rows.filter((row) => row.kind === 'turn')).toHaveLength(7); // 50 items end inside the 8th turn
    expect(view.tools).toEqual(documentView(document).tools);
    expect(view.tools.size).toBe(16);
    expect(plain(documentFiles(decoded.document))).toEqual(snapshot);
  });

  it('keeps only the newest workspace: a document with the whole history gives the same link', async () => {
    const { store, id, document } = await typicalDocument();
    const history = await store.exportSession(id, { history: true });
    expect(history.workspace!.manifests.length).toBeGreaterThan(5);
    expect(serializeDocument(history).length).toBeGreaterThan(serializeDocument(document).length);
    const stripped = stripForShare(history).document;
    expect(stripped).toEqual(stripForShare(document).document);
    expect(stripped.workspace!.manifests).toEqual([expect.objectContaining({ n: 0, base: true, atRecord: stripped.log.length })]);
    const named = new Set(Object.values(stripped.workspace!.manifests[0]!.files).map((ref) => ref!.hash));
    expect(Object.keys({ ...stripped.workspace!.texts, ...stripped.workspace!.binaries }).sort()).toEqual([...named].sort());
    expect(shareUrl('https://unroll.example/', history).url).toBe(shareUrl('https://unroll.example/', document).url);
  });

  it('drops encrypted reasoning (keeping summaries) and compaction blobs, keeping every segment, and counts them', async () => {
    const { store, id } = await typicalDocument();
    const summary = userMessage('Summary so far: the todo app has a list and a filter.');
    await store.replaceHistory(id, [summary, { type: 'compaction', encrypted_content: 'gAAAA'.repeat(500) } as ResponseItem]);
    await store.append(id, userMessage('continue'));
    const document = await store.exportSession(id);
    const { document: stripped, dropped } = stripForShare(document);
    expect(dropped).toEqual({ reasoning: 8, compaction: 1 });
    const text = JSON.stringify(stripped.log); // (the workspace's sources mention these words)
    expect(text).not.toContain('"compaction"');
    expect(text).not.toContain('encrypted_content');
    expect(text).not.toContain('gAAAA');

    const view = documentView(stripped);
    expect(view.segments).toHaveLength(2);
    expect(view.segments[1]).toMatchObject({ replaced: 1 });
    expect(view.items).toEqual([summary, userMessage('continue')]);
    const reasoning = view.segments[0]!.rows.flatMap((row) => (row.kind === 'item' && row.item.type === 'reasoning' ? [row.item] : []));
    expect(reasoning).toHaveLength(8);
    for (const item of reasoning) {
      expect(item).not.toHaveProperty('encrypted_content');
      expect(item.type === 'reasoning' && item.summary[0]!.text).toMatch(/Planning step/);
    }
    // The earlier segment is all there, as it shows in the app (less the encrypted parts).
    const original = documentView(document);
    expect(shown(view)).toEqual(shown(original, true));
    // The input is untouched.
    expect(
      original.segments[0]!.rows.filter((row) => row.kind === 'item' && row.item.type === 'reasoning' && row.item.encrypted_content),
    ).toHaveLength(8);
    expect(JSON.stringify(document)).toContain('gAAAA');
    const decoded = decodeShare(encodeShare(document));
    expect(decoded.ok && decoded.document).toEqual(stripped);
  });

  it('carries the path the conversation took: rewound records stay out, every segment, turn and tool result stays in', async () => {
    const { store } = await testStore();
    const rich = await recordRichSession(store);
    const document = await store.exportSession(rich.id, { history: true });
    const original = documentView(document);
    const { document: stripped, dropped } = stripForShare(document);
    expect(dropped).toEqual({ reasoning: 1, compaction: 1 });

    const view = documentView(stripped);
    expect(view.problems).toEqual([]);
    expect(shown(view)).toEqual(shown(original, true));
    expect(view.segments).toHaveLength(2);
    expect(view.segments[1]!.replaced).toBe(1); // the compaction item is left out
    expect(view.items).toEqual(rich.segments[1]!.flatMap(linkItem));
    // No rewind, no note owed to the model, nothing of the branch the rewind set aside.
    expect(stripped.log.some((r) => ['unroll.goto', 'unroll.note'].includes((r as { type: string }).type))).toBe(false);
    for (const item of rich.setAside) expect(stripped.log).not.toContainEqual(item);
    expect(JSON.stringify(stripped)).not.toContain(rich.note);
    expect(view.pendingNotes).toEqual([]);
    expect(view.redo).toBeNull();
    // Tool results of the calls on the path, as the cards showed them.
    expect([...view.tools.keys()].sort()).toEqual(['c1', 'c2', 'c4']);
    for (const id of ['c1', 'c2', 'c4']) expect(view.tools.get(id)).toEqual(original.tools.get(id));
    // The newest workspace only.
    expect(stripped.workspace!.manifests).toHaveLength(1);
    expect(plain(documentFiles(stripped))).toEqual(rich.files);

    const decoded = decodeShare(shareUrl('https://unroll.example/', document).url);
    if (!decoded.ok) throw new Error(decoded.problems.join('\n'));
    expect(decoded.document).toEqual(stripped);
    // A link opened and exported again keeps what it showed.
    const imported = await store.importSession(decoded.document);
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    expect(shown((await store.load(imported.session.id)).view)).toEqual(shown(view));
  });

  it('accepts a whole URL, the fragment, or the bare payload', () => {
    const document = buildDocument(newRow('x', 5), [userMessage('hi'), assistant('hello')], null);
    const data = encodeShare(document);
    for (const form of [`https://a.example/#share=${data}`, `#share=${data}`, `share=${data}`, data, `#share=${data}&view=files`]) {
      const decoded = decodeShare(form);
      expect(decoded.ok && decoded.document.log).toEqual(document.log);
    }
  });

  it('marks links past the safe length as too large', () => {
    const noise = pseudoRandomText(40_000, 7);
    const document: SessionDocument = buildDocument(
      newRow('x', 5),
      [userMessage('hi')],
      documentWorkspace([{ ...typicalSnapshot(2), files: { 'noise.txt': noise } }], 1),
    );
    const link = shareUrl('https://unroll.example/', document);
    expect(link.tooLarge).toBe(true);
    expect(link.bytes).toBeGreaterThan(SHARE_URL_SAFE_CHARS);
    const decoded = decodeShare(link.url);
    expect(decoded.ok).toBe(true); // still a valid link, just not one to paste around
    expect(decoded.ok && documentFiles(decoded.document)?.files['noise.txt']).toBe(noise);
  });

  it('refuses a zip bomb without inflating it all', () => {
    const bomb = payload(`{"format":"unroll-session","version":1,"items":[],"pad":"${'a'.repeat(60 * 1024 * 1024)}"}`);
    expect(bomb.length).toBeLessThan(MAX_SHARE_FRAGMENT_CHARS);
    const started = performance.now();
    expect(refusal(`#share=${bomb}`)).toMatch(/unpacks to more than 20 MB/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  const badHash = 'a'.repeat(64);
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
    [
      'a prototype key',
      `#share=${payload('{"format":"unroll-session","version":1,"session":{"__proto__":{"x":1}},"items":[],"snapshot":null}')}`,
      /"session.__proto__"/,
    ],
    [
      'an item that is not an object',
      `#share=${payload('{"format":"unroll-session","version":1,"session":{},"items":["hi"],"snapshot":null}')}`,
      /Item 1 is not an object/,
    ],
    [
      'a record that is not an object',
      `#share=${payload('{"format":"unroll-session","version":2,"session":{},"log":[{"type":"message","role":"user","content":"hi"},"hi"],"workspace":null}')}`,
      /Record 2 is not an object/,
    ],
    [
      'a file that does not match its hash',
      `#share=${payload(`{"format":"unroll-session","version":2,"session":{},"log":[],"workspace":{"manifests":[],"texts":{"${badHash}":"x"},"binaries":{}}}`)}`,
      /does not match its hash/,
    ],
  ])('refuses %s', (_, fragment, message) => {
    expect(refusal(fragment)).toMatch(message);
  });

  it('refuses a link cut short or changed in transit', async () => {
    const data = encodeShare((await typicalDocument()).document);
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
