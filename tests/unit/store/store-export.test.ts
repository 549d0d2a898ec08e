import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY_STORAGE_KEY, Settings } from '../../../src/app/settings.svelte';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import { emptySnapshot, type Snapshot } from '../../../src/sandbox/snapshot';
import {
  checkDocument,
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  documentFiles,
  documentView,
  MAX_DOCUMENT_CHARS,
  MAX_DOCUMENT_ITEMS,
  serializeDocument,
  type SessionDocument,
} from '../../../src/store/export';
import { hashBytes } from '../../../src/store/hash';
import type { LogView, SessionStore } from '../../../src/store/session-store';
import { decodeShare, shareUrl } from '../../../src/store/share';
import {
  assistant,
  call,
  documentWorkspace,
  filesOf,
  plain,
  recordRichSession,
  saveFiles,
  testStore,
  typicalItems,
  typicalSnapshot,
} from '../../support/store-helpers';

/** A version 1 document (items and one snapshot), as earlier builds exported. */
function doc(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'unroll-session',
    version: 1,
    session: { title: 'Imported', model: 'gpt-5.1', createdAt: 1000, updatedAt: 2000 },
    items: [userMessage('hi'), assistant('hello')],
    snapshot: null,
    ...over,
  };
}

const README = '# Todo\n';
const hashOf = (text: string) => hashBytes(new TextEncoder().encode(text));

/** A version 2 document with one manifest naming README.md, as plain JSON data to tamper with. */
function doc2(over: Record<string, unknown> = {}): Record<string, unknown> {
  const workspace = documentWorkspace([{ ...emptySnapshot(), files: { 'README.md': README } }], 2);
  return {
    format: 'unroll-session',
    version: 2,
    session: { title: 'Imported', model: 'gpt-5.1', createdAt: 1000, updatedAt: 2000 },
    log: [userMessage('hi'), assistant('hello')],
    workspace: JSON.parse(JSON.stringify(workspace)) as unknown,
    ...over,
  };
}

function problemsOf(input: unknown): string[] {
  const checked = checkDocument(input);
  return checked.ok ? [] : checked.problems;
}

