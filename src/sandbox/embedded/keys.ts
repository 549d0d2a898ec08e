/**
 * Turns terminal input (what xterm.js hands to `onData`) into keys for the line shell.
 * Runs of printable characters become one `text` key, so a paste is one edit. An escape
 * sequence split across two writes is held until the rest arrives.
 */

export type KeyName =
  | 'enter'
  | 'backspace'
  | 'delete'
  | 'left'
  | 'right'
  | 'up'
  | 'down'
  | 'home'
  | 'end'
  | 'interrupt' // Ctrl-C
  | 'eof' // Ctrl-D
  | 'clear-screen' // Ctrl-L
  | 'kill-start' // Ctrl-U
  | 'kill-end' // Ctrl-K
  | 'delete-word' // Ctrl-W
  | 'tab';

export type Key = { name: 'text'; text: string } | { name: KeyName };

const CONTROL: Record<string, KeyName> = {
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x01': 'home',
  '\x05': 'end',
  '\x02': 'left',
  '\x06': 'right',
  '\x10': 'up',
  '\x0e': 'down',
  '\x03': 'interrupt',
  '\x04': 'eof',
  '\x0c': 'clear-screen',
  '\x15': 'kill-start',
  '\x0b': 'kill-end',
  '\x17': 'delete-word',
  '\t': 'tab',
};

/** Final byte (with parameters where they matter) of CSI / SS3 sequences we act on. */
const SEQUENCES: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  '1~': 'home',
  '7~': 'home',
  '4~': 'end',
  '8~': 'end',
  '3~': 'delete',
};

export class KeyDecoder {
  #pending = '';
  #afterCR = false;

  feed(data: string): Key[] {
    const input = this.#pending + data;
    this.#pending = '';
    const keys: Key[] = [];
    let text = '';
    const flush = () => {
      if (text) keys.push({ name: 'text', text });
      text = '';
    };
    let i = 0;
    while (i < input.length) {
      const ch = input[i] as string;
      const wasCR = this.#afterCR;
      this.#afterCR = ch === '\r';
      if (ch === '\x1b') {
        const end = sequenceEnd(input, i);
        if (end === undefined) {
          flush();
          this.#pending = input.slice(i);
          return keys;
        }
        flush();
        const name = decodeSequence(input.slice(i, end));
        if (name) keys.push({ name });
        i = end;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        flush();
        // "\r\n" (a pasted Windows line end, or a terminal in CRLF mode) is one Enter.
        if (!(ch === '\n' && wasCR)) keys.push({ name: 'enter' });
      } else if (ch < ' ' || ch === '\x7f') {
        flush();
        const name = CONTROL[ch];
        if (name) keys.push({ name });
      } else {
        text += ch;
      }
      i++;
    }
    flush();
    return keys;
  }
}

/**
 * Where the escape sequence starting at `start` ends (exclusive), or undefined when the
 * input stops inside a CSI/SS3 sequence. ESC followed by anything else is a two-character
 * (Alt+key) sequence, ignored; ESC alone at the end of the input is the Escape key, ignored
 * (xterm.js delivers a sequence in one piece, so it is not the start of a split one).
 */
function sequenceEnd(input: string, start: number): number | undefined {
  const kind = input[start + 1];
  if (kind === undefined) return start + 1;
  if (kind !== '[' && kind !== 'O') return start + 2;
  for (let j = start + 2; j < input.length; j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x40 && code <= 0x7e) return j + 1; // final byte
    if (code < 0x20 || code > 0x3f) return j; // malformed: drop what came before
  }
  return undefined;
}

function decodeSequence(seq: string): KeyName | undefined {
  if (seq.length < 3) return undefined;
  const final = seq[seq.length - 1] as string;
  if (final === '~') {
    const first = seq.slice(2, -1).split(';')[0] ?? '';
    return SEQUENCES[`${first}~`];
  }
  // Modified arrows (ESC [ 1 ; 5 D) move like plain ones.
  return SEQUENCES[final];
}
