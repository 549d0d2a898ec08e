/**
 * Cleaning the WebContainer's terminal output.
 *
 * `jsh --osc` talks to its host through private OSC sequences, `ESC ] 654 ; <payload> BEL`
 * (payloads seen in the wild: `interactive` once the shell takes input, `prompt` before each
 * prompt, `exit=<pid>:<code>` after each command). They are noise for the model and leak
 * as stray characters in a terminal when a sequence is split across two chunks, so they are
 * taken out here — across chunk boundaries — and reported to a callback instead.
 *
 * Output for the model (not a tty) also gets every other OSC sequence (window titles, …)
 * removed and the pseudo-terminal's CRLF line endings turned back into LF.
 */

const ESC = '\x1b';
const BEL = '\x07';
/** An unterminated "OSC" longer than this is not one: it is passed through as text. */
const MAX_OSC_LENGTH = 4096;

export interface OscSignal {
  /** The payload before any '=': 'interactive', 'prompt', 'exit', … */
  code: string;
  /** The text after '=', if any. */
  value?: string;
}

export interface OutputFilterOptions {
  /** Remove every OSC sequence, not just the shell's private 654 ones. */
  stripAllOsc?: boolean;
  /** Turn CRLF into LF (a lone CR, as progress bars use, is kept). */
  normalizeNewlines?: boolean;
  onSignal?: (signal: OscSignal) => void;
}

export interface OutputFilter {
  /** Cleans one chunk; may hold back an incomplete sequence until the next one. */
  push(chunk: string): string;
  /** Returns whatever was held back, as text. */
  flush(): string;
}

export function createOutputFilter(options: OutputFilterOptions = {}): OutputFilter {
  let pending = '';
  let heldCr = false;

  const newlines = (text: string, final: boolean): string => {
    if (!options.normalizeNewlines) return text;
    let out = heldCr ? `\r${text}` : text;
    heldCr = false;
    if (!final && out.endsWith('\r')) {
      heldCr = true;
      out = out.slice(0, -1);
    }
    return out.replace(/\r\n/g, '\n');
  };

  return {
    push(chunk) {
      const text = pending + chunk;
      pending = '';
      let out = '';
      let i = 0;
      while (i < text.length) {
        const start = text.indexOf(ESC, i);
        if (start < 0) {
          out += text.slice(i);
          break;
        }
        out += text.slice(i, start);
        if (start + 1 >= text.length) {
          pending = text.slice(start); // a lone ESC: maybe the start of an OSC
          break;
        }
        if (text[start + 1] !== ']') {
          out += ESC;
          i = start + 1;
          continue;
        }
        const end = findTerminator(text, start + 2);
        if (!end) {
          if (text.length - start > MAX_OSC_LENGTH) {
            out += text.slice(start, start + 2);
            i = start + 2;
            continue;
          }
          pending = text.slice(start);
          break;
        }
        const payload = text.slice(start + 2, end.payloadEnd);
        if (payload.startsWith('654;')) options.onSignal?.(parseSignal(payload.slice(4)));
        else if (!options.stripAllOsc) out += text.slice(start, end.next);
        i = end.next;
      }
      return newlines(out, false);
    },
    flush() {
      const rest = pending;
      pending = '';
      return newlines(rest, true);
    },
  };
}

function findTerminator(text: string, from: number): { payloadEnd: number; next: number } | undefined {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === BEL) return { payloadEnd: j, next: j + 1 };
    if (c === ESC) {
      if (j + 1 >= text.length) return undefined; // maybe ESC '\' arriving in the next chunk
      if (text[j + 1] === '\\') return { payloadEnd: j, next: j + 2 };
    }
  }
  return undefined;
}

function parseSignal(payload: string): OscSignal {
  const eq = payload.indexOf('=');
  return eq < 0 ? { code: payload } : { code: payload.slice(0, eq), value: payload.slice(eq + 1) };
}

/**
 * The exit code in an `exit` signal: `exit=<pid>:<code>` (jsh) or `exit=<code>`; undefined
 * for anything else.
 */
export function exitCodeOf(signal: OscSignal): number | undefined {
  if (signal.code !== 'exit' || signal.value === undefined) return undefined;
  const match = /^(?:-?\d+:)?(-?\d+)$/.exec(signal.value.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Removes every OSC sequence from complete text (no streaming). */
export function stripOsc(text: string): string {
  const filter = createOutputFilter({ stripAllOsc: true });
  return filter.push(text) + filter.flush();
}
