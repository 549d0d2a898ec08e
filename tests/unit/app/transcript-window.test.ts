import { describe, expect, it } from 'vitest';
import { earlierStart, followingStart, openingStart } from '../../../src/app/transcript-window';

describe('the transcript window', () => {
  it('opens on the last page of entries', () => {
    expect(openingStart(40, 150)).toBe(0);
    expect(openingStart(1200, 150)).toBe(1050);
  });

  it('while following, never holds more than two pages: it slides back to one page', () => {
    let start = 0;
    let most = 0;
    for (let length = 1; length <= 1200; length++) {
      start = followingStart(start, length, true, 150);
      most = Math.max(most, length - start);
    }
    expect(most).toBe(300);
    expect(1200 - start).toBeLessThanOrEqual(300);
    expect(1200 - start).toBeGreaterThanOrEqual(150);
  });

  it('never slides while the person reads further up', () => {
    expect(followingStart(0, 1200, false, 150)).toBe(0);
  });

  it('"Show earlier" brings back two pages at a time, down to the first entry', () => {
    expect(earlierStart(1050, 150)).toBe(750);
    expect(earlierStart(100, 150)).toBe(0);
  });
});
