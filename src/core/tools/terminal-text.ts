/**
 * Terminal output as plain text for the model.
 *
 * Commands may run on a pseudo-terminal (every WebContainer process does), so their output
 * carries colours, cursor movement, window titles and progress bars that redraw one line
 * over and over. The model needs none of that: `terminalText` removes every escape sequence
 * (CSI, OSC, DCS/SOS/PM/APC strings, two-character ESC sequences) and keeps only the last
 * version of a redrawn line.
 *
 * Line model (no columns): `\r` followed by more text on the same line starts the line over;
 * `\r\n` is an ordinary newline; a trailing `\r` changes nothing. Erasing the line (`ESC[2K`,
 * or `ESC[K` right after `\r`), moving to column 1 (`ESC[G`, `ESC[1G`) and moving up or down
 * (`ESC[nA`, `ESC[nB`, as multi-line spinners redraw) are followed, and text written on a row
 * reached again replaces it; every other sequence is dropped. Backspace removes the previous character.
 * Other control characters except tab are dropped.
 *
 * Pure and total: any string in, a string out; text without escapes, `\r` or control
 * characters comes back unchanged.
 */

// CSI (7-bit or 8-bit introducer) with its parameters; a sequence cut off at the end of the
// text (the rest in a later chunk) is consumed too.
const CSI = String.raw`(?:\x1b\[|\x9b)([0-?]*)[ -/]*(?:([@-~])|$)`;
const OSC = String.raw`\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)`;
const STRING = String.raw`\x1b[PX^_][\s\S]*?(?:\x1b\\|$)`;
const ESC_SEQ = String.raw`\x1b[ -/]*[0-~]?`;
const TOKEN = new RegExp(
  `${CSI}|${OSC}|${STRING}|${ESC_SEQ}|(\\r\\n|\\n)|(\\r)|(\\x08)|[\\x00-\\x07\\x0b-\\x1f\\x7f]|([^\\x00-\\x1f\\x7f\\x9b]+|\\t)`,
  'g',
);

/** Fast path: nothing a terminal would interpret. */
const PLAIN = /^[^\x00-\x08\x0b-\x1f\x7f\x9b]*$/;

export function terminalText(raw: string): string {
  if (PLAIN.test(raw)) return raw;
  const lines: string[] = [''];
  let row = 0;
  /** A `\r` was seen: the next text on this row replaces it. */
  let restart = false;

  const ensureRow = () => {
    while (lines.length <= row) lines.push('');
  };
  const write = (text: string) => {
    if (restart) {
      lines[row] = '';
      restart = false;
    }
    lines[row] += text;
  };

  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(raw); match !== null; match = TOKEN.exec(raw)) {
    const [, params, final, newline, cr, backspace, text] = match;
    if (text !== undefined) write(text);
    else if (newline !== undefined) {
      row++;
      ensureRow();
      restart = true; // a row reached again after moving up is drawn anew
    } else if (cr !== undefined) restart = true;
    else if (backspace !== undefined) {
      if (!restart) lines[row] = (lines[row] as string).slice(0, -1);
    } else if (final !== undefined) {
      const n = params === undefined || params === '' ? 1 : Number.parseInt(params, 10) || 1;
      if (final === 'K') {
        if (params === '2' || restart) {
          lines[row] = '';
          restart = false;
        }
      } else if (final === 'G') {
        if (n <= 1) restart = true;
      } else if (final === 'A' || final === 'B') {
        row = final === 'A' ? Math.max(0, row - n) : row + n;
        ensureRow();
        restart = true;
      }
    }
  }
  return lines.join('\n');
}
