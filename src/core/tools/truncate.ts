/**
 * Middle truncation of tool output, measured in approximate tokens (UTF-8 bytes / 4).
 * The head and the tail of the output are what the model needs most (the command's start
 * and its final errors / exit summary), so both ends survive and the middle is replaced by
 * one marker line.
 */

import { BYTES_PER_TOKEN, tokensForBytes, utf8Length } from '../tokens';

export { utf8Length };

export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface TruncateResult {
  text: string;
  /** Approximate token count of the whole output, including bytes removed upstream. */
  originalTokens: number;
  truncated: boolean;
}

export function approxTokens(text: string): number {
  return tokensForBytes(utf8Length(text));
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`; never splits a character. */
export function headByBytes(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  return decoder.decode(bytes.subarray(0, charStartAtOrBefore(bytes, Math.max(0, maxBytes))));
}

/** The longest suffix of `text` whose UTF-8 encoding fits in `maxBytes`; never splits a character. */
export function tailByBytes(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  return decoder.decode(bytes.subarray(charStartAtOrAfter(bytes, bytes.length - Math.max(0, maxBytes))));
}

/**
 * Keeps the first and last halves of a `maxTokens` budget and puts `…N tokens truncated…`
 * on its own line in between, N being the tokens left out. (Compaction cuts items this way;
 * tool output uses `truncateInline`.)
 *
 * `missingBytes` is output already dropped upstream (the process buffer keeps head and tail
 * of at most 1 MiB); it counts towards `originalTokens` and N. Callers pass text whose gap
 * is at its byte midpoint, so when the text itself fits the marker still lands on the gap.
 */
export function truncateMiddle(text: string, maxTokens: number = DEFAULT_MAX_OUTPUT_TOKENS, missingBytes = 0): TruncateResult {
  const cut = cutMiddle(text, maxTokens, missingBytes);
  if (!cut) return uncut(text, missingBytes);
  const { head, tail, marker } = cut;
  const before = head === '' || head.endsWith('\n') ? '' : '\n';
  const after = tail === '' || tail.startsWith('\n') ? '' : '\n';
  return { text: `${head}${before}${marker}${after}${tail}`, originalTokens: cut.originalTokens, truncated: true };
}

function uncut(text: string, missingBytes: number): TruncateResult {
  return { text, originalTokens: tokensForBytes(utf8Length(text) + missingBytes), truncated: false };
}

/**
 * Like `truncateMiddle`, but the marker sits inline between head and tail, as in the output
 * Codex gives the model: `…last line of the head…N tokens truncated…first line of the tail…`.
 */
export function truncateInline(text: string, maxTokens: number = DEFAULT_MAX_OUTPUT_TOKENS, missingBytes = 0): TruncateResult {
  const cut = cutMiddle(text, maxTokens, missingBytes);
  if (!cut) return uncut(text, missingBytes);
  return { text: `${cut.head}${cut.marker}${cut.tail}`, originalTokens: cut.originalTokens, truncated: true };
}

/**
 * Lines in `text` as Rust's `str::lines` counts them (Codex's "Total output lines"): every
 * `\n` ends one, and a last line without one counts too. `missingNewlines` are line breaks in
 * output dropped upstream.
 */
export function countLines(text: string, missingNewlines = 0): number {
  let lines = missingNewlines;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text !== '' && !text.endsWith('\n') ? lines + 1 : lines;
}

interface MiddleCut {
  head: string;
  tail: string;
  marker: string;
  originalTokens: number;
}

/** Head and tail of `text` within the budget, and the marker for the rest; null when it all fits. */
function cutMiddle(text: string, maxTokens: number, missingBytes: number): MiddleCut | null {
  const bytes = encoder.encode(text);
  const total = bytes.length + missingBytes;
  const budget = Math.max(0, Math.floor(maxTokens)) * BYTES_PER_TOKEN;
  if (bytes.length <= budget && missingBytes === 0) return null;

  const headWanted = Math.min(Math.floor(budget / 2), Math.floor(bytes.length / 2));
  const tailWanted = Math.min(budget - headWanted, bytes.length - headWanted);
  const headEnd = charStartAtOrBefore(bytes, headWanted);
  const tailStart = Math.max(headEnd, charStartAtOrAfter(bytes, bytes.length - tailWanted));
  const removedBytes = tailStart - headEnd + missingBytes;
  return {
    head: decoder.decode(bytes.subarray(0, headEnd)),
    tail: decoder.decode(bytes.subarray(tailStart)),
    marker: `…${tokensForBytes(removedBytes)} tokens truncated…`,
    originalTokens: tokensForBytes(total),
  };
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** Moves `index` back to the first byte of the character it falls in. */
function charStartAtOrBefore(bytes: Uint8Array, index: number): number {
  let i = Math.min(index, bytes.length);
  while (i > 0 && isContinuation(bytes[i])) i--;
  return i;
}

/** Moves `index` forward to the next character start. */
function charStartAtOrAfter(bytes: Uint8Array, index: number): number {
  let i = Math.max(0, index);
  while (i < bytes.length && isContinuation(bytes[i])) i++;
  return i;
}
