/**
 * Locating hunks in a file's lines and rewriting the text. Pure: no IO, no clock.
 *
 * Lines are compared at four levels, loosest last; each level scans the whole search range
 * before the next is tried, so an exact match further down beats a loose one nearer.
 */
import { type Hunk, type HunkLine, PatchError, hunkOldLines } from './parse';

export type MatchLevel = 'exact' | 'trim-end' | 'trim' | 'unicode';

const PUNCTUATION: ReadonlyArray<readonly [string, string]> = [
  ['\u2018\u2019\u201A\u201B\u2032', "'"], // curly/low single quotes, prime
  ['\u201C\u201D\u201E\u201F\u2033', '"'], // curly/low double quotes, double prime
  ['\u2010\u2011\u2012\u2013\u2014\u2015\u2212', '-'], // hyphens, dashes, minus sign
  ['\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000', ' '],
  ['\u200B\u200C\u200D\u2060\uFEFF', ''], // zero-width characters
  ['\u2026', '...'],
];
const PUNCTUATION_MAP = new Map<string, string>(PUNCTUATION.flatMap(([chars, ascii]) => [...chars].map((ch) => [ch, ascii] as const)));
const PUNCTUATION_RE = new RegExp(`[${[...PUNCTUATION_MAP.keys()].join('')}]`, 'g');

/** Replaces typographic punctuation and unusual spaces with their plain ASCII forms. */
export function normalizeUnicode(text: string): string {
  return text.replace(PUNCTUATION_RE, (ch) => PUNCTUATION_MAP.get(ch) ?? ch);
}

const LEVELS: ReadonlyArray<readonly [MatchLevel, (line: string) => string]> = [
  ['exact', (s) => s],
  ['trim-end', (s) => s.trimEnd()],
  ['trim', (s) => s.trim()],
  ['unicode', (s) => normalizeUnicode(s).trim()],
];

export interface SeekResult {
  /** Index in `lines` of the first matched line. */
  index: number;
  level: MatchLevel;
}

/**
 * Finds `pattern` as consecutive lines of `lines` at or after `start`. With `atEnd`, the
 * position that ends at the last line is tried first (at every level), then the usual scan.
 */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, atEnd = false): SeekResult | null {
  const from = Math.max(0, start);
  const last = lines.length - pattern.length;
  if (pattern.length === 0 || last < from) return null;
  const candidates = atEnd ? [last] : [];
  for (const scan of [candidates, null]) {
    for (const [level, norm] of LEVELS) {
      const want = pattern.map(norm);
      const at = (index: number) => want.every((p, k) => norm(lines[index + k] ?? '') === p);
      if (scan) {
        for (const index of scan) if (at(index)) return { index, level };
        continue;
      }
      for (let index = from; index <= last; index++) if (at(index)) return { index, level };
    }
  }
  return null;
}

export interface Replacement {
  start: number;
  deleteCount: number;
  insert: string[];
}

/**
 * Works out where each hunk applies, in order, each search starting after the previous
 * hunk. Throws a PatchError naming `path` and quoting the lines that were not found.
 */
function locateHunks(lines: readonly string[], hunks: readonly Hunk[], path: string): Replacement[] {
  const replacements: Replacement[] = [];
  let cursor = 0;
  hunks.forEach((hunk, n) => {
    const label = hunks.length > 1 ? `hunk ${n + 1} of ${hunks.length}` : 'the hunk';
    let from = cursor;
    let contextIndex: number | undefined;
    if (hunk.context !== undefined) {
      const found = seekSequence(lines, [hunk.context], cursor);
      if (!found) {
        throw new PatchError(
          `Failed to apply ${label} in ${path} (patch line ${hunk.line}): the context line ` +
            `"@@ ${hunk.context}" was not found${cursor > 0 ? ` after line ${cursor}` : ''}. ` +
            'Read the file again and use a line that exists in it.',
          hunk.line,
        );
      }
      contextIndex = found.index;
      from = found.index + 1;
    }

    let body = hunk.lines;
    if (!body.some((l) => l.kind !== 'add')) {
      // Pure insertion: right after the `@@` context line, else at the end of the file. One
      // without a context line does not move the search: later hunks still match from here
      // (as Codex does), so an append listed first cannot hide the rest of the file.
      const at = contextIndex !== undefined ? contextIndex + 1 : lines.length;
      replacements.push({ start: at, deleteCount: 0, insert: body.map((l) => l.text) });
      if (contextIndex !== undefined) cursor = at;
      return;
    }

    const seek = (start: number) => seekSequence(lines, oldOf(body), start, hunk.endOfFile);
    let found = seek(from);
    // Models often repeat the `@@` line as the hunk's first context line.
    if (!found && contextIndex !== undefined) found = seek(contextIndex);
    // A trailing blank context line is often just the separator before the next op.
    while (!found && body.length > 1 && body.at(-1)?.kind === 'context' && body.at(-1)?.text === '') {
      body = body.slice(0, -1);
      found = seek(from);
    }
    if (!found) {
      throw new PatchError(notFoundMessage(lines, hunkOldLines(hunk), from, label, path, hunk), hunk.line);
    }
    // Context lines keep the file's own text: a loose match must not rewrite unchanged lines.
    const insert: string[] = [];
    let k = found.index;
    for (const l of body) {
      if (l.kind === 'add') insert.push(l.text);
      else if (l.kind === 'context') insert.push(lines[k++] ?? l.text);
      else k++;
    }
    replacements.push({ start: found.index, deleteCount: k - found.index, insert });
    cursor = k;
  });
  return replacements;
}

