import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY_STORAGE_KEY, Settings } from '../../src/app/settings.svelte';
import { userMessage } from '../../src/core/items';
import { checkDocument, DOCUMENT_FORMAT, MAX_DOCUMENT_CHARS, MAX_DOCUMENT_ITEMS, type SessionDocument } from '../../src/store/export';
import { decodeShare, shareUrl } from '../../src/store/share';
import { assistant, call, testStore, typicalItems, typicalSnapshot } from './store-helpers';

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

function problemsOf(input: unknown): string[] {
  const checked = checkDocument(input);
  return checked.ok ? [] : checked.problems;
}

describe('export and import', () => {
  it('round-trips a session through JSON into a new session', async () => {
    const { store } = await testStore();
    const original = await store.create({ model: 'gpt-5.1-codex' });
    const items = typicalItems(24);
    for (const item of items) await store.append(original.id, item);
    await store.saveSnapshot(original.id, typicalSnapshot());

    const exported = await store.exportSession(original.id);
    expect(Object.keys(exported).sort()).toEqual(['format', 'items', 'session', 'snapshot', 'version']);
    expect(Object.keys(exported.session).sort()).toEqual(['createdAt', 'model', 'title', 'updatedAt']);
    expect(exported.format).toBe(DOCUMENT_FORMAT);

    const result = await store.importSession(JSON.stringify(exported));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings).toEqual([]);
    expect(result.session.id).not.toBe(original.id);
    expect(result.session).toMatchObject({ title: exported.session.title, titleSource: 'user', model: 'gpt-5.1-codex', createdAt: exported.session.createdAt, itemCount: 24 });
    const loaded = await store.load(result.session.id);
    expect(loaded.items).toEqual(items);
    expect(loaded.snapshot?.snapshot).toEqual(typicalSnapshot());
    expect(await store.exportSession(result.session.id)).toEqual({ ...exported, session: { ...exported.session, updatedAt: result.session.updatedAt } });
    expect((await store.list()).sessions[0]!.id).toBe(result.session.id);
  });

  it('accepts an already parsed document and repairs broken pairing with a warning', async () => {
    const { store } = await testStore();
    const result = await store.importSession(doc({ items: [userMessage('go'), call('c9', 'ls'), { type: 'function_call_output', call_id: 'zz', output: 'stray' }] }));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.warnings.join('\n')).toMatch(/Repaired: .*zz/);
    const loaded = await store.load(result.session.id);
    expect(loaded.items.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output']);
    expect(loaded.items[2]).toMatchObject({ call_id: 'c9', output: 'aborted' });
  });

  it.each([
    ['garbage', 'this is not json', /not valid JSON/],
    ['truncated JSON', JSON.stringify(doc()).slice(0, 80), /not valid JSON/],
    ['an empty file', '', /not valid JSON/],
    ['null', 'null', /not an Unroll session/],
    ['a list', '[]', /not an Unroll session/],
    ['another format', JSON.stringify(doc({ format: 'chatgpt-export' })), /format is "chatgpt-export"/],
    ['a newer version', JSON.stringify(doc({ version: 2 })), /version 2; this Unroll reads version 1 \(it was made by a newer Unroll\)/],
    ['a version as text', JSON.stringify(doc({ version: '1' })), /version "1"/],
    ['no items', JSON.stringify(doc({ items: 'none' })), /no "items" list/],
    ['no session', JSON.stringify(doc({ session: null })), /no "session" details/],
    ['a bad title', JSON.stringify(doc({ session: { title: 'x'.repeat(501) } })), /title must be text/],
    ['bad dates', JSON.stringify(doc({ session: { title: 't', createdAt: 'yesterday' } })), /"createdAt" must be a time/],
    ['an unknown item type', JSON.stringify(doc({ items: [{ type: 'web_search_call' }] })), /Item 1 has an unknown type "web_search_call"/],
    ['a call without id', JSON.stringify(doc({ items: [{ type: 'function_call', name: 'x', arguments: '{}' }] })), /Item 1 is a function_call without a text "call_id"/],
    ['a bad content part', JSON.stringify(doc({ items: [userMessage('ok'), { type: 'message', role: 'user', content: [{ type: 'input_text' }] }] })), /Item 2 is a message whose content\[0\] is an input_text without a text "text"/],
    ['an item that is a string', JSON.stringify(doc({ items: ['hello'] })), /Item 1 is not an object/],
    ['an invalid workspace', JSON.stringify(doc({ snapshot: { format: 'unroll-workspace', version: 1, files: { '../../etc/passwd': 'x' }, binary: {}, dirs: [] } })), /workspace in it is invalid: .*leaves the workspace/],
    ['a workspace of another kind', JSON.stringify(doc({ snapshot: { format: 'zip' } })), /not a workspace snapshot/],
  ])('refuses %s with a clear message', (_, input, message) => {
    const problems = problemsOf(input);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });

  it('refuses prototype-tampering keys anywhere, without polluting anything', () => {
    const text = JSON.stringify(doc()).replace('"format"', '"__proto__":{"polluted":true},"format"');
    expect(problemsOf(text)).toEqual(['Refused: "__proto__" uses the key "__proto__", which is not allowed.']);
    const nested = doc({ items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }] });
    const nestedText = JSON.stringify(nested).replace('"text":"x"', '"text":"x","constructor":{"prototype":{"polluted":true}}');
    expect(problemsOf(nestedText).join('\n')).toContain('"items[0].content[0].constructor"');
    const inWorkspace = JSON.stringify(doc({ snapshot: { format: 'unroll-workspace', version: 1, files: {}, binary: {}, dirs: [] } })).replace('"files":{}', '"files":{"__proto__":"x","prototype":"y"}');
    const problems = problemsOf(inWorkspace);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('"snapshot.files.__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses hostile nesting and oversized documents', () => {
    const deep = '{"format":"unroll-session","version":1,"x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    expect(problemsOf(deep).join('\n')).toMatch(/nested more than 64 levels deep/);
    expect(problemsOf('x'.repeat(MAX_DOCUMENT_CHARS + 1))[0]).toMatch(/too large \(64\.0 MB; the limit is 64\.0 MB\)/);
    const many = JSON.stringify(doc({ items: new Array(MAX_DOCUMENT_ITEMS + 1).fill(0) }));
    expect(problemsOf(many)).toEqual([`It has ${MAX_DOCUMENT_ITEMS + 1} items; the limit is ${MAX_DOCUMENT_ITEMS}.`]);
  });

  it('lists at most 20 problems', () => {
    const problems = problemsOf(JSON.stringify(doc({ items: new Array(30).fill({ type: 'nope' }) })));
    expect(problems).toHaveLength(21);
    expect(problems.at(-1)).toBe('…and 10 more.');
  });

  it('writes nothing when an import is refused', async () => {
    const { store } = await testStore();
    const result = await store.importSession('{"format":"unroll-session"');
    expect(result.ok).toBe(false);
    expect((await store.list({ deleted: 'include' })).sessions).toEqual([]);
  });
});

