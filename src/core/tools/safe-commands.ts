/**
 * `isKnownSafe`: does a command line only read? Under the `untrusted` approval policy (and
 * in a read-only sandbox) such commands run without asking the user.
 *
 * The check is deliberately conservative: a small shell tokenizer splits the line into
 * simple commands joined by `&&`, `||`, `;`, `|` (or newlines), and every one of them must
 * be a known read-only command with no option that writes files or runs other programs.
 * Anything the tokenizer does not fully understand — command or process substitution,
 * variable expansion, subshells, brace expansion, background jobs, here-docs, redirection
 * other than to /dev/null or between stdout/stderr — makes the whole line unsafe. A false
 * "unsafe" only costs the user an approval prompt; a false "safe" runs a write unasked.
 */
import { tokenize, type Token, type Word } from './shell-words';

export type { Word } from './shell-words';

export function isKnownSafe(command: string): boolean {
  const tokens = tokenize(command);
  if (!tokens) return false;
  const commands = splitCommands(tokens);
  if (!commands || commands.length === 0) return false;
  return commands.every(isSafeSimpleCommand);
}

/** Groups words into simple commands; null when an operator has no command on either side. */
function splitCommands(tokens: Token[]): Word[][] | null {
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

// ---------------------------------------------------------------------- per-command rules

/** Read-only whatever their arguments, so a glob expanding to an option name is harmless. */
const ALWAYS_SAFE = new Set([
  'cat', 'ls', 'grep', 'head', 'tail', 'wc', 'pwd', 'echo', 'true', 'false', 'which', 'stat',
  'du', 'nl', 'cut', 'tr', 'basename', 'dirname', 'realpath', 'cd',
]);

/** find actions that run programs, delete, or write files. */
const FIND_UNSAFE = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf']);

function isSafeSimpleCommand(words: Word[]): boolean {
  const [first, ...rest] = words;
  if (!first || first.hasGlob) return false;
  const name = first.value;
  const args = rest.map((w) => w.value);
  if (ALWAYS_SAFE.has(name)) return true;
  if (rest.some((w) => w.globMayBeOption)) return false;
  switch (name) {
    case 'find':
      return !args.some((a) => FIND_UNSAFE.has(a));
    case 'rg': // --pre and --search-zip run other programs on every file; so does --hostname-bin
      return !args.some(
        (a) => a === '--pre' || a.startsWith('--pre=') || a === '--search-zip' || a.startsWith('--hostname-bin') || shortFlag(a, 'z'),
      );
    case 'sort': // -o writes a file; --compress-program runs one
      return !args.some((a) => a.startsWith('--output') || a.startsWith('--compress-program') || shortFlag(a, 'o'));
    case 'tree': // -o writes a file; -R writes an index file into every directory
      return !args.some((a) => shortFlag(a, 'o') || shortFlag(a, 'R'));
    case 'file': // -C compiles a magic file
      return !args.some((a) => a === '--compile' || shortFlag(a, 'C'));
    case 'uniq':
      return isSafeUniq(rest);
    case 'git':
      return isSafeGit(args);
    case 'sed':
      return isSafeSed(args);
    case 'bash':
    case 'sh':
      return args.length === 2 && ['-c', '-lc', '-cl'].includes(args[0] as string) && isKnownSafe(args[1] as string);
    default:
      return false;
  }
}

/** A single-dash option cluster (`-no`, `-z`) containing `letter`. */
function shortFlag(arg: string, letter: string): boolean {
  return arg.startsWith('-') && !arg.startsWith('--') && arg.slice(1).includes(letter);
}

/** `uniq IN OUT` writes OUT: at most one file operand, and no glob that could become two. */
function isSafeUniq(words: Word[]): boolean {
  const takesValue = new Set(['-f', '-s', '-w', '--skip-fields', '--skip-chars', '--check-chars']);
  let operands = 0;
  let optionsDone = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as Word;
    if (word.hasGlob) return false;
    const a = word.value;
    if (!optionsDone && a === '--') optionsDone = true;
    else if (!optionsDone && a.startsWith('-') && a !== '-') {
      if (takesValue.has(a)) i++;
    } else operands++;
  }
  return operands <= 1;
}

