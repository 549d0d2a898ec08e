/**
 * Model text to safe HTML: Markdown through `marked` (code blocks coloured by highlight.js),
 * then DOMPurify, which strips scripts, event handlers and `javascript:` URLs. Model output is
 * data; this is its only way into HTML.
 *
 * Streamed messages are rendered block by block (`splitBlocks`): a block, once finished, is
 * rendered once and cached, so each delta costs only the block still growing.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { escapeHtml, highlightCode } from './highlight';

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  renderer: {
    code({ text, lang }) {
      const { html, language } = highlightCode(text, lang);
      const cls = language ? ` class="hljs language-${escapeHtml(language)}"` : ' class="hljs"';
      return `<pre><code${cls}>${html}</code></pre>\n`;
    },
  },
});

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    // Links open outside the app and carry no referrer.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return purifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
    RETURN_TRUSTED_TYPE: false,
  });
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

/** `renderMarkdown`, remembered for blocks seen before (finished blocks re-render for free). */
export function renderBlock(block: string): string {
  const hit = cache.get(block);
  if (hit !== undefined) return hit;
  const html = renderMarkdown(block);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(block, html);
  return html;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;

/**
 * Cuts Markdown into top-level blocks that render the same apart as together: at a blank line
 * outside a code fence, when the next line starts a new paragraph-level block (not indented,
 * not continuing a list). Joining the blocks with "\n\n" gives back the text's content.
 */
export function splitBlocks(text: string): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let inList = false;
  let sawBlank = false;
  for (const line of lines) {
    const open = FENCE.exec(line);
    if (fence) {
      if (open && open[1]!.startsWith(fence[0]!) && open[1]!.length >= fence.length && line.trim() === open[0].trim()) fence = null;
      current.push(line);
      continue;
    }
    if (line.trim() === '') {
      sawBlank = current.length > 0;
      current.push(line);
      continue;
    }
    const listItem = LIST_ITEM.test(line);
    const indented = /^\s/.test(line);
    if (sawBlank && !indented && !(inList && listItem)) {
      blocks.push(trimBlank(current));
      current = [];
      inList = false;
    }
    sawBlank = false;
    if (listItem) inList = true;
    else if (!indented && current.length === 0) inList = false;
    if (open) fence = open[1]!;
    current.push(line);
  }
  if (current.length) blocks.push(trimBlank(current));
  return blocks.filter((b) => b !== '');
}

function trimBlank(lines: string[]): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(0, end).join('\n');
}
