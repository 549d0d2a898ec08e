import { describe, expect, it } from 'vitest';
import { REPLACE_RECORD } from '../../src/store/item-log';
import { assistant, testStore } from './store-helpers';
import type { ResponseItem } from '../../src/core/items';

const user = (text: string): ResponseItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });

describe('compaction in the item log', () => {
  it('appends one record; load returns the new history and what it replaced', async () => {
    const { store } = await testStore();
    const { id } = await store.create();
    for (const item of [user('one'), assistant('a1'), user('two'), assistant('a2')]) await store.append(id, item);
    const compacted = [user('two'), { type: 'compaction', encrypted_content: 'opaque' } as ResponseItem];
    const meta = await store.replaceHistory(id, compacted);
    expect(meta.itemCount).toBe(5);
    await store.append(id, assistant('after'));

    const loaded = await store.load(id);
    expect(loaded.items).toEqual([...compacted, assistant('after')]);
    expect(loaded.earlier).toEqual([[user('one'), assistant('a1'), user('two'), assistant('a2')]]);
    expect(loaded.problems).toEqual([]);
    // Forks and exports carry the current conversation.
    expect((await store.exportSession(id)).items).toEqual(loaded.items);
  });

  it('a damaged compaction record stops the log there and says so', async () => {
    const { store, db } = await testStore();
    const { id } = await store.create();
    await store.append(id, user('one'));
    await store.replaceHistory(id, [user('one')]);
    await db.transact(['items'], 'readwrite', (t) => t.items.put({ type: REPLACE_RECORD, items: [{ type: 'bogus' }] }, [id, 1]));
    const loaded = await store.load(id);
    expect(loaded.items).toEqual([user('one')]);
    expect(loaded.problems[0]?.userMessage).toMatch(/compaction whose items are unreadable/);
  });
});
