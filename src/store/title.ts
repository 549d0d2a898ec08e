/** Session titles: the default, and the automatic one taken from what the person first asked. */
import { isContextMessage } from '../core/context/index';
import { messageText, type ResponseItem } from '../core/items';

export const DEFAULT_TITLE = 'New session';
export const MAX_TITLE_CHARS = 60;

/**
 * `text` as a title: whitespace collapsed to single spaces (one line), trimmed, and cut to
 * `MAX_TITLE_CHARS` with an ellipsis at a word boundary when one is near. '' for blank text.
 */
export function titleFromText(text: string, max = MAX_TITLE_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line); // code points, so an emoji is never split in half
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  const head = space >= max * 0.6 ? cut.slice(0, space) : cut;
  return `${head.trimEnd()}…`;
}

/** The title a user message gives the session, or '' when the item is not one the person typed. */
export function autoTitle(item: ResponseItem): string {
  if (item.type !== 'message' || item.role !== 'user' || isContextMessage(item)) return '';
  return titleFromText(messageText(item));
}

/** What a session made from another one is marked as in its title. */
export type TitleMark = 'copy' | 'fork' | 'imported';

const MARK = / \((?:copy|fork|imported)\)$/;

/**
 * `title` with " (copy)", " (fork)" or " (imported)" at the end. Marks never stack: one the
 * title already ends with is replaced, so a fork of "x (fork)" is "x (fork)" again.
 */
export function markedTitle(title: string, mark: TitleMark): string {
  return `${title.replace(MARK, '')} (${mark})`;
}
