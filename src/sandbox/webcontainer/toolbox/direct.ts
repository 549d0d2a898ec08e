/**
 * Command lines that are one real program, run as that program on the toolbox's own terminal.
 *
 * just-bash collects a command's output and hands it over when the command ends, which is
 * right inside pipes and substitutions but wrong for `npm run dev` or `npm install`: a dev
 * server never ends, and the person (and the model, polling the session) should see its
 * output as it comes. So a command line that is nothing but a program to start, optionally
 * after `cd DIR &&` steps and with `NAME=value` prefixes, all plain words, bypasses the shell:
 * the toolbox changes directory and starts the program with the terminal as its input and
 * output. Anything else (a pipe, a redirection, a variable, a glob, a second program) runs in
 * just-bash.
 */
import type { ScriptNode, SimpleCommandNode, WordNode } from 'just-bash';

export interface DirectRun {
  /** Directories to enter first, in order (`cd` arguments; empty means HOME). */
  cds: string[];
  /** `NAME=value` prefixes of the program. */
  env: Record<string, string>;
  program: string;
  args: string[];
}

/** The plain text of a word with no expansions, or undefined. */
function plainWord(word: WordNode): string | undefined {
  let text = '';
  for (const part of word.parts) {
    if (part.type === 'Literal' || part.type === 'SingleQuoted' || part.type === 'Escaped') text += part.value;
    else if (part.type === 'DoubleQuoted' && part.parts.every((p) => p.type === 'Literal' || p.type === 'Escaped')) {
      text += part.parts.map((p) => (p as { value: string }).value).join('');
    } else return undefined;
  }
  return text;
}

function plainCommand(node: unknown): SimpleCommandNode | undefined {
  const command = node as SimpleCommandNode;
  return command.type === 'SimpleCommand' && command.redirections.length === 0 && command.name ? command : undefined;
}

/** `script` as a direct run of one of `programs`, or undefined when it needs the shell. */
export function directRun(script: ScriptNode, programs: ReadonlySet<string>): DirectRun | undefined {
  if (script.statements.length !== 1) return undefined;
  const [statement] = script.statements;
  if (!statement || statement.background || statement.deferredError || statement.operators.some((op) => op !== '&&')) return undefined;
  const commands: SimpleCommandNode[] = [];
  for (const pipeline of statement.pipelines) {
    const command = pipeline.commands.length === 1 && !pipeline.negated && !pipeline.timed ? plainCommand(pipeline.commands[0]) : undefined;
    if (!command) return undefined;
    commands.push(command);
  }
  const last = commands.pop();
  if (!last?.name) return undefined;
  const cds: string[] = [];
  for (const step of commands) {
    const words = [step.name!, ...step.args].map(plainWord);
    if (step.assignments.length > 0 || words[0] !== 'cd' || words.length > 2 || words.some((w) => w === undefined)) return undefined;
    cds.push(words[1] ?? '');
  }
  const words = [last.name, ...last.args].map(plainWord);
  if (words.some((w) => w === undefined)) return undefined;
  const [program, ...args] = words as string[];
  if (!program || !programs.has(program)) return undefined;
  const env: Record<string, string> = {};
  for (const assignment of last.assignments) {
    const value = assignment.value ? plainWord(assignment.value) : '';
    if (assignment.append || assignment.array || value === undefined) return undefined;
    env[assignment.name] = value;
  }
  return { cds, env, program, args };
}
