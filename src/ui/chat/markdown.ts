/**
 * Model text to safe HTML: Markdown through `marked` (code blocks coloured by highlight.js),
 * then DOMPurify, which strips scripts, event handlers and `javascript:` URLs. Model output is
 * data; this is its only way into HTML.
 *
 * Streamed messages are rendered block by block (`splitBlocks`): a block, once finished, is
 * rendered once and cached, so each delta costs only the block still growing.
 *
 * Images never load by themselves: a remote image (its URL can carry data out, and fetching it
 * tells its server the message was read) becomes a "Load image from <host>" button that
 * `MarkdownView` swaps for the image on a click (`remoteImageButton`, `loadRemoteImage`);
 * `data:` and `blob:` images show directly. Video, audio, `srcset` and `background`, which
 * would fetch on their own too, are removed.
 *
 * Formatting is best effort and must never take the page down: `marked` overflows the stack on
 * a paragraph of a few MB and on deep nesting, and spends seconds on dense nested emphasis. Text
 * too large or too nested to format, and any block whose rendering throws, is shown as plain
 * text instead (`viewMessage`, `renderBlock`), and no HTML is ever returned unsanitised.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { escapeHtml, highlightCode } from './highlight';

/** Above this many characters a message is shown as plain text; formatting it would stall the page. */
export const MAX_FORMATTED_CHARS = 100_000;
/**
 * Emphasis delimiters (`*`, `_`, `~`) open at once, beyond which a block is shown as plain text.
 * `marked` matches them in time quadratic in this depth and overflows the stack at a few
 * thousand; prose rarely goes past three.
 */
export const MAX_EMPHASIS_DEPTH = 200;

export const TOO_LARGE_NOTE = 'shown as plain text: too large to format';
export const UNFORMATTABLE_NOTE = 'shown as plain text: could not be formatted';

/** How to show a message: its Markdown blocks, or the whole text plain with a note saying why. */
export type MessageView = { kind: 'markdown'; blocks: string[] } | { kind: 'plain'; note: string };

/** How to show one block: sanitised HTML, or the block's own text plain with a note saying why. */
export type BlockView = { kind: 'html'; html: string } | { kind: 'plain'; note: string };

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

/** Where a gated image keeps its URL (on the placeholder button) until it is clicked. */
const REMOTE_SRC = 'data-remote-src';
/** Images that come from the page itself, never from the network. */
const LOCAL_IMAGE = /^(?:data:image\/|blob:)/i;

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      // Links open outside the app and carry no referrer.
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      // A remote image keeps its URL aside, so parsing the HTML fetches nothing.
      if (node.tagName === 'IMG') {
        const src = node.getAttribute('src') ?? '';
        node.removeAttribute('src');
        if (src && LOCAL_IMAGE.test(src)) node.setAttribute('src', src);
        else if (src) node.setAttribute(REMOTE_SRC, src);
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/**
 * Sanitised HTML for `text`. Throws when `marked`, highlight.js or DOMPurify does, and when no
 * DOM is there to sanitise with (DOMPurify would then hand the HTML back untouched).
 */
function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  const purify = purifier();
  if (!purify.isSupported) throw new Error('DOMPurify cannot sanitise without a DOM');
  const clean = purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: [
      'style',
      'form',
      'input',
      'button',
      'textarea',
      'select',
      'iframe',
      'object',
      'embed',
      'video',
      'audio',
      'source',
      'track',
      'picture',
    ],
    FORBID_ATTR: ['style', 'srcset', 'background', 'poster', 'ping'],
    // Only the hook above sets data attributes, so the model cannot forge a gated image.
    ALLOW_DATA_ATTR: false,
    RETURN_TRUSTED_TYPE: false,
  });
  return clean.includes(REMOTE_SRC) ? gateRemoteImages(clean) : clean;
}

/** Replaces each image the hook set aside by its placeholder button. Input is sanitised HTML. */
function gateRemoteImages(html: string): string {
  // A template's content is inert: nothing in it loads while we rewrite it.
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const img of template.content.querySelectorAll(`img[${REMOTE_SRC}]`)) {
    img.replaceWith(remoteImageButton(img.getAttribute(REMOTE_SRC)!, img.getAttribute('alt') ?? '', img.getAttribute('title')));
  }
  return template.innerHTML;
}

/** The host a remote image would be fetched from, as the button names it. */
function imageHost(src: string): string {
  try {
    return new URL(src, document.baseURI).host || src;
  } catch {
    return src;
  }
}

/** The "Load image from <host>" button standing for the image at `src`. */
function remoteImageButton(src: string, alt: string, title: string | null): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'remote-image';
  button.setAttribute(REMOTE_SRC, src);
  if (alt) button.setAttribute('data-alt', alt);
  if (title) button.setAttribute('data-title', title);
  button.title = src;
  button.textContent = `Load image from ${imageHost(src)}`;
  return button;
}

/**
 * If `target` is (inside) a placeholder button, swaps in its image: fetched without cookies or
 * a referrer. Returns whether it did. For `MarkdownView`'s click handler.
 */
