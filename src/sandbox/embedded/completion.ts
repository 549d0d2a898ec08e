/**
 * Tab completion for the line shell, like bash's: the word before the cursor completes as a
 * command name when it is the first word of a command (and has no '/'), otherwise as a path
 * relative to the cwd; directories get a trailing '/', a unique match a trailing space.
 * Candidates come from the shell itself (`compgen`), run through the host like any command,
 * so a host without `compgen` simply completes nothing.
 */
import type { LineShellHost, ShellContext } from './line-shell';

export interface CompletionWord {
  /** The word as typed (with its backslash escapes), from `start` to the cursor. */
  typed: string;
  /** The word with escapes removed: what to complete. */
  prefix: string;
  start: number;
  command: boolean;
}

export interface Candidate {
  /** The full completed word (unescaped), e.g. 'src/app/'. */
  word: string;
  directory: boolean;
}

const COMMAND_SEPARATORS = /(?:^|[;&|(`]|\$\()\s*$/;
const SPECIAL = /[\s\\'"$`!&|;()<>*?[\]{}#~]/g;

/** The word the cursor ends, or undefined inside quotes (not completed). */
export function wordAt(line: string, cursor: number): CompletionWord | undefined {
  const before = Array.from(line).slice(0, cursor).join('');
  let start = 0;
  let quote = '';
  for (let i = 0; i < before.length; i++) {
    const ch = before[i] as string;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '\\') i++;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (/[\s;&|()<>`]/.test(ch)) start = i + 1;
  }
  if (quote) return undefined;
  const typed = before.slice(start);
  const prefix = typed.replace(/\\(.)/g, '$1');
  const command = COMMAND_SEPARATORS.test(before.slice(0, start)) && !prefix.includes('/');
  return { typed, prefix, start: Array.from(before.slice(0, start)).length, command };
}

/** Backslash-escapes what the shell would otherwise split or expand. */
export function escapeWord(word: string): string {
  return word.replace(SPECIAL, '\\$&');
}

/** The longest string every candidate starts with. */
export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0] as string;
  for (const word of words) {
    while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

/** Candidates for `word`, sorted and without repeats; [] when the shell cannot say. */
export async function candidates(host: LineShellHost, word: CompletionWord, context: ShellContext): Promise<Candidate[]> {
  const quoted = `'${word.prefix.replace(/'/g, `'\\''`)}'`;
  const list = async (flag: string): Promise<string[]> => {
    try {
      const result = await host.execute(`compgen ${flag} -- ${quoted}`, context);
      return result.exitCode === 0 ? result.stdout.split('\n').filter((line) => line !== '') : [];
    } catch {
      return [];
    }
  };
  if (word.command) {
    const names = [...new Set(await list('-A command'))].filter((name) => /^[\w.+:-]+$/.test(name) || name === word.prefix);
    return names.sort().map((name) => ({ word: name, directory: false }));
  }
  const directories = new Set(await list('-d'));
  const files = await list('-f');
  // Like bash, dot files only when the prefix asks for them.
  const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  const wantsHidden = base(word.prefix).startsWith('.');
  return [...new Set([...files, ...directories])]
    .filter((path) => wantsHidden || !base(path).startsWith('.'))
    .sort()
    .map((path) => ({ word: directories.has(path) ? `${path}/` : path, directory: directories.has(path) }));
}

/** Candidates laid out in columns across `cols`, as bash lists them (names only, no dirs). */
export function formatListing(items: readonly Candidate[], cols: number): string {
  const names = items.map(({ word, directory }) => {
    const base = directory ? word.slice(0, -1) : word;
    return base.slice(base.lastIndexOf('/') + 1) + (directory ? '/' : '');
  });
  const widest = Math.max(...names.map((name) => Array.from(name).length)) + 2;
  const perRow = Math.max(1, Math.floor(cols / widest));
  const rows = Math.ceil(names.length / perRow);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const name = names[c * rows + r];
      if (name === undefined) continue;
      line += name.padEnd(widest);
    }
    lines.push(line.trimEnd());
  }
  return lines.join('\r\n');
}
