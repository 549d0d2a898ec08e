import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import {
  emphasisDepth,
  MAX_EMPHASIS_DEPTH,
  MAX_FORMATTED_CHARS,
  renderBlock,
  TOO_LARGE_NOTE,
  tooTangled,
  UNFORMATTABLE_NOTE,
  viewMessage,
} from '../../../src/ui/chat/markdown';
import { CHUNK_CHARS, describeSize, plainChunks } from '../../../src/ui/chat/plain-chunks';

// The real renderer in Node. DOMPurify needs a DOM, which Node lacks, so here every block that
// passes the checks still ends up plain; tests/browser/poison-session.spec.ts covers the
// formatted path in Chromium.
const EIGHT_MB = 8 * 1024 * 1024;
const sentence = 'The **quick** brown fox _jumps_ over the `lazy` dog. ';
const hugeParagraph = sentence.repeat(Math.ceil(EIGHT_MB / sentence.length)).slice(0, EIGHT_MB);
/** Nested emphasis closed at the far end: `marked` takes seconds on it, then overflows the stack. */
const nestedEmphasis = '_a '.repeat(10_000) + 'b_'.repeat(10_000);
/** Ten thousand nested block quotes: `marked` recurses once per level. */
const nestedQuotes = '>'.repeat(10_000) + ' x';

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

describe('viewMessage', () => {
  it('shows an 8 MB paragraph as plain text without parsing it', () => {
    const { value, ms } = timed(() => viewMessage(hugeParagraph));
    expect(value).toEqual({ kind: 'plain', note: TOO_LARGE_NOTE });
    expect(ms).toBeLessThan(50);
  });

  it('formats a message up to the limit, block by block', () => {
    const text = `# Title\n\n${'word '.repeat((MAX_FORMATTED_CHARS - 20) / 5)}`;
    const view = viewMessage(text);
    expect(view.kind).toBe('markdown');
    expect(view.kind === 'markdown' && view.blocks).toHaveLength(2);
  });

  it('stays cheap for every delta of a huge streamed message', () => {
    // Reading a string grown by += copies it once (about 10 ms for 8 MB); parsing it again
    // at each delta, as before, took seconds.
    let text = hugeParagraph;
    const { ms } = timed(() => {
      for (let i = 0; i < 50; i++) {
        text += 'more words ';
        viewMessage(text);
        plainChunks(text, 2 * CHUNK_CHARS);
      }
    });
    expect(ms / 50).toBeLessThan(100);
  });
});

describe('renderBlock', () => {
  it('falls back to plain text when marked overflows the stack, instead of throwing', () => {
    expect(() => new Marked({ gfm: true, async: false }).parse(nestedQuotes)).toThrow(RangeError);
    expect(renderBlock(nestedQuotes)).toEqual({ kind: 'plain', note: UNFORMATTABLE_NOTE });
  });

  it('refuses dense nested emphasis before marked spends seconds on it', () => {
    const { value, ms } = timed(() => renderBlock(nestedEmphasis));
    expect(value).toEqual({ kind: 'plain', note: UNFORMATTABLE_NOTE });
    expect(ms).toBeLessThan(1000);
  });

  it('refuses a block over the size limit without parsing it', () => {
    const { value, ms } = timed(() => renderBlock(hugeParagraph));
    expect(value).toEqual({ kind: 'plain', note: TOO_LARGE_NOTE });
    expect(ms).toBeLessThan(50);
  });

  it('never returns HTML it could not sanitise', () => {
    // No DOM here, so DOMPurify would hand the HTML back as it is.
    expect(renderBlock('<img src=x onerror=alert(1)> **bold**')).toEqual({ kind: 'plain', note: UNFORMATTABLE_NOTE });
  });
});

describe('tooTangled', () => {
  it('passes ordinary prose, snake_case, lists of bold items and code', () => {
    expect(emphasisDepth('**Note:** call *do_this_now* with `**kwargs` and snake_case_names.')).toBeLessThanOrEqual(2);
    expect(tooTangled(Array.from({ length: 500 }, (_, i) => `- **Item ${i}**: _detail_ ~~gone~~`).join('\n'))).toBe(false);
    expect(tooTangled('`' + '*a '.repeat(1000) + '`')).toBe(false);
    const pointers = 'int main(int argc, char **argv) { *p = **q; }\n'.repeat(300);
    expect(tooTangled('```c\n' + pointers + '```')).toBe(false);
    expect(tooTangled(pointers)).toBe(true);
  });

  it('catches nesting of every delimiter, however it is spelled', () => {
    expect(emphasisDepth(nestedEmphasis)).toBe(10_000);
    expect(tooTangled('*a '.repeat(MAX_EMPHASIS_DEPTH + 1) + 'b*'.repeat(MAX_EMPHASIS_DEPTH + 1))).toBe(true);
    expect(tooTangled('~a\n'.repeat(500) + 'b~'.repeat(500))).toBe(true);
    expect(tooTangled('**'.repeat(2000) + 'a' + '**'.repeat(2000))).toBe(true);
  });

  it('reads long backtick runs in linear time', () => {
    const { ms } = timed(() => tooTangled('`'.repeat(200_000)));
    expect(ms).toBeLessThan(200);
  });
});

describe('plainChunks', () => {
  it('cuts a huge text into bounded pieces that join back to the text', () => {
    const text = 'line of text\n'.repeat(40_000);
    const all = plainChunks(text, Infinity);
    expect(all.join('')).toBe(text);
    expect(Math.max(...all.map((c) => c.length))).toBeLessThanOrEqual(CHUNK_CHARS);
    expect(all.slice(0, -1).every((c) => c.endsWith('\n'))).toBe(true);
  });

  it('returns only the pieces that start before the limit', () => {
    const shown = plainChunks(hugeParagraph, 2 * CHUNK_CHARS);
    expect(shown).toHaveLength(2);
    expect(shown.join('')).toBe(hugeParagraph.slice(0, 2 * CHUNK_CHARS));
  });

  it('keeps the bounds of pieces already shown while the text grows', () => {
    const text = 'x'.repeat(CHUNK_CHARS + 10);
    const before = plainChunks(text, Infinity);
    const after = plainChunks(text + 'y'.repeat(CHUNK_CHARS), Infinity);
    expect(after[0]).toBe(before[0]);
  });

  it('never splits a character made of two code units', () => {
    const text = 'a' + '😀'.repeat(CHUNK_CHARS);
    for (const chunk of plainChunks(text, Infinity)) expect(chunk).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('describes what is left out', () => {
    expect(describeSize(EIGHT_MB - 100_000)).toBe('7.9 MB');
    expect(describeSize(300 * 1024)).toBe('300 KB');
    expect(describeSize(10)).toBe('1 KB');
  });
});
