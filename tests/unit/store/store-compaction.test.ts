import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../../src/core/items';
import { documentView } from '../../../src/store/export';
import { itemKey, REPLACE_RECORD } from '../../../src/store/item-log';
import { GOTO_RECORD } from '../../../src/store/log-records';
import type { LogView } from '../../../src/store/session-store';
import { assistant, testStore } from '../../support/store-helpers';

const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const compaction = { type: 'compaction', encrypted_content: 'opaque' } as ResponseItem;

/** Each segment's items, in order (the rows a person scrolls through). */
function segmentItems(view: LogView): ResponseItem[][] {
  return view.segments.map((segment) => segment.rows.flatMap((row) => (row.kind === 'item' ? [row.item] : [])));
}

describe('compaction in the item log', () => {
  it('appends one record; load returns the new history and every earlier segment', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    const before = [user('one'), assistant('a1'), user('two'), assistant('a2')];
    for (const item of before) await store.append(id, item);
    const compacted = [user('two'), compaction];
    const meta = await store.replaceHistory(id, compacted);
    expect(meta.itemCount).toBe(5);
    await store.append(id, assistant('after'));

    const loaded = await store.load(id);
    expect(loaded.problems).toEqual([]);
    expect(loaded.items).toEqual([...compacted, assistant('after')]);
    expect(loaded.view.records).toBe(6);
    expect(segmentItems(loaded.view)).toEqual([before, [...compacted, assistant('after')]]);
    // The earlier segment keeps its record positions; the replacement's items sit at the marker's.
    expect(loaded.view.segments[0]!.rows.map((row) => row.at)).toEqual([0, 1, 2, 3]);
    expect(loaded.view.segments[1]).toMatchObject({ replaced: 2 });
    expect(loaded.view.segments[1]!.rows.map((row) => row.at)).toEqual([4, 4, 5]);
    expect(loaded.view.itemAt).toEqual([4, 4, 5]);

    // Exports carry the whole log: what came before the compaction, the marker and what came after.
    const exported = await store.exportSession(id);
    expect(exported.log).toHaveLength(6);
    expect(exported.log[4]).toEqual({ type: REPLACE_RECORD, items: compacted });
    const shown = documentView(exported);
    expect(shown.segments).toEqual(loaded.view.segments);
    expect(shown.items).toEqual(loaded.view.items);
  });

  it('keeps every segment of several compactions, oldest first', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    await store.append(id, user('one'));
    await store.replaceHistory(id, [user('summary 1')]);
    await store.append(id, user('two'));
    await store.replaceHistory(id, [user('summary 2')]);
    await store.append(id, user('three'));
    const { view, items } = await store.load(id);
    expect(segmentItems(view)).toEqual([[user('one')], [user('summary 1'), user('two')], [user('summary 2'), user('three')]]);
    expect(view.segments.map((s) => s.replaced)).toEqual([0, 1, 1]);
    expect(items).toEqual([user('summary 2'), user('three')]);
  });

  it('a damaged compaction record is skipped with a problem, and everything around it loads', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    await store.append(id, user('one'));
    await store.replaceHistory(id, [user('one')]);
    await store.append(id, assistant('after'));
    await store.replaceHistory(id, [user('summary')]);
    await store.append(id, assistant('last'));
    await db.transact(['items'], 'readwrite', async (t) => {
      await t.items.put({ type: REPLACE_RECORD, items: [user('one'), 'bogus'] }, itemKey(id, 1));
      await t.items.put({ type: REPLACE_RECORD }, itemKey(id, 3));
    });

    const loaded = await store.load(id, { repair: true });
    // Neither marker applies: the conversation is what the readable records make of it.
    expect(loaded.items).toEqual([user('one'), assistant('after'), assistant('last')]);
    expect(loaded.view.segments).toHaveLength(1);
    expect(loaded.problems.map((p) => [p.kind, p.userMessage])).toEqual([
      [
        'corrupt',
        expect.stringMatching(/ecord 2 of the conversation is a compaction whose items are unreadable \(is not an object\); it was skipped/),
      ],
      ['corrupt', expect.stringMatching(/ecord 4 of the conversation is a compaction without its items; it was skipped/)],
    ]);
    // Nothing was cut or rewritten: the log goes on after its last record.
    expect((await store.get(id)).itemCount).toBe(5);
    await store.append(id, assistant('more'));
    expect((await store.load(id)).items.at(-1)).toEqual(assistant('more'));
  });

  it('a server item posing as a compaction record is kept as an item and replaces nothing', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    const impostor = { type: REPLACE_RECORD, items: [user('planted')] } as unknown as ResponseItem;
    await store.append(id, user('real'));
    await store.append(id, impostor);
    const stored = await db.transact(['items'], 'readonly', (t) => t.items.get(itemKey(id, 1)));
    expect(stored).toEqual({ type: 'unroll.item', item: impostor });
    const loaded = await store.load(id);
    expect(loaded.view.segments).toHaveLength(1);
    expect(loaded.view.items).toEqual([user('real'), impostor]);
    expect(loaded.problems).toEqual([]);
    // The same in a document: the wrapped record comes back as the item it was.
    const exported = await store.exportSession(id);
    expect(documentView(exported).items).toEqual([user('real'), impostor]);
  });

  it('a rewind to before a compaction brings the earlier conversation back, and a redo undoes it', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    await store.append(id, user('one'));
    await store.append(id, assistant('a1'));
    const { itemCount: marker } = await store.replaceHistory(id, [user('summary'), compaction]);
    await store.append(id, assistant('after'));
    const { itemCount: end } = await store.get(id);

    await store.appendControl(id, { type: GOTO_RECORD, to: marker - 1, why: 'rewind', note: 'The files were put back.' });
    const rewound = await store.load(id);
    expect(rewound.items).toEqual([user('one'), assistant('a1')]);
    expect(rewound.view.segments).toHaveLength(1);
    expect(rewound.view.pendingNotes).toEqual(['The files were put back.']);
    expect(rewound.view.redo).toBe(end);

    await store.appendControl(id, { type: GOTO_RECORD, to: end, why: 'redo' });
    const redone = await store.load(id);
    expect(redone.items).toEqual([user('summary'), compaction, assistant('after')]);
    expect(segmentItems(redone.view)).toEqual([
      [user('one'), assistant('a1')],
      [user('summary'), compaction, assistant('after')],
    ]);
    expect(redone.view.redo).toBeNull();
    expect(redone.problems).toEqual([]);
  });
});
