/**
 * The texts of local compaction: the request asking the model for a hand-off note, and the
 * user message that carries the note in the compacted history.
 */
import type { ResponseItem } from '../items';

/** How the message carrying a hand-off note begins; marks it as engine-made. */
export const SUMMARY_OPEN = '<compaction_summary>';
const SUMMARY_CLOSE = '</compaction_summary>';

/** Sent as the last user message of a summary request (with no tools offered). */
export const HANDOFF_REQUEST = [
  'Stop here and write a hand-off note. Everything above is about to be replaced by your note',
  '(plus the messages the user typed), and whoever continues, possibly you without this',
  'context, must be able to pick the work up from the note alone.',
  '',
  'Cover, in compact Markdown:',
  '- the goal and every requirement or preference the user stated;',
  '- what has been done: files created or changed (with paths), commands run and what they showed, decisions taken and why;',
  '- the current state: what works, what fails, and the exact error text that matters;',
  '- what is left, as concrete next steps, starting with the step that was in progress.',
  '',
  'Prefer names, paths and numbers to prose. Do not call tools and do not address the user: write only the note.',
].join('\n');

/** The text of the user message holding `summary` in a compacted history. */
export function summaryMessageText(summary: string): string {
  return [
    SUMMARY_OPEN,
    'The conversation before this point was compacted. What follows is the hand-off note written',
    'at that moment; the messages the user typed are kept above it as they were. Continue from here.',
    '',
    summary.trim(),
    SUMMARY_CLOSE,
  ].join('\n');
}

/** Whether `item` is the engine's request for a hand-off note. */
export function isHandoffRequest(item: ResponseItem | undefined): boolean {
  if (item?.type !== 'message' || item.role !== 'user') return false;
  const first = item.content[0];
  return first?.type === 'input_text' && first.text === HANDOFF_REQUEST;
}