function oldOf(body: readonly HunkLine[]): string[] {
  return body.filter((l) => l.kind !== 'add').map((l) => l.text);
}

function notFoundMessage(lines: readonly string[], expected: readonly string[], from: number, label: string, path: string, hunk: Hunk): string {
  const quoted = expected.map((l) => `  | ${l}`).join('\n');
  let message =
    `Failed to apply ${label} in ${path} (patch line ${hunk.line}): these expected lines ` +
    `(the hunk's context and "-" lines) were not found${from > 0 ? ` after line ${from}` : ''}` +
    `${hunk.endOfFile ? ' at the end of the file' : ''}:\n${quoted}`;
  const near = closestPrefix(lines, expected, from);
  if (near) {
    message +=
      `\nThe closest place is line ${near.index + 1}: the first ${near.matched} line(s) match, then the file has ` +
      `${JSON.stringify(lines[near.index + near.matched] ?? '<end of file>')} where the patch expects ` +
      `${JSON.stringify(expected[near.matched] ?? '')}.`;
  }
  return `${message}\nRead the file again and copy the context and "-" lines exactly as they are.`;
}

/** Where the longest run of leading expected lines matches (loosely), if any does. */
function closestPrefix(lines: readonly string[], expected: readonly string[], from: number): { index: number; matched: number } | null {
  const norm = (s: string) => normalizeUnicode(s).trim();
  const want = expected.map(norm);
  let best: { index: number; matched: number } | null = null;
  for (let index = from; index < lines.length; index++) {
    let matched = 0;
    while (matched < want.length && norm(lines[index + matched] ?? '\0') === want[matched]) matched++;
    if (matched > 0 && matched < want.length && (!best || matched > best.matched)) best = { index, matched };
  }
  return best;
}

/**
 * Applies non-overlapping replacements to a copy of `lines`, last position first. Replacements
 * at the same position (two appends at the end of the file) keep the order the patch gave them.
 */
function applyReplacements(lines: readonly string[], replacements: readonly Replacement[]): string[] {
  const out = [...lines];
  const ordered = [...replacements].sort((a, b) => a.start - b.start);
  for (const r of ordered.reverse()) out.splice(r.start, r.deleteCount, ...r.insert);
  return out;
}

export interface SplitText {
  lines: string[];
  /** The file's line separator: CRLF when the file uses it, LF otherwise. */
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

function splitText(text: string): SplitText {
  if (text === '') return { lines: [], eol: '\n', finalNewline: true };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const finalNewline = text.endsWith('\n');
  const body = finalNewline ? text.slice(0, -1) : text;
  const lines = body.split('\n').map((l) => (eol === '\r\n' && l.endsWith('\r') ? l.slice(0, -1) : l));
  return { lines, eol, finalNewline };
}

function joinText({ lines, eol, finalNewline }: SplitText): string {
  if (lines.length === 0) return '';
  return lines.join(eol) + (finalNewline ? eol : '');
}

const BOM = '\uFEFF';

/**
 * The new text of a file after its hunks. Keeps the file's line separator, its byte-order mark
 * and whether it ended with a newline (an empty file gets one).
 */
export function applyHunks(text: string, hunks: readonly Hunk[], path: string): string {
  // The mark is not part of the first line: hunks match and replace that line without it.
  const bom = text.startsWith(BOM) ? BOM : '';
  const split = splitText(text.slice(bom.length));
  const replacements = locateHunks(split.lines, hunks, path);
  return bom + joinText({ ...split, lines: applyReplacements(split.lines, replacements) });
}