describe('secrets never leave settings storage', () => {
  const KEY = 'sk-proj-LEAKCHECK-0123456789abcdefghijklmnopqrstuvwxyz';
  const saved = { local: Object.getOwnPropertyDescriptor(globalThis, 'localStorage'), session: Object.getOwnPropertyDescriptor(globalThis, 'sessionStorage') };
  afterEach(() => {
    for (const [name, descriptor] of [['localStorage', saved.local], ['sessionStorage', saved.session]] as const) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  });

  function memoryStorage() {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map };
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
    await store.saveSnapshot(session.id, typicalSnapshot(3));
    // A future bug that copied settings into the index row must not leak through either.
    await db.transact(['sessions'], 'readwrite', async (t) => {
      const row = (await t.sessions.get(session.id)) as Record<string, unknown>;
      await t.sessions.put({ ...row, apiKey: KEY, settings: { apiKey: KEY, headers: [{ name: 'Authorization', value: `Bearer ${KEY}` }] } }, session.id);
    });

    const exported: SessionDocument = await store.exportSession(session.id);
    const text = JSON.stringify(exported);
    expect(text).toContain('gpt-5.1-codex');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('LEAKCHECK');
    const link = shareUrl('https://unroll.example/', exported);
    expect(link.url).not.toContain('LEAKCHECK');
    const decoded = decodeShare(link.url);
    expect(decoded.ok && JSON.stringify(decoded.document)).not.toContain('LEAKCHECK');
  });
});
