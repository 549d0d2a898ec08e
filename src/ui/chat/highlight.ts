/**
 * Syntax colouring for code blocks: highlight.js core with the languages agents write most,
 * registered by hand so the bundle carries ~20 grammars instead of ~190.
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, shell, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** Above this size a block is shown plain: colouring it would stall the page. */
const MAX_HIGHLIGHT_CHARS = 50_000;

/** HTML for the code's text: coloured spans when the language is known, escaped text otherwise. */
export function highlightCode(code: string, lang: string | undefined): { html: string; language: string | null } {
  const name = lang?.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const language = name && hljs.getLanguage(name) ? name : null;
  if (!language || code.length > MAX_HIGHLIGHT_CHARS) return { html: escapeHtml(code), language };
  return { html: hljs.highlight(code, { language, ignoreIllegals: true }).value, language };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * Compiles the grammars ahead of need, one per idle period: highlight.js builds a language's
 * regular expressions on its first use, tens of milliseconds that would otherwise land in the
 * middle of a streamed answer.
 */
export function warmHighlighter(): void {
  const idle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 50));
  const names = Object.keys(LANGUAGES);
  const next = () => {
    const name = names.shift();
    if (!name) return;
    hljs.highlight('x', { language: name, ignoreIllegals: true });
    idle(next);
  };
  idle(next);
}
