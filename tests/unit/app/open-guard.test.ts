import { describe, expect, it } from 'vitest';
import { notReopenedNotice, OPENING_KEY, OpenGuard } from '../../../src/app/open-guard';
import type { StorageLike } from '../../../src/app/safe-storage';
import { FakeStorage } from '../../support/fake-storage';

const refusing: StorageLike = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
};

describe('OpenGuard', () => {
  it('lets every session open on a first visit', () => {
    expect(new OpenGuard(new FakeStorage()).shouldAutoOpen('a')).toBe(true);
  });

  it('keeps closed, on the next load, a session whose opening never finished', () => {
    const storage = new FakeStorage();
    new OpenGuard(storage).markOpening('poison');
    const next = new OpenGuard(storage);
    expect(next.shouldAutoOpen('poison')).toBe(false);
    expect(next.shouldAutoOpen('other')).toBe(true);
  });

  it('reopens a session whose transcript was drawn', () => {
    const storage = new FakeStorage();
    const first = new OpenGuard(storage);
    first.markOpening('fine');
    first.markOpened('fine');
    expect(new OpenGuard(storage).shouldAutoOpen('fine')).toBe(true);
    expect(storage.items.has(OPENING_KEY)).toBe(false);
  });

  it('does not count marks made by the current page load', () => {
    const guard = new OpenGuard(new FakeStorage());
    guard.markOpening('a');
    expect(guard.shouldAutoOpen('a')).toBe(true);
  });

  it('stays closed at every load until the session is opened by hand and works', () => {
    const storage = new FakeStorage();
    new OpenGuard(storage).markOpening('poison');
    new OpenGuard(storage);
    const third = new OpenGuard(storage);
    expect(third.shouldAutoOpen('poison')).toBe(false);

    third.markOpening('poison');
    third.markOpened('poison');
    expect(third.shouldAutoOpen('poison')).toBe(true);
    expect(new OpenGuard(storage).shouldAutoOpen('poison')).toBe(true);
  });

  it('keeps the mark of a session another tab is still opening', () => {
    const storage = new FakeStorage();
    const tabA = new OpenGuard(storage);
    const tabB = new OpenGuard(storage);
    tabA.markOpening('x');
    tabB.markOpening('y');
    tabA.markOpened('x');
    const next = new OpenGuard(storage);
    expect(next.shouldAutoOpen('x')).toBe(true);
    expect(next.shouldAutoOpen('y')).toBe(false);
  });

  it('remembers only the latest marks', () => {
    const storage = new FakeStorage();
    const guard = new OpenGuard(storage);
    for (let i = 0; i < 25; i++) guard.markOpening(`s${i}`);
    const next = new OpenGuard(storage);
    expect(next.shouldAutoOpen('s4')).toBe(true);
    expect(next.shouldAutoOpen('s5')).toBe(false);
    expect(next.shouldAutoOpen('s24')).toBe(false);
  });

  it('opens everything when storage is missing, refuses access or holds garbage', () => {
    for (const storage of [null, refusing]) {
      const guard = new OpenGuard(storage);
      expect(() => guard.markOpening('a')).not.toThrow();
      expect(() => guard.markOpened('a')).not.toThrow();
      expect(new OpenGuard(storage).shouldAutoOpen('a')).toBe(true);
    }
    for (const garbage of ['{"a":1}', 'not json', '[1,null,{"x":2}]']) {
      const storage = new FakeStorage();
      storage.setItem(OPENING_KEY, garbage);
      expect(new OpenGuard(storage).shouldAutoOpen('a')).toBe(true);
    }
  });

  it('names the session kept closed and says how to get it back', () => {
    const notice = notReopenedNotice('Big answer');
    expect(notice).toContain('“Big answer”');
    expect(notice).toContain('failed to open last time');
    expect(notice).toContain('Sessions');
  });
});