export function loadRemoteImage(target: EventTarget | null): boolean {
  const button = target instanceof Element ? target.closest(`button.remote-image[${REMOTE_SRC}]`) : null;
  if (!button) return false;
  const src = button.getAttribute(REMOTE_SRC)!;
  const img = document.createElement('img');
  img.crossOrigin = 'anonymous';
  img.referrerPolicy = 'no-referrer';
  img.alt = button.getAttribute('data-alt') ?? '';
  const title = button.getAttribute('data-title');
  if (title) img.title = title;
  img.src = src;
  button.replaceWith(img);
  return true;
}

/** Decides, without parsing, whether `text` is small enough to format; cheap enough for every delta. */
export function viewMessage(text: string): MessageView {
  if (text.length > MAX_FORMATTED_CHARS) return { kind: 'plain', note: TOO_LARGE_NOTE };
  return { kind: 'markdown', blocks: splitBlocks(text) };
}

const cache = new Map<string, BlockView>();
const CACHE_LIMIT = 2000;
/** Every prefix of a streamed block passes through; this bounds what they keep alive. */
const CACHE_CHARS = 4_000_000;
let cachedChars = 0;

/** One block as HTML, or as plain text when it is too nested or fails; never throws. Remembered. */
export function renderBlock(block: string): BlockView {
  const hit = cache.get(block);
  if (hit !== undefined) return hit;
  const view = viewBlock(block);
  while (cache.size > 0 && (cache.size >= CACHE_LIMIT || cachedChars + block.length > CACHE_CHARS)) {
    const oldest = cache.keys().next().value!;
    cache.delete(oldest);
    cachedChars -= oldest.length;
  }
  cache.set(block, view);
  cachedChars += block.length;
  return view;
}

function viewBlock(block: string): BlockView {
  if (block.length > MAX_FORMATTED_CHARS) return { kind: 'plain', note: TOO_LARGE_NOTE };
  if (tooTangled(block)) return { kind: 'plain', note: UNFORMATTABLE_NOTE };
  try {
    return { kind: 'html', html: renderMarkdown(block) };
  } catch {
    return { kind: 'plain', note: UNFORMATTABLE_NOTE };
  }
}

/** Whether formatting `block` would take `marked` into its slow, stack-hungry emphasis matching. */
export function tooTangled(block: string): boolean {
  return emphasisDepth(outsideFences(block)) > MAX_EMPHASIS_DEPTH;
}

/**
 * How many emphasis delimiters are open at most, read the way CommonMark flanking rules roughly
 * would: a run before a non-space opens, after a non-space closes, and one inside a word only
 * closes what is open (so snake_case counts nothing). Code spans are left out. Linear.
 */
export function emphasisDepth(text: string): number {
  const prose = withoutCodeSpans(text);
  let depth = 0;
  let max = 0;
  for (const run of prose.matchAll(DELIMITER_RUN)) {
    const before = prose[run.index - 1] ?? ' ';
    const after = prose[run.index + run[0].length] ?? ' ';
    const opens = !SPACE.test(after);
    const closes = !SPACE.test(before);
    if (closes && (depth > 0 || opens)) depth = Math.max(0, depth - run[0].length);
    else if (opens) max = Math.max(max, (depth += run[0].length));
  }
  return max;
}

/**
 * `text` without its code spans: a run of backticks up to the next run of the same length.
 * Done by hand because the obvious regular expression backtracks quadratically on long runs.
 */
function withoutCodeSpans(text: string): string {
  if (!text.includes('`')) return text;
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const next: (number | undefined)[] = [];
  const seen = new Map<number, number>();
  for (let i = runs.length - 1; i >= 0; i--) {
    const length = runs[i]!.end - runs[i]!.start;
    next[i] = seen.get(length);
    seen.set(length, i);
  }
  let kept = '';
  let from = 0;
  for (let i = 0; i < runs.length; i++) {
    const close = next[i];
    if (close === undefined) continue;
    kept += text.slice(from, runs[i]!.start);
    from = runs[close]!.end;
    i = close;
  }
  return kept + text.slice(from);
}

const DELIMITER_RUN = /[*_~]+/g;
const SPACE = /\s/;

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
      if (closesFence(line, open, fence)) fence = null;
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

function closesFence(line: string, open: RegExpExecArray | null, fence: string): boolean {
  return open !== null && open[1]!.startsWith(fence[0]!) && open[1]!.length >= fence.length && line.trim() === open[0].trim();
}

/** The lines of `text` outside fenced code, where emphasis can be. */
function outsideFences(text: string): string {
  if (!text.includes('```') && !text.includes('~~~')) return text;
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const open = FENCE.exec(line);
    if (fence) {
      if (closesFence(line, open, fence)) fence = null;
    } else if (open) fence = open[1]!;
    else kept.push(line);
  }
  return kept.join('\n');
}

function trimBlank(lines: string[]): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  return lines.slice(0, end).join('\n');
}
