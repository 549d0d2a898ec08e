/**
 * Plain text cut into pieces for the page: each piece is its own element, laid out on its own,
 * so revealing more of a huge text costs only the new pieces, and a streamed text that grows
 * touches only its last one.
 */

/** Characters in one piece: about a screenful's worth of layout work (tens of ms). */
export const CHUNK_CHARS = 50_000;
/** A cut looks this far back for a line end, so pieces end where lines do when they can. */
const LOOK_BACK = 5_000;

/**
 * The leading pieces of `text`, as many as start before `limit` characters. Each cut depends
 * only on the text before it, so pieces already shown keep their bounds while the text grows;
 * a cut never splits a surrogate pair.
 */
export function plainChunks(text: string, limit: number, size = CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length && start < limit) {
    const end = cutAfter(text, start, size);
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

function cutAfter(text: string, start: number, size: number): number {
  const hard = start + size;
  if (hard >= text.length) return text.length;
  // Searched by hand: lastIndexOf cannot be told where to stop, and would scan back to the start.
  const floor = hard - Math.min(LOOK_BACK, size / 2);
  for (let i = hard - 1; i >= floor; i--) if (text.charCodeAt(i) === 10) return i + 1;
  const code = text.charCodeAt(hard - 1);
  // A high surrogate at the end would leave half a character on each side.
  return code >= 0xd800 && code <= 0xdbff ? hard - 1 : hard;
}

/** "1.2 MB", "340 KB": how much text is left out, for a button. */
export function describeSize(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(chars / 1024))} KB`;
}
