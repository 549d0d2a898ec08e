/**
 * Rewriting a page's HTML for the preview frame, without a DOM (it runs wherever the site is
 * built, tests included): the attributes that load a file (`src`, `href` of stylesheets and
 * icons, `poster`) point at the file's token; a module script becomes an import of its
 * `unroll:` name; inline module scripts have their imports rewritten; the page's own import
 * map is taken out (its entries join the preview's); `url(…)` in `<style>` and `style=""` is
 * rewritten as in stylesheets. Everything else is left byte for byte.
 */

export interface HtmlRewrite {
  /** The token (or text) for a reference in the page, or undefined to leave it. */
  reference(url: string): string | undefined;
  /** The replacement for a module script's `src`: the body of an inline module script. */
  moduleScript(src: string): string;
  /** An inline module script's code with its imports rewritten. */
  inlineModule(code: string): string;
  /** CSS text with its references rewritten. */
  css(text: string): string;
}

export interface RewrittenHtml {
  html: string;
  /** The `imports` of the page's own import map, if it had one. */
  importMap: Record<string, string>;
}

const TAG = /<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>|<([a-zA-Z][a-zA-Z0-9-]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--[\s\S]*?-->/g;
const ATTR = /([^\s"'=<>`/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

function attrs(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(ATTR)) {
    const raw = match[2] ?? '';
    found.set((match[1] ?? '').toLowerCase(), raw.replace(/^["']|["']$/g, ''));
  }
  return found;
}

const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
const unescapeAttr = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Replaces the value of `name` in an attribute list, keeping the rest. */
function withAttr(source: string, name: string, value: string): string {
  let done = false;
  const out = source.replace(ATTR, (whole, key: string) => {
    if (done || key.toLowerCase() !== name) return whole;
    done = true;
    return `${key}="${escapeAttr(value)}"`;
  });
  return out;
}

const LOADING_ATTRS: Record<string, string[]> = {
  img: ['src'],
  source: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  embed: ['src'],
  input: ['src'],
  link: ['href'],
  script: ['src'],
};

export function rewriteHtml(html: string, rewrite: HtmlRewrite): RewrittenHtml {
  let importMap: Record<string, string> = {};
  const out = html.replace(
    TAG,
    (
      whole,
      blockTag: string | undefined,
      blockAttrs: string | undefined,
      body: string | undefined,
      tag: string | undefined,
      tagAttrs: string | undefined,
    ) => {
      if (blockTag) {
        const name = blockTag.toLowerCase();
        const list = attrs(blockAttrs ?? '');
        if (name === 'style') return `<style${blockAttrs ?? ''}>${rewrite.css(body ?? '')}</style>`;
        const type = (list.get('type') ?? '').toLowerCase();
        if (type === 'importmap') {
          try {
            const parsed = JSON.parse(body ?? '') as { imports?: Record<string, string> };
            importMap = { ...importMap, ...(parsed.imports ?? {}) };
          } catch {
            // An unreadable import map is dropped: the console says which imports are missing.
          }
          return '';
        }
        const src = list.get('src');
        if (type === 'module') {
          if (src !== undefined) return `<script type="module">${rewrite.moduleScript(unescapeAttr(src))}</script>`;
          return `<script${blockAttrs ?? ''}>${rewrite.inlineModule(body ?? '')}</script>`;
        }
        if (src !== undefined) {
          const token = rewrite.reference(unescapeAttr(src));
          return token === undefined ? whole : `<script${withAttr(blockAttrs ?? '', 'src', token)}>${body ?? ''}</script>`;
        }
        return whole;
      }
      if (!tag) return whole;
      const name = tag.toLowerCase();
      let source = tagAttrs ?? '';
      const list = attrs(source);
      for (const attr of LOADING_ATTRS[name] ?? []) {
        const value = list.get(attr);
        if (value === undefined) continue;
        if (name === 'link' && !/\b(stylesheet|icon|preload|modulepreload|manifest)\b/i.test(list.get('rel') ?? '')) continue;
        const token = rewrite.reference(unescapeAttr(value));
        if (token !== undefined) source = withAttr(source, attr, token);
      }
      const style = list.get('style');
      if (style !== undefined && /url\(/i.test(style)) source = withAttr(source, 'style', rewrite.css(unescapeAttr(style)));
      return `<${tag}${source}>`;
    },
  );
  return { html: out, importMap };
}

/** Puts `insert` at the start of the page's head (or of the page, when it has none). */
export function injectIntoHead(html: string, insert: string): string {
  const head = /<head\b[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + insert + html.slice(head.index + head[0].length);
  const htmlTag = /<html\b[^>]*>/i.exec(html);
  if (htmlTag) return html.slice(0, htmlTag.index + htmlTag[0].length) + `<head>${insert}</head>` + html.slice(htmlTag.index + htmlTag[0].length);
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  const at = doctype ? doctype[0].length : 0;
  return html.slice(0, at) + insert + html.slice(at);
}

/** Rewrites `url(…)` and `@import "…"` references in CSS text with `reference`. */
export function rewriteCss(text: string, reference: (url: string) => string | undefined): string {
  return text
    .replace(/url\(\s*(["']?)([^"')]+)\1\s*\)/gi, (whole, quote: string, url: string) => {
      const token = reference(url.trim());
      return token === undefined ? whole : `url("${token}")`;
    })
    .replace(/@import\s+(["'])([^"']+)\1/gi, (whole, _quote: string, url: string) => {
      const token = reference(url.trim());
      return token === undefined ? whole : `@import "${token}"`;
    });
}
