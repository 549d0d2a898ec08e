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
import { hasShortFlag, isLongOption, parseSimpleCommands, type Word } from './shell-words';

export function isKnownSafe(command: string): boolean {
  const commands = parseSimpleCommands(command);
  if (!commands || commands.length === 0) return false;
  return commands.every(isSafeSimpleCommand);
}

// ---------------------------------------------------------------------- per-command rules
//
// GNU tools (and git) accept any unambiguous abbreviation of a long option, so options are
// matched with `isLongOption` (`sort --outp=f` is `sort --output=f`), never by their full
// spelling alone.

/** Read-only whatever their arguments, so a glob expanding to an option name is harmless. */
const ALWAYS_SAFE = new Set([
  'cat',
  'ls',
  'grep',
  'head',
  'tail',
  'wc',
  'pwd',
  'echo',
  'true',
  'false',
  'which',
  'stat',
  'du',
  'nl',
  'cut',
  'tr',
  'basename',
  'dirname',
  'realpath',
  'cd',
  'expr',
  'id',
  'paste',
  'rev',
  'seq',
  'uname',
  'whoami',
  'numfmt',
  'tac',
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
  const anyLong = (...options: string[]) => args.some((a) => options.some((o) => isLongOption(a, o)));
  const anyShort = (...letters: string[]) => args.some((a) => letters.some((l) => hasShortFlag(a, l)));
  switch (name) {
    case 'find':
      return !args.some((a) => FIND_UNSAFE.has(a));
    case 'rg': // --pre and --search-zip run other programs on every file; so does --hostname-bin
      return !anyLong('pre', 'hostname-bin', 'search-zip') && !anyShort('z');
    case 'sort': // -o writes a file; --compress-program runs one
      return !anyLong('output', 'compress-program') && !anyShort('o');
    case 'base64': // -o writes a file (BSD base64)
      return !anyLong('output') && !anyShort('o');
    case 'tree': // -o writes a file; -R writes an index file into every directory
      return !anyShort('o', 'R');
    case 'file': // -C compiles a magic file; -z and -Z may run external decompressors
      return !anyLong('compile', 'uncompress', 'uncompress-noreport') && !anyShort('C', 'z', 'Z');
    case 'uniq':
      return isSafeUniq(rest);
    case 'git':
      return isSafeGit(args);
    case 'sed':
      return isSafeSed(args);
    case 'bash':
    case 'sh':
    case 'zsh':
      return args.length === 2 && ['-c', '-lc', '-cl'].includes(args[0] as string) && isKnownSafe(args[1] as string);
    default:
      return false;
  }
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

const GIT_READ_ONLY = new Set(['status', 'log', 'diff', 'show', 'branch']);

/**
 * Global options allowed before the subcommand: they take no value and only change how
 * pathspecs or locks are treated. Anything else there (`--git-dir`, `--work-tree`,
 * `--exec-path`, `-p`/`--paginate`, `--attr-source <tree>` …) points git at other
 * configuration or programs, or could hide the real subcommand behind an option's value.
 */
const GIT_HARMLESS_GLOBALS = new Set([
  '--no-pager',
  '-P',
  '--no-replace-objects',
  '--literal-pathspecs',
  '--glob-pathspecs',
  '--noglob-pathspecs',
  '--icase-pathspecs',
  '--no-optional-locks',
]);

/** Options that name another repository, configuration or helper (as Codex, wherever they appear). */
const GIT_REDIRECTING = ['config-env', 'exec-path', 'git-dir', 'namespace', 'super-prefix', 'work-tree'];

/** Subcommand options that write files or run external programs (`--text` is diff's own option). */
const GIT_UNSAFE_FLAGS = ['output', 'ext-diff', 'textconv', 'exec', 'paginate'];

/** `git branch` only lists with these (Codex's list): any other flag or a name may create, move or delete. */
const GIT_BRANCH_READ_ONLY = new Set(['--list', '-l', '--show-current', '-a', '--all', '-r', '--remotes', '-v', '-vv', '--verbose']);

function isSafeGit(args: string[]): boolean {
  // `-C dir` reads another repository's config (which can name an fsmonitor or pager program);
  // `-c key=value` sets such a program directly.
  const redirects = (a: string) => a.startsWith('-C') || a.startsWith('-c') || GIT_REDIRECTING.some((o) => isLongOption(a, o));
  if (args.some(redirects)) return false;
  let i = 0;
  while (i < args.length && GIT_HARMLESS_GLOBALS.has(args[i] as string)) i++;
  const sub = args[i];
  if (sub === undefined || !GIT_READ_ONLY.has(sub)) return false;
  const rest = args.slice(i + 1);
  if (rest.some((a) => GIT_UNSAFE_FLAGS.some((o) => isLongOption(a, o, ['text'])))) return false;
  return sub !== 'branch' || rest.every((a) => GIT_BRANCH_READ_ONLY.has(a) || a.startsWith('--format='));
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
