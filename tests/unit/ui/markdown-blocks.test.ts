import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { highlightCode } from '../../../src/ui/chat/highlight';
import { splitBlocks } from '../../../src/ui/chat/markdown';

const marked = new Marked({ gfm: true, async: false });
const html = (text: string) => (marked.parse(text) as string).replace(/\n+/g, '\n').trim();

const DOCS = [
  'One paragraph.\n\nAnother paragraph.\n\n# Heading\n\ntext',
  '- a\n- b\n\n- loose c\n\n  continued in c\n\nafter the list',
  '1. one\n2. two\n\n3. three',
  '```js\nconst a = 1;\n\n\nconst b = 2;\n```\n\nafter code',
  '~~~\nfence with ``` inside\n\n~~~\n\ntail',
  'para\n\n    indented code\n\n    more indented code\n\nend',
  '> quote\n\n> second quote\n\n| a | b |\n|---|---|\n| 1 | 2 |',
];

describe('splitBlocks', () => {
  it('renders block by block exactly as the whole text renders', () => {
    for (const doc of DOCS) {
      const blocks = splitBlocks(doc);
      expect(blocks.map(html).join('\n'), doc).toBe(html(doc));
    }
  });

  it('keeps fenced code whole, blank lines included, even while the fence is still open', () => {
    expect(splitBlocks('intro\n\n```py\nx = 1\n\ny = 2')).toEqual(['intro', '```py\nx = 1\n\ny = 2']);
  });

  it('cuts a long streamed message into many blocks', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Paragraph ${i}.`).join('\n\n');
    expect(splitBlocks(text)).toHaveLength(200);
  });
});

describe('highlightCode', () => {
  it('colours known languages and escapes everything else', () => {
    expect(highlightCode('const a = "<b>";', 'js').html).toContain('<span class="hljs-keyword">const</span>');
    expect(highlightCode('const a = "<b>";', 'js').html).not.toContain('<b>');
    expect(highlightCode('<img src=x onerror=alert(1)>', 'nope')).toEqual({ html: '&#60;img src=x onerror=alert(1)&#62;', language: null });
  });
});
