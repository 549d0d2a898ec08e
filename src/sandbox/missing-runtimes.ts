/**
 * Stand-ins for programs people and models reach for that just-bash does not have: they
 * exit 127 with a message that says so, instead of a bare "command not found".
 */
import { defineCommand, type Command } from 'just-bash';

const UNAVAILABLE: Record<string, 'node' | 'python'> = {
  node: 'node',
  npm: 'node',
  npx: 'node',
  python: 'python',
  python3: 'python',
  pip: 'python',
};

export interface MissingRuntimeOptions {
  /**
   * In the browser, where the WebContainer sandbox could provide Node: node, npm and npx say
   * that it is what they need ("node needs the WebContainer sandbox, which is not running
   * here"). Without it (the Node CLI) they say the runtime is not available in the sandbox.
   */
  webContainerHint?: boolean;
}

export function missingRuntimeCommands(options: MissingRuntimeOptions = {}): Command[] {
  return Object.entries(UNAVAILABLE).map(([name, runtime]) => {
    const message =
      runtime === 'node' && options.webContainerHint
        ? `${name}: node needs the WebContainer sandbox, which is not running here. This is the embedded sandbox ` +
          '(just-bash: shell and coreutils-style commands only, no node, npm or npx). Use shell tools instead, or ' +
          'switch to the WebContainer sandbox.\n'
        : `${name}: ${runtime} is not available in the embedded sandbox (just-bash has shell and coreutils-style ` +
          `commands only, no ${runtime} runtime). Use shell tools instead, or a sandbox that can run ${runtime}.\n`;
    return defineCommand(name, async () => ({ stdout: '', stderr: message, exitCode: 127 }));
  });
}
