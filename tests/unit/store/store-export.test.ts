/** Export and import of whole sessions: round trips of the log and the workspace, both document versions. */
import { describe, expect, it } from 'vitest';
import { userMessage, type ResponseItem } from '../../../src/core/items';
import type { Snapshot } from '../../../src/sandbox/snapshot';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, documentFiles, documentView, serializeDocument } from '../../../src/store/export';
import type { LogView } from '../../../src/store/session-store';
import { v1Document, v2Document } from '../../support/session-documents';
import { assistant, call, filesOf, plain, recordRichSession, saveFiles, testStore, typicalItems, typicalSnapshot } from '../../support/store-helpers';

/** Each segment's items in order (the rows of kind 'item'). */
function segmentItems(view: LogView): ResponseItem[][] {
  return view.segments.map((segment) => segment.rows.flatMap((row) => (row.kind === 'item' ? [row.item] : [])));
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
    const result = await store.importSession(JSON.stringify(v1Document({ items, snapshot })));
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
      v1Document({ items: [userMessage('go'), call('c9', 'ls'), { type: 'function_call_output', call_id: 'zz', output: 'stray' }] }),
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
    for (const input of [v1Document({ items: [userMessage('ok'), ...odd] }), v2Document({ log: [userMessage('ok'), ...odd], workspace: null })]) {
      const result = await store.importSession(JSON.stringify(input));
      if (!result.ok) throw new Error(result.problems.join('\n'));
      expect((await store.load(result.session.id)).items).toEqual([userMessage('ok'), ...odd]);
      expect((await store.exportSession(result.session.id)).log).toEqual([userMessage('ok'), ...odd]);
    }
  });
});
