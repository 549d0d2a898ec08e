/** `npm run agent -- [options] "PROMPT"`: one agent turn in the terminal. */
import { parseRunnerArgs, USAGE } from './args';
import { runAgent, terminalAsker } from './runner';

async function main(): Promise<number> {
  let args;
  try {
    args = parseRunnerArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`unroll: ${(err as Error).message}\n`);
    return 2;
  }
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const ask = terminalAsker();
  const { exitCode } = await runAgent(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    signal: controller.signal,
    ...(ask ? { ask } : {}),
  });
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`unroll: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
