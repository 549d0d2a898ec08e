/** `npm run agent -- [options] "PROMPT"`: one agent turn in the terminal. Exit codes: see USAGE. */
import { parseRunnerArgs, USAGE, USAGE_HINT, type RunnerArgs } from './args';
import { runAgent, terminalAsker } from './runner';

async function main(): Promise<number> {
  let args: RunnerArgs | { help: true };
  try {
    args = parseRunnerArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`unroll: ${(err as Error).message}\n${USAGE_HINT}\n`);
    return 2;
  }
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const controller = new AbortController();
  // The first Ctrl+C interrupts the turn (exit 130); a second one kills the process as usual.
  process.once('SIGINT', () => controller.abort());
  const ask = terminalAsker(() => controller.abort());
  const { exitCode } = await runAgent(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    ...(ask ? { ask } : {}),
  });
  return exitCode;
}

/** Exits once both streams have flushed: piped output is asynchronous on some platforms. */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main().then(exit, (err: unknown) => {
  process.stderr.write(`unroll: ${(err as Error)?.stack ?? String(err)}\n`);
  exit(1);
});
