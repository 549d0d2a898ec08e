/** What an import refuses, with a clear message and without writing anything. */
import { describe, expect, it } from 'vitest';
import { userMessage } from '../../../src/core/items';
import { checkDocument, MAX_DOCUMENT_CHARS, MAX_DOCUMENT_ITEMS, serializeDocument, type SessionDocument } from '../../../src/store/export';
import { hashBytes } from '../../../src/store/hash';
import type { SessionStore } from '../../../src/store/session-store';
import { README, v1Document, v2Document } from '../../support/session-documents';
import { assistant, filesOf, plain, recordRichSession, testStore } from '../../support/store-helpers';

const hashOf = (text: string) => hashBytes(new TextEncoder().encode(text));

function problemsOf(input: unknown): string[] {
  const checked = checkDocument(input);
  return checked.ok ? [] : checked.problems;
}

/** Everything a refused import could have written. */
async function everything(store: SessionStore, db: Awaited<ReturnType<typeof testStore>>['db']) {
  const sessions = (await store.list({ deleted: 'include' })).sessions;
  const stores = await db.transact(['items', 'manifests', 'blobs'], 'readonly', async (t) => [
    await t.items.getAllKeys(),
    await t.manifests.getAllKeys(),
    await t.blobs.getAllKeys(),
  ]);
  return { sessions, stores };
}