/** Each segment's items in order (the rows of kind 'item'). */
function segmentItems(view: LogView): ResponseItem[][] {
  return view.segments.map((segment) => segment.rows.flatMap((row) => (row.kind === 'item' ? [row.item] : [])));
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
  it('round-trips a session through JSON into a new session', async () => {
    const { store } = await testStore();
    const original = await store.create({ model: 'gpt-5.1-codex' });
    const items = typicalItems(24);
    for (const item of items) await store.append(original.id, item);
    await saveFiles(store, original.id, typicalSnapshot());
    const source = await store.get(original.id);

    const exported = await store.exportSession(original.id);
    expect(Object.keys(exported).sort()).toEqual(['format', 'log', 'session', 'version', 'workspace']);
    expect(Object.keys(exported.session).sort()).toEqual(['createdAt', 'model', 'title', 'updatedAt']);
    expect(Object.keys(exported.workspace!).sort()).toEqual(['binaries', 'manifests', 'texts']);
    expect(exported).toMatchObject({ format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION });
    expect(DOCUMENT_VERSION).toBe(2);
    // Instruction messages never travel: the permissions and environment messages are left out,
    // their positions kept.
    expect(exported.log.slice(0, 2)).toEqual([
      { type: 'unroll.dropped', what: 'a developer message' },
      { type: 'unroll.dropped', what: 'a context message' },
    ]);
    expect(exported.log.slice(2)).toEqual(items.slice(2));
    expect(plain(documentFiles(exported))).toEqual(typicalSnapshot());

    const result = await store.importSession(serializeDocument(exported));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings).toEqual([]);
    expect(result.session.id).not.toBe(original.id);
    // The copy keeps the session's own dates, so it sorts where the original did.
    expect(result.session).toMatchObject({
      title: exported.session.title,
      titleSource: 'user',
      model: 'gpt-5.1-codex',
      createdAt: source.createdAt,
      updatedAt: source.updatedAt,
      itemCount: 24,
      manifests: 1,
    });
    // Smaller by the instruction messages left out.
    expect(result.session.bytes).toBeLessThan(source.bytes);
    const loaded = await store.load(result.session.id);
    expect(loaded.items).toEqual(items.slice(2));
    expect(loaded.problems).toEqual([]);
    expect(plain(await filesOf(store, result.session.id))).toEqual(typicalSnapshot());
    expect(await store.exportSession(result.session.id)).toEqual(exported);
    expect((await store.list()).sessions.map((s) => s.id).sort()).toEqual([original.id, result.session.id].sort());
  });

  it.each([
    ['the newest workspace', {}],
    ['the whole workspace history', { history: true }],
  ])('export → import → export gives the same bytes, with %s', async (_, options) => {
    const { store } = await testStore();
    const { id } = await recordRichSession(store);
    const text = serializeDocument(await store.exportSession(id, options));
    const imported = await store.importSession(text);
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    expect(imported.warnings).toEqual([]);
    expect(serializeDocument(await store.exportSession(imported.session.id, options))).toBe(text);
    // And once more from the copy of the copy.
    const again = await store.importSession(JSON.parse(text) as unknown);
    if (!again.ok) throw new Error(again.problems.join('\n'));
    expect(serializeDocument(await store.exportSession(again.session.id, options))).toBe(text);
  });

  it('carries the whole log: every segment, the compaction marker, the rewound branch, turns and tool results', async () => {
    const { store } = await testStore();
    const rich = await recordRichSession(store);
    const original = await store.load(rich.id);
    expect(original.problems).toEqual([]);
    expect(segmentItems(original.view)).toEqual(rich.segments);

    const exported = await store.exportSession(rich.id);
    expect(exported.log).toHaveLength(original.view.records);
    expect(exported.log.filter((r) => (r as { type?: unknown }).type === 'unroll.history_replaced')).toHaveLength(1);
    expect(documentView(exported).segments).toEqual(original.view.segments);

    const imported = await store.importSession(serializeDocument(exported));
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    const copy = await store.load(imported.session.id);
    expect(copy.problems).toEqual([]);
    // Nothing before or after the compaction is lost, nor the marker between them.
    expect(copy.view.segments).toHaveLength(2);
    expect(segmentItems(copy.view)).toEqual(rich.segments);
    expect(copy.view.segments[1]!.replaced).toBe(2);
    expect(copy.view.segments.map((s) => s.rows.filter((row) => row.kind === 'turn').length)).toEqual([2, 1]);
    expect([...copy.view.tools.keys()].sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(copy.view.tools.get('c2')).toMatchObject({ status: 'failed', exit_code: 1 });
    expect(copy.items).toEqual(original.items);
    expect(copy.view).toEqual(original.view);
    // The branch the rewind set aside is still in the log, only not on the path.
    const logged = (await store.exportSession(imported.session.id)).log;
    for (const item of rich.setAside) expect(logged).toContainEqual(item);
    for (const item of rich.setAside) expect(copy.view.items).not.toContainEqual(item);
    // By default the workspace is the newest manifest only, as a full listing keeping its number.
    expect(exported.workspace!.manifests).toEqual([expect.objectContaining({ n: 4, base: true })]);
    expect(copy.manifests.records.map((r) => r.n)).toEqual([4]);
    expect(plain(await filesOf(store, imported.session.id))).toEqual(rich.files);
  });

  it('with history, exports every manifest and every file version they name', async () => {
    const { store } = await testStore();
    const rich = await recordRichSession(store);
    const original = await store.load(rich.id);
    const exported = await store.exportSession(rich.id, { history: true });
    expect(exported.workspace!.manifests).toEqual(original.manifests.records);
    expect(exported.workspace!.manifests.map((m) => m.n)).toEqual([0, 1, 2, 3, 4]);
    // Four versions of NOTES.md (turn 2's comes back at the rewind), the other files once.
    expect(Object.keys(exported.workspace!.texts)).toHaveLength(4 + 4);
    expect(Object.keys(exported.workspace!.binaries)).toHaveLength(1);

    const imported = await store.importSession(exported);
    if (!imported.ok) throw new Error(imported.problems.join('\n'));
    const copy = await store.load(imported.session.id);
    expect(copy.manifests.records).toEqual(original.manifests.records);
    for (const [n, files] of rich.fileVersions.entries()) {
      const read = await store.readFiles(copy.manifests.get(n)!);
      expect(read.missing).toEqual([]);
      expect(plain(read.snapshot)).toEqual(files);
    }
    // Without history, the copy exports just as the original does.
    expect(serializeDocument(await store.exportSession(imported.session.id))).toBe(serializeDocument(await store.exportSession(rich.id)));
  });

  it('imports a version 1 document (items and one snapshot) with its files', async () => {
    const { store } = await testStore();
    const snapshot: Snapshot = { ...typicalSnapshot(3), binary: { 'logo.bin': 'AAEC/w==' } };
    const items = [userMessage('hi'), call('c1', 'ls'), { type: 'function_call_output' as const, call_id: 'c1', output: 'src' }, assistant('hello')];
    const result = await store.importSession(JSON.stringify(doc({ items, snapshot })));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings).toEqual([]);
    expect(result.session).toMatchObject({ title: 'Imported', model: 'gpt-5.1', createdAt: 1000, updatedAt: 2000, itemCount: 4, manifests: 1 });
    const loaded = await store.load(result.session.id);
    expect(loaded.items).toEqual(items);
    expect(loaded.manifests.records).toMatchObject([{ n: 0, atRecord: 4, reason: 'import', base: true }]);
    expect(plain(await filesOf(store, result.session.id))).toEqual(snapshot);
    // It exports as version 2.
    const exported = await store.exportSession(result.session.id);
    expect(exported.version).toBe(2);
    expect(exported.log).toEqual(items);
    expect(plain(documentFiles(exported))).toEqual(snapshot);
  });

  it('accepts an already parsed document and repairs broken pairing with a warning', async () => {
    const { store } = await testStore();
    const result = await store.importSession(
      doc({ items: [userMessage('go'), call('c9', 'ls'), { type: 'function_call_output', call_id: 'zz', output: 'stray' }] }),
    );
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings.join('\n')).toMatch(/Repaired: .*zz/);
    const loaded = await store.load(result.session.id);
    expect(loaded.items.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output']);
    expect(loaded.items[2]).toMatchObject({ call_id: 'c9', output: 'aborted' });
  });

  it('keeps items it does not understand, verbatim, in both versions', async () => {
    const { store } = await testStore();
    const odd = [
      { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'todo' } },
      { type: 'function_call', name: 'x', arguments: '{}' },
      { type: 'message', role: 'user', content: [{ type: 'input_text' }] },
    ];
    for (const input of [doc({ items: [userMessage('ok'), ...odd] }), doc2({ log: [userMessage('ok'), ...odd], workspace: null })]) {
      const result = await store.importSession(JSON.stringify(input));
      if (!result.ok) throw new Error(result.problems.join('\n'));
      expect((await store.load(result.session.id)).items).toEqual([userMessage('ok'), ...odd]);
      expect((await store.exportSession(result.session.id)).log).toEqual([userMessage('ok'), ...odd]);
    }
  });

  it.each([
    ['garbage', 'this is not json', /not valid JSON/],
    ['truncated JSON', JSON.stringify(doc()).slice(0, 80), /not valid JSON/],
    ['an empty file', '', /not valid JSON/],
    ['null', 'null', /not an Unroll session/],
    ['a list', '[]', /not an Unroll session/],
    ['another format', JSON.stringify(doc({ format: 'chatgpt-export' })), /format is "chatgpt-export"/],
    ['a newer version', JSON.stringify(doc({ version: 3 })), /version 3; this Unroll reads versions 1 and 2 \(it was made by a newer Unroll\)/],
    ['a version as text', JSON.stringify(doc({ version: '1' })), /version "1"/],
    ['no items', JSON.stringify(doc({ items: 'none' })), /no "items" list/],
    ['no session', JSON.stringify(doc({ session: null })), /no "session" details/],
    ['a bad title', JSON.stringify(doc({ session: { title: 'x'.repeat(501) } })), /title must be text/],
    ['bad dates', JSON.stringify(doc({ session: { title: 't', createdAt: 'yesterday' } })), /"createdAt" must be a time/],
    ['an item that is a string', JSON.stringify(doc({ items: ['hello'] })), /Item 1 is not an object/],
    [
      'an invalid workspace',
      JSON.stringify(doc({ snapshot: { format: 'unroll-workspace', version: 1, files: { '../../etc/passwd': 'x' }, binary: {}, dirs: [] } })),
      /workspace in it is invalid: .*leaves the workspace/,
    ],
    ['a workspace of another kind', JSON.stringify(doc({ snapshot: { format: 'zip' } })), /not a workspace snapshot/],
    ['a version 2 document without a log', JSON.stringify(doc2({ log: 'none' })), /no "log" list/],
    ['a record that is a string', JSON.stringify(doc2({ log: [userMessage('hi'), 'hello'] })), /^Record 2 is not an object\.$/m],
    ['a record that is a list', JSON.stringify(doc2({ log: [[userMessage('hi')]] })), /^Record 1 is not an object\.$/m],
    [
      'a compaction without its items',
      JSON.stringify(doc2({ log: [userMessage('hi'), { type: 'unroll.history_replaced' }] })),
      /Record 2 is a compaction without its items/,
    ],
    [
      'a compaction with an unreadable item',
      JSON.stringify(doc2({ log: [{ type: 'unroll.history_replaced', items: [42] }] })),
      /Record 1 is a compaction whose items are unreadable/,
    ],
    [
      'a rewind forward',
      JSON.stringify(doc2({ log: [{ type: 'unroll.goto', to: 5, why: 'rewind' }] })),
      /Record 1 is a rewind to a position that does not come before it/,
    ],
    [
      'a turn with an unknown ending',
      JSON.stringify(doc2({ log: [{ type: 'unroll.turn', reason: 'exploded', usage: {} }] })),
      /Record 1 is a turn with an unknown ending/,
    ],
    [
      'a workspace that is not one',
      JSON.stringify(doc2({ workspace: { files: {} } })),
      /workspace is not a list of manifests with their file contents/,
    ],
    [
      'a manifest outside the workspace',
      JSON.stringify(
        doc2({
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
        doc2({
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
        doc2({
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
        doc2({ workspace: { manifests: [{ n: 1, atRecord: 0, savedAt: 1, reason: 'save', base: false, files: {} }], texts: {}, binaries: {} } }),
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
    const result = await store.importSession(JSON.stringify(doc2({ log: [userMessage('hi'), 'hello', assistant('fine'), 7] })));
    expect(result).toEqual({ ok: false, problems: ['Record 2 is not an object.', 'Record 4 is not an object.'] });
    expect(await everything(store, db)).toEqual(before);
  });

  it('refuses prototype-tampering keys anywhere, without polluting anything', () => {
    const text = JSON.stringify(doc()).replace('"format"', '"__proto__":{"polluted":true},"format"');
    expect(problemsOf(text)).toEqual(['Refused: "__proto__" uses the key "__proto__", which is not allowed.']);
    const nested = doc({ items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }] });
    const nestedText = JSON.stringify(nested).replace('"text":"x"', '"text":"x","constructor":{"prototype":{"polluted":true}}');
    expect(problemsOf(nestedText).join('\n')).toContain('"items[0].content[0].constructor"');
    const inWorkspace = JSON.stringify(doc({ snapshot: { format: 'unroll-workspace', version: 1, files: {}, binary: {}, dirs: [] } })).replace(
      '"files":{}',
      '"files":{"__proto__":"x","prototype":"y"}',
    );
    const problems = problemsOf(inWorkspace);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('"snapshot.files.__proto__"');
    const inTexts = JSON.stringify(doc2()).replace('"texts":{', '"texts":{"__proto__":{"polluted":true},');
    expect(problemsOf(inTexts)).toEqual(['Refused: "workspace.texts.__proto__" uses the key "__proto__", which is not allowed.']);
    const inLog = JSON.stringify(doc2({ log: [{ type: 'unroll.history_replaced', items: [] }] })).replace(
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
    const many = JSON.stringify(doc({ items: new Array(MAX_DOCUMENT_ITEMS + 1).fill(0) }));
    expect(problemsOf(many)).toEqual([`It has ${MAX_DOCUMENT_ITEMS + 1} items; the limit is ${MAX_DOCUMENT_ITEMS}.`]);
    const manyRecords = JSON.stringify(doc2({ log: new Array(MAX_DOCUMENT_ITEMS + 1).fill(0) }));
    expect(problemsOf(manyRecords)).toEqual([`It has ${MAX_DOCUMENT_ITEMS + 1} records; the limit is ${MAX_DOCUMENT_ITEMS}.`]);
  });

  it('lists at most 20 problems', () => {
    for (const input of [doc({ items: new Array(30).fill('nope') }), doc2({ log: new Array(30).fill('nope') })]) {
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

describe('secrets never leave settings storage', () => {
  const KEY = 'sk-proj-LEAKCHECK-0123456789abcdefghijklmnopqrstuvwxyz';
  const saved = {
    local: Object.getOwnPropertyDescriptor(globalThis, 'localStorage'),
    session: Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage'),
  };
  afterEach(() => {
    for (const [name, descriptor] of [
      ['localStorage', saved.local],
      ['sessionStorage', saved.session],
    ] as const) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  });

  function memoryStorage() {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
      map,
    };
  }

  it('an API key saved by Settings appears in no export and no share link', async () => {
    const local = memoryStorage();
    Object.defineProperty(globalThis, 'localStorage', { value: local, configurable: true });
    Object.defineProperty(globalThis, 'sessionStorage', { value: memoryStorage(), configurable: true });
    const settings = new Settings();
    settings.preset = 'openai';
    settings.apiKey = KEY;
    settings.model = 'gpt-5.1-codex';
    expect(local.map.get(API_KEY_STORAGE_KEY)).toBe(KEY); // the key really is in settings storage

    const { store, db } = await testStore();
    const session = await store.create({ model: settings.effectiveModel });
    for (const item of typicalItems(12)) await store.append(session.id, item);
    await saveFiles(store, session.id, typicalSnapshot(3));
    // A future bug that copied settings into the index row or a manifest must not leak through either.
    await db.transact(['sessions', 'manifests'], 'readwrite', async (t) => {
      const row = (await t.sessions.get(session.id)) as Record<string, unknown>;
      await t.sessions.put(
        { ...row, apiKey: KEY, settings: { apiKey: KEY, headers: [{ name: 'Authorization', value: `Bearer ${KEY}` }] } },
        session.id,
      );
      const manifest = (await t.manifests.get([session.id, 0])) as Record<string, unknown>;
      await t.manifests.put({ ...manifest, apiKey: KEY }, [session.id, 0]);
    });

    for (const options of [{}, { history: true }]) {
      const exported: SessionDocument = await store.exportSession(session.id, options);
      const text = JSON.stringify(exported);
      expect(text).toContain('gpt-5.1-codex');
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('LEAKCHECK');
      const link = shareUrl('https://unroll.example/', exported);
      expect(link.url).not.toContain('LEAKCHECK');
      const decoded = decodeShare(link.url);
      expect(decoded.ok && JSON.stringify(decoded.document)).not.toContain('LEAKCHECK');
    }
  });
});
