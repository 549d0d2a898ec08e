/**
 * Share links through the share service, end to end in Node: the app's link code, the real
 * service (server/, Hono over real HTTP, PGlite), Web Crypto. The service never holds the
 * plaintext; a wrong key or a damaged link says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userMessage } from '../../../src/core/items';
import { buildDocument, documentFiles, type SessionDocument } from '../../../src/store/export';
import { newRow } from '../../../src/store/session-index';
import { open, seal } from '../../../src/store/share-crypto';
import { makeShareLink, openServiceLink, parseServiceLink } from '../../../src/app/share-links';
import type { Db } from '../../../server/src/db';
import { startShareService, type RunningService } from '../../../server/tests/serve';
import { assistant, documentWorkspace, pseudoRandomText, typicalSnapshot } from '../../support/store-helpers';

let db: Db;
let running: RunningService;
let service: string;
const APP = 'https://unroll.example/';
const MARKER = 'plaintext-marker-7c1e';

beforeAll(async () => {
  running = await startShareService();
  db = running.db;
  service = running.url;
}, 60_000);

afterAll(() => running.close());

function largeDocument(): SessionDocument {
  const noise = pseudoRandomText(60_000, 3);
  return buildDocument(
    newRow('big', 5),
    [userMessage(`hi ${MARKER}`), assistant('hello')],
    documentWorkspace([{ ...typicalSnapshot(2), files: { 'noise.txt': noise, 'note.md': MARKER } }], 1),
  );
}

describe('sealing', () => {
  it('opens with its key only; damaged bytes and other keys are refused in words', async () => {
    const plain = new TextEncoder().encode('the session');
    const sealed = await seal(plain);
    expect(sealed.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await open(sealed.bytes, sealed.key)).toEqual(plain);
    const other = await seal(plain);
    expect(await open(sealed.bytes, other.key)).toEqual({ problem: expect.stringContaining('does not open this share') });
    const damaged = sealed.bytes.slice();
    damaged[damaged.length - 1]! ^= 1;
    expect(await open(damaged, sealed.key)).toEqual({ problem: expect.stringContaining('does not open this share') });
    expect(await open(sealed.bytes, 'short')).toEqual({ problem: expect.stringContaining('key is damaged') });
  });
});

describe('share links', () => {
  it('keeps a small session in the link, with no upload', async () => {
    const small = buildDocument(newRow('small', 1), [userMessage('hi')], null);
    const link = await makeShareLink(small, APP, { service });
    expect(link.kind).toBe('fragment');
    expect(link.url).toContain('#share=');
  });

  it('sends a large one through the service, encrypted: the link opens it whole, the service holds no plaintext', async () => {
    const document = largeDocument();
    const link = await makeShareLink(document, APP, { service });
    expect(link.kind).toBe('service');
    expect(link.url).toMatch(new RegExp(`^https://unroll\\.example/#s=[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}&via=${encodeURIComponent(service)}$`));
    expect(link.why).toContain('encrypted in this browser');
    const parsed = parseServiceLink(new URL(link.url).hash);
    if (!parsed || 'problem' in parsed) throw new Error('not a service link');
    const opened = await openServiceLink(parsed, { service: '' });
    expect(opened.ok).toBe(true);
    expect(opened.ok && documentFiles(opened.document)?.files['noise.txt']).toBe(documentFiles(document)?.files['noise.txt']);
    expect(opened.ok && opened.document.log).toEqual(document.log);
    const stored = await db.query<{ body: Uint8Array }>('SELECT body FROM shares WHERE id = $1', [parsed.id]);
    expect(Buffer.from(stored[0]!.body).includes(MARKER)).toBe(false);
  });

  it("does not name the app's own default service in the link", async () => {
    const link = await makeShareLink(largeDocument(), APP, { service, defaultService: service });
    expect(link.url).not.toContain('via=');
  });

  it('with no service, offers the file export, saying why', async () => {
    const link = await makeShareLink(largeDocument(), APP, { service: '' });
    expect(link.kind).toBe('too-large');
    expect(link.why).toContain('no share service is set');
  });

  it('says clearly when a link is damaged, its key is wrong, the share is gone, or no service is known', async () => {
    const link = await makeShareLink(largeDocument(), APP, { service });
    const hash = new URL(link.url).hash;
    expect(parseServiceLink('#s=abc.def')).toEqual({ problem: expect.stringContaining('damaged') });
    const wrongKey = hash.replace(/\.([A-Za-z0-9_-]{43})/, `.${'A'.repeat(43)}`);
    const parsed = parseServiceLink(wrongKey) as { id: string; key: string; via: string };
    expect(await openServiceLink(parsed, { service })).toEqual({ ok: false, problems: [expect.stringContaining('does not open this share')] });
    expect(await openServiceLink({ ...parsed, id: 'A'.repeat(22) }, { service })).toEqual({
      ok: false,
      problems: [expect.stringContaining('no such share')],
    });
    expect(await openServiceLink({ id: parsed.id, key: parsed.key }, { service: '' })).toEqual({
      ok: false,
      problems: [expect.stringContaining('none is set here')],
    });
  });
});