describe('export and import', () => {
  it.each([
    ['garbage', 'this is not json', /not valid JSON/],
    ['truncated JSON', JSON.stringify(v1Document()).slice(0, 80), /not valid JSON/],
    ['an empty file', '', /not valid JSON/],
    ['null', 'null', /not an Unroll session/],
    ['a list', '[]', /not an Unroll session/],
    ['another format', JSON.stringify(v1Document({ format: 'chatgpt-export' })), /format is "chatgpt-export"/],
    [
      'a newer version',
      JSON.stringify(v1Document({ version: 3 })),
      /version 3; this Unroll reads versions 1 and 2 \(it was made by a newer Unroll\)/,
    ],
    ['a version as text', JSON.stringify(v1Document({ version: '1' })), /version "1"/],
    ['no items', JSON.stringify(v1Document({ items: 'none' })), /no "items" list/],
    ['no session', JSON.stringify(v1Document({ session: null })), /no "session" details/],
    ['a bad title', JSON.stringify(v1Document({ session: { title: 'x'.repeat(501) } })), /title must be text/],
    ['bad dates', JSON.stringify(v1Document({ session: { title: 't', createdAt: 'yesterday' } })), /"createdAt" must be a time/],
    ['an item that is a string', JSON.stringify(v1Document({ items: ['hello'] })), /Item 1 is not an object/],
    [
      'an invalid workspace',
      JSON.stringify(v1Document({ snapshot: { format: 'unroll-workspace', version: 1, files: { '../../etc/passwd': 'x' }, binary: {}, dirs: [] } })),
      /workspace in it is invalid: .*leaves the workspace/,
    ],
    ['a workspace of another kind', JSON.stringify(v1Document({ snapshot: { format: 'zip' } })), /not a workspace snapshot/],
    ['a version 2 document without a log', JSON.stringify(v2Document({ log: 'none' })), /no "log" list/],
    ['a record that is a string', JSON.stringify(v2Document({ log: [userMessage('hi'), 'hello'] })), /^Record 2 is not an object\.$/m],
    ['a record that is a list', JSON.stringify(v2Document({ log: [[userMessage('hi')]] })), /^Record 1 is not an object\.$/m],
    [
      'a compaction without its items',
      JSON.stringify(v2Document({ log: [userMessage('hi'), { type: 'unroll.history_replaced' }] })),
      /Record 2 is a compaction without its items/,
    ],
    [
      'a compaction with an unreadable item',
      JSON.stringify(v2Document({ log: [{ type: 'unroll.history_replaced', items: [42] }] })),
      /Record 1 is a compaction whose items are unreadable/,
    ],
    [
      'a rewind forward',
      JSON.stringify(v2Document({ log: [{ type: 'unroll.goto', to: 5, why: 'rewind' }] })),
      /Record 1 is a rewind to a position that does not come before it/,
    ],
    [
      'a turn with an unknown ending',
      JSON.stringify(v2Document({ log: [{ type: 'unroll.turn', reason: 'exploded', usage: {} }] })),
      /Record 1 is a turn with an unknown ending/,
    ],
    [
      'a workspace that is not one',
      JSON.stringify(v2Document({ workspace: { files: {} } })),
      /workspace is not a list of manifests with their file contents/,
    ],
    [
      'a manifest outside the workspace',
      JSON.stringify(
        v2Document({
          workspace: {
            manifests: [{ n: 0, atRecord: 0, savedAt: 1, reason: 'save', base: true, files: { '../etc/passwd': { hash: hashOf(README), size: 7 } } }],
            texts: { [hashOf(README)]: README },
            binaries: {},
          },
        }),
      ),
      /Workspace manifest 1 names a path outside the workspace/,
    ],
    [
      'a file without its contents',
      JSON.stringify(
        v2Document({
          workspace: {
            manifests: [{ n: 0, atRecord: 0, savedAt: 1, reason: 'save', base: true, files: { 'README.md': { hash: hashOf(README), size: 7 } } }],
            texts: {},
            binaries: {},
          },
        }),
      ),
      /names the file "README.md" without its contents/,
    ],
    [
      'two manifests with one number',
      JSON.stringify(
        v2Document({
          workspace: {
            manifests: [0, 0].map((n) => ({ n, atRecord: 0, savedAt: 1, reason: 'save', base: true, files: {} })),
            texts: {},
            binaries: {},
          },
        }),
      ),
      /two manifests with the same number/,
    ],
    [
      'a delta without its base',
      JSON.stringify(
        v2Document({
          workspace: { manifests: [{ n: 1, atRecord: 0, savedAt: 1, reason: 'save', base: false, files: {} }], texts: {}, binaries: {} },
        }),
      ),
      /newest workspace manifest cannot be read/,
    ],
  ])('refuses %s with a clear message', (_, input, message) => {
    const problems = problemsOf(input);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses file contents that do not match their hash, and writes nothing', async () => {
    const { store, db } = await testStore();
    const rich = await recordRichSession(store);
    const exported = JSON.parse(serializeDocument(await store.exportSession(rich.id, { history: true }))) as SessionDocument;
    const before = await everything(store, db);
    // Contents planted under a hash another session uses would change that session's files.
    const [hash] = Object.keys(exported.workspace!.texts);
    const planted = structuredClone(exported);
    planted.workspace!.texts[hash!] = 'rm -rf /';
    const [binaryHash] = Object.keys(exported.workspace!.binaries);
    const plantedBinary = structuredClone(exported);
    plantedBinary.workspace!.binaries[binaryHash!] = 'AAAA';
    const notAHash = structuredClone(exported);
    notAHash.workspace!.texts['README.md'] = README;

    for (const [input, message] of [
      [planted, `A file in its workspace does not match its hash "${hash!.slice(0, 40)}…".`],
      [plantedBinary, `A binary file in its workspace does not match its hash "${binaryHash!.slice(0, 40)}…".`],
      [notAHash, 'A file in its workspace does not match its hash "README.md".'],
    ] as const) {
      const result = await store.importSession(JSON.stringify(input));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems).toContain(message);
    }
    expect(await everything(store, db)).toEqual(before);
    expect(plain(await filesOf(store, rich.id))).toEqual(rich.files);
    const history = (await store.load(rich.id)).manifests;
    for (const [n, files] of rich.fileVersions.entries()) expect(plain((await store.readFiles(history.get(n)!)).snapshot)).toEqual(files);
  });

  it('refuses a record that is not an object, saying which, and writes nothing', async () => {
    const { store, db } = await testStore();
    const before = await everything(store, db);
    const result = await store.importSession(JSON.stringify(v2Document({ log: [userMessage('hi'), 'hello', assistant('fine'), 7] })));
    expect(result).toEqual({ ok: false, problems: ['Record 2 is not an object.', 'Record 4 is not an object.'] });
    expect(await everything(store, db)).toEqual(before);
  });

  it('refuses prototype-tampering keys anywhere, without polluting anything', () => {
    const text = JSON.stringify(v1Document()).replace('"format"', '"__proto__":{"polluted":true},"format"');
    expect(problemsOf(text)).toEqual(['Refused: "__proto__" uses the key "__proto__", which is not allowed.']);
    const nested = v1Document({ items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }] });
    const nestedText = JSON.stringify(nested).replace('"text":"x"', '"text":"x","constructor":{"prototype":{"polluted":true}}');
    expect(problemsOf(nestedText).join('\n')).toContain('"items[0].content[0].constructor"');
    const inWorkspace = JSON.stringify(v1Document({ snapshot: { format: 'unroll-workspace', version: 1, files: {}, binary: {}, dirs: [] } })).replace(
      '"files":{}',
      '"files":{"__proto__":"x","prototype":"y"}',
    );
    const problems = problemsOf(inWorkspace);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('"snapshot.files.__proto__"');
    const inTexts = JSON.stringify(v2Document()).replace('"texts":{', '"texts":{"__proto__":{"polluted":true},');
    expect(problemsOf(inTexts)).toEqual(['Refused: "workspace.texts.__proto__" uses the key "__proto__", which is not allowed.']);
    const inLog = JSON.stringify(v2Document({ log: [{ type: 'unroll.history_replaced', items: [] }] })).replace(
      '"items":[]',
      '"items":[],"constructor":{}',
    );
    expect(problemsOf(inLog).join('\n')).toContain('"log[0].constructor"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses hostile nesting and oversized documents', () => {
    const deep = '{"format":"unroll-session","version":1,"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    expect(problemsOf(deep).join('\n')).toMatch(/nested more than 64 levels deep/);
    expect(problemsOf('x'.repeat(MAX_DOCUMENT_CHARS + 1))[0]).toMatch(/too large \(64\.0 MB; the limit is 64\.0 MB\)/);
    const many = JSON.stringify(v1Document({ items: new Array(MAX_DOCUMENT_ITEMS + 1).fill(0) }));
    expect(problemsOf(many)).toEqual([`It has ${MAX_DOCUMENT_ITEMS + 1} items; the limit is ${MAX_DOCUMENT_ITEMS}.`]);
    const manyRecords = JSON.stringify(v2Document({ log: new Array(MAX_DOCUMENT_ITEMS + 1).fill(0) }));
    expect(problemsOf(manyRecords)).toEqual([`It has ${MAX_DOCUMENT_ITEMS + 1} records; the limit is ${MAX_DOCUMENT_ITEMS}.`]);
  });

  it('lists at most 20 problems', () => {
    for (const input of [v1Document({ items: new Array(30).fill('nope') }), v2Document({ log: new Array(30).fill('nope') })]) {
      const problems = problemsOf(JSON.stringify(input));
      expect(problems).toHaveLength(21);
      expect(problems.at(-1)).toBe('…and 10 more.');
    }
  });

  it('writes nothing when an import is refused', async () => {
    const { store, db } = await testStore();
    const before = await everything(store, db);
    const result = await store.importSession('{"format":"unroll-session"');
    expect(result.ok).toBe(false);
    expect((await store.list({ deleted: 'include' })).sessions).toEqual([]);
    expect(await everything(store, db)).toEqual(before);
  });
});
