/**
 * Stand-ins for programs people and models reach for that just-bash does not have: they
 * exit 127 with a message that says so, instead of a bare "command not found".
 */
import { defineCommand, type Command } from 'just-bash';

const UNAVAILABLE: Record<string, string> = {
  node: 'node',
  npm: 'node',
  npx: 'node',
  python: 'python',
  python3: 'python',
  pip: 'python',
};

export function missingRuntimeCommands(): Command[] {
  return Object.entries(UNAVAILABLE).map(([name, runtime]) => {
    const message =
      `${name}: ${runtime} is not available in the embedded sandbox (just-bash has shell and coreutils-style ` +
      `commands only, no ${runtime} runtime). Use shell tools instead, or a sandbox that can run ${runtime}.\n`;
    return defineCommand(name, async () => ({ stdout: '', stderr: message, exitCode: 127 }));
  });
}