const GIT_READ_ONLY = new Set(['status', 'log', 'diff', 'show']);
const GIT_BRANCH_FLAGS = new Set([
  '-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose', '--show-current', '--color', '--no-color',
  '--column', '--no-column', '-i', '--ignore-case', '--sort', '--format', '--omit-empty', '--abbrev', '--no-abbrev',
]);
/** These make `git branch` list (so operands are patterns or commits, not new branch names). */
const GIT_BRANCH_LIST_FLAGS = new Set(['-l', '--list', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at']);

function isSafeGit(args: string[]): boolean {
  let i = 0;
  // Only harmless global options; `-c key=value` could configure a pager or diff program.
  while (i < args.length) {
    if (args[i] === '--no-pager' || args[i] === '-P') i++;
    else if (args[i] === '-C' && i + 1 < args.length) i += 2;
    else break;
  }
  const sub = args[i];
  const rest = args.slice(i + 1);
  if (rest.some((a) => a.startsWith('--output') || a === '--ext-diff')) return false;
  if (sub === 'branch') return isSafeGitBranch(rest);
  return sub !== undefined && GIT_READ_ONLY.has(sub);
}

function isSafeGitBranch(args: string[]): boolean {
  let listing = false;
  let operands = 0;
  for (const a of args) {
    if (a.startsWith('-')) {
      const flag = a.split('=')[0] as string;
      if (GIT_BRANCH_LIST_FLAGS.has(flag)) listing = true;
      else if (!GIT_BRANCH_FLAGS.has(flag)) return false;
    } else operands++;
  }
  return operands === 0 || listing;
}

/** Only `sed -n` whose script(s) consist of print commands with optional addresses. */
function isSafeSed(args: string[]): boolean {
  let quiet = false;
  const scripts: string[] = [];
  const operands: string[] = [];
  let optionsDone = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (optionsDone || a === '-' || !a.startsWith('-')) {
      operands.push(a);
    } else if (a === '--') {
      optionsDone = true;
    } else if (a === '--quiet' || a === '--silent') {
      quiet = true;
    } else if (a === '--regexp-extended') {
      // harmless
    } else if (a.startsWith('--')) {
      return false;
    } else {
      const letters = a.slice(1);
      for (let k = 0; k < letters.length; k++) {
        const letter = letters[k];
        if (letter === 'n') quiet = true;
        else if (letter === 'E' || letter === 'r') continue;
        else if (letter === 'e') {
          const script = k + 1 < letters.length ? letters.slice(k + 1) : args[++i];
          if (script === undefined) return false;
          scripts.push(script);
          break;
        } else return false;
      }
    }
  }
  if (scripts.length === 0 && operands.length > 0) scripts.push(operands.shift() as string);
  return quiet && scripts.length > 0 && scripts.every(isPrintOnlySedScript);
}

/** `p`, `1p`, `$p`, `1,20p`, `/re/p`, `/a/,/b/p`, separated by `;` or newlines. */
function isPrintOnlySedScript(script: string): boolean {
  let i = 0;
  let commands = 0;
  const skipBlanks = () => {
    while (script[i] === ' ' || script[i] === '\t') i++;
  };
  const skipSeparators = () => {
    while (i < script.length && /[\s;]/.test(script[i] as string)) i++;
  };
  skipSeparators();
  while (i < script.length) {
    const first = readSedAddress(script, i);
    if (first >= 0) {
      i = first;
      if (script[i] === ',') {
        const second = readSedAddress(script, i + 1);
        if (second < 0) return false;
        i = second;
      }
    }
    skipBlanks();
    if (script[i] !== 'p') return false;
    i++;
    commands++;
    skipBlanks();
    if (i < script.length && script[i] !== ';' && script[i] !== '\n') return false;
    skipSeparators();
  }
  return commands > 0;
}

/** Index after a line number, `$` or `/regex/[I]` starting at `i`; -1 when there is none. */
function readSedAddress(script: string, i: number): number {
  const number = /^(\d+|\$)/.exec(script.slice(i));
  if (number) return i + number[0].length;
  if (script[i] !== '/') return -1;
  let j = i + 1;
  while (j < script.length && script[j] !== '/') j += script[j] === '\\' ? 2 : 1;
  if (j >= script.length) return -1;
  j++;
  return script[j] === 'I' ? j + 1 : j;
}
