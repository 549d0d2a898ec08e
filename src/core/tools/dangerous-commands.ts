/**
 * `commandMightBeDangerous`: does a command line force-delete files? Codex singles out
 * `rm -f` / `rm -rf` (also behind `sudo`, and anywhere in a chain of plain commands): such a
 * command always asks under `on-request` and `untrusted`, whatever the sandbox, and is
 * refused outright under `never`, where nobody can be asked.
 *
 * Like Codex, only lines made of plain commands are looked into (`rm -rf "$dir"` is not); a
 * line the tokenizer refuses is simply not known to be dangerous. Unlike Codex's literal
 * match on the first argument, every spelling rm accepts for "force" counts: `-fr`, `-Rf`,
 * `-r -f`, `--force` or an abbreviation of it, before or after the file names.
 */
import { isLongOption, parseSimpleCommands } from './shell-words';

export function commandMightBeDangerous(command: string): boolean {
  const commands = parseSimpleCommands(command);
  return commands !== null && commands.some((words) => isDangerous(words.map((w) => w.value)));
}

function isDangerous(words: string[]): boolean {
  let i = 0;
  while (words[i] === 'sudo') i++;
  const name = words[i];
  if (name === undefined) return false;
  const args = words.slice(i + 1);
  switch (name.slice(name.lastIndexOf('/') + 1)) {
    case 'rm':
      return forces(args);
    case 'bash':
    case 'sh':
    case 'zsh':
      return args.length === 2 && ['-c', '-lc', '-cl'].includes(args[0] as string) && commandMightBeDangerous(args[1] as string);
    default:
      return false;
  }
}

/** rm's options, permuted with its operands as GNU getopt does, include force. */
function forces(args: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (isLongOption(a, 'force')) return true;
    if (a.startsWith('-') && !a.startsWith('--') && a.slice(1).includes('f')) return true;
  }
  return false;
}
