/**
 * A small, deliberately strict shell tokenizer for the command-safety check: it understands
 * words, quotes, escapes, comments, the control operators `&&` `||` `;` `|` and newlines,
 * and output redirections that only discard or merge output. Everything else that could
 * make a command do more than its words say returns null.
 */

/** One shell word after quote removal. */
export interface Word {
  value: string;
  /** Contains an unquoted `*`, `?` or `[`: it may expand to several file names. */
  hasGlob: boolean;
  /** The glob could expand to a name starting with `-`, i.e. smuggle in an option. */
  globMayBeOption: boolean;
}

export type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: '&&' | '||' | ';' | '|' };

/**
 * A command line as the simple commands it chains with `&&` `||` `;` `|` (or newlines);
 * null when `tokenize` refuses it or an operator has no command on one side.
 */
export function parseSimpleCommands(src: string): Word[][] | null {
  const tokens = tokenize(src);
  if (!tokens) return null;
  const commands: Word[][] = [];
  let current: Word[] = [];
  let lastOp: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'word') {
      current.push(token.word);
      continue;
    }
    if (current.length === 0) {
      // Blank lines and repeated `;` between commands are harmless; a dangling && || | is not.
      if (token.op === ';' && (lastOp === undefined || lastOp === ';')) continue;
      return null;
    }
    commands.push(current);
    current = [];
    lastOp = token.op;
  }
  if (current.length > 0) commands.push(current);
  else if (lastOp !== undefined && lastOp !== ';') return null;
  return commands;
}

/**
 * Whether `arg` is the long option `--option` as GNU getopt (and git) read it: the full name
 * or any abbreviation of it (`--outp` for `--output`), with or without `=value`. `exact` lists
 * the tool's other options whose full names are also abbreviations of `option` (git's `--text`
 * for `--textconv`): an exact name wins over an abbreviation, so those are not it.
 */
export function isLongOption(arg: string, option: string, exact: readonly string[] = []): boolean {
  if (!arg.startsWith('--')) return false;
  const name = arg.slice(2).split('=', 1)[0] as string;
  return name !== '' && option.startsWith(name) && !exact.includes(name);
}

/** A single-dash option cluster (`-no`, `-z`) containing `letter`. */
export function hasShortFlag(arg: string, letter: string): boolean {
  return arg.startsWith('-') && !arg.startsWith('--') && arg.slice(1).includes(letter);
}

const GLOB_CHARS = '*?[';
const BREAK_CHARS = ' \t\n;&|<>()';

/**
 * Splits a command line into words (quotes removed, escapes applied) and control operators.
 * Returns null for anything that could do more than the words say. Redirections that only
 * discard or merge output (`2>/dev/null`, `2>&1`, `&>/dev/null`) are accepted and dropped.
 */
export function tokenize(src: string): Token[] | null {
  const tokens: Token[] = [];
  let value = '';
  let started = false; // a word is in progress (possibly an empty quoted one)
  let quoted = false; // some part of it was quoted or escaped
  let globAt = -1; // index in `value` of the first unquoted glob character

  const flush = () => {
    if (started) {
      const prefix = globAt >= 0 ? value.slice(0, globAt) : '';
      tokens.push({
        kind: 'word',
        word: { value, hasGlob: globAt >= 0, globMayBeOption: globAt >= 0 && (prefix === '' || prefix.startsWith('-')) },
      });
    }
    value = '';
    started = false;
    quoted = false;
    globAt = -1;
  };

  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    const next = src[i + 1];
    if (c === ' ' || c === '\t') {
      flush();
      i++;
    } else if (c === '\n') {
      flush();
      tokens.push({ kind: 'op', op: ';' });
      i++;
    } else if (c === '#' && !started) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) return null;
      value += src.slice(i + 1, end);
      started = quoted = true;
      i = end + 1;
    } else if (c === '"') {
      const end = readDoubleQuoted(src, i + 1);
      if (!end) return null;
      value += end.text;
      started = quoted = true;
      i = end.next;
    } else if (c === '\\') {
      if (next === undefined) return null;
      if (next !== '\n') {
        value += next;
        started = quoted = true;
      }
      i += 2;
    } else if (c === '$') {
      if (startsExpansion(next)) return null;
      value += c;
      started = true;
      i++;
    } else if (c === '`' || c === '(' || c === ')' || c === '{' || c === '}' || c === '<') {
      return null;
    } else if (c === ';') {
      if (next === ';' || next === '&') return null;
      flush();
      tokens.push({ kind: 'op', op: ';' });
      i++;
    } else if (c === '|') {
      if (next === '&') return null;
      flush();
      tokens.push({ kind: 'op', op: next === '|' ? '||' : '|' });
      i += next === '|' ? 2 : 1;
    } else if (c === '&') {
      if (next === '&') {
        flush();
        tokens.push({ kind: 'op', op: '&&' });
        i += 2;
      } else if (next === '>') {
        flush();
        const end = readRedirectTarget(src, i + 2);
        if (end < 0) return null;
        i = end;
      } else return null; // background job
    } else if (c === '>') {
      // `2>` is a redirection of fd 2 only when the digits form the whole unquoted word so far.
      if (started && !(/^\d+$/.test(value) && !quoted)) flush();
      value = '';
      started = quoted = false;
      globAt = -1;
      const end = readRedirectTarget(src, i + 1);
      if (end < 0) return null;
      i = end;
    } else {
      if (GLOB_CHARS.includes(c) && globAt < 0) globAt = value.length;
      value += c;
      started = true;
      i++;
    }
  }
  flush();
  return tokens;
}

/** `$` followed by one of these expands something (variable, substitution, ANSI-C quote). */
function startsExpansion(next: string | undefined): boolean {
  return next !== undefined && /[A-Za-z0-9_{(@*#?$!\-'"]/.test(next);
}

/** Reads a "..." body starting after the quote; null when unterminated or it expands anything. */
function readDoubleQuoted(src: string, start: number): { text: string; next: number } | null {
  let text = '';
  let i = start;
  while (i < src.length) {
    const c = src[i] as string;
    const next = src[i + 1];
    if (c === '"') return { text, next: i + 1 };
    if (c === '`') return null;
    if (c === '$') {
      if (startsExpansion(next) && next !== '"') return null;
      text += c;
      i++;
    } else if (c === '\\') {
      if (next === undefined) return null;
      if (next === '\n') {
        // line continuation: both characters vanish
      } else if ('$`"\\'.includes(next)) text += next;
      else text += c + next;
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  return null;
}

/**
 * After `>`/`&>`: accepts `>` (append), then either `&N` (duplicate a descriptor) or, after
 * optional blanks, the literal target /dev/null. Returns the index after it, or -1.
 */
function readRedirectTarget(src: string, start: number): number {
  let i = start;
  if (src[i] === '>') i++;
  if (src[i] === '&') {
    i++;
    const digits = /^\d+/.exec(src.slice(i));
    if (!digits) return -1;
    i += digits[0].length;
  } else {
    while (src[i] === ' ' || src[i] === '\t') i++;
    let j = i;
    while (j < src.length && !BREAK_CHARS.includes(src[j] as string)) j++;
    if (src.slice(i, j) !== '/dev/null') return -1;
    i = j;
  }
  const after = src[i];
  if (after !== undefined && !BREAK_CHARS.includes(after)) return -1;
  return i;
}
