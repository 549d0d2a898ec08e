/** The list of share-service links this browser made, in a real-shaped storage (a Map behind the Storage calls). */
import { describe, expect, it } from 'vitest';
import { SHARE_BOOK_KEY, ShareBook, type BookEntry } from '../../../src/app/share-book';

function storage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

const entry = (id: string, extra: Partial<BookEntry> = {}): BookEntry => ({
  url: `https://unroll.example/#s=${id}.key`,
  title: `session ${id}`,
  service: 'http://127.0.0.1:8788',
  id,
  deleteToken: `token-${id}`,
  createdAt: 1,
  expiresAt: null,
  ...extra,
});

describe('ShareBook', () => {
  it('keeps links newest first, replaces one made again, and forgets a deleted one', () => {
    const s = storage();
    const book = new ShareBook(s);
    book.add(entry('a'));
    book.add(entry('b'));
    book.add(entry('a', { title: 'again' }));
    expect(book.list().map((e) => [e.id, e.title])).toEqual([
      ['a', 'again'],
      ['b', 'session b'],
    ]);
    book.remove('a');
    expect(new ShareBook(s).list().map((e) => e.id)).toEqual(['b']);
  });

  it('leaves out expired links and anything malformed in storage', () => {
    const s = storage();
    s.setItem(
      SHARE_BOOK_KEY,
      JSON.stringify([entry('past', { expiresAt: '2000-01-01T00:00:00Z' }), { url: 3 }, 'x', entry('ok', { expiresAt: '2999-01-01T00:00:00Z' })]),
    );
    expect(new ShareBook(s).list().map((e) => e.id)).toEqual(['ok']);
    s.setItem(SHARE_BOOK_KEY, '{not json');
    expect(new ShareBook(s).list()).toEqual([]);
    expect(new ShareBook(null).list()).toEqual([]);
  });
});
