/**
 * Stand-ins for programs people and models reach for that the just-bash sandboxes do not
 * have: they exit 127 with a message that says so, instead of a bare "command not found".
 * `node` itself is real here (QuickJS; see embedded/node-command.ts); npm and npx are not.
 * `which` is wrapped so it does not claim them: they are not found, as they are not there.
 */
import { defineCommand, type Command, type ExecResult } from 'just-bash';
import { servedDirectory } from './embedded/serve-command';

const UNAVAILABLE: Record<string, 'npm' | 'python'> = {
  npm: 'npm',
  npx: 'npm',
  python: 'python',
  python3: 'python',
  pip: 'python',
};

export interface MissingRuntimeOptions {
  /**
   * Where the app previews the workspace as a static site: `npx serve DIR`, `npx http-server DIR`
   * and `python3 -m http.server` open that preview instead of saying npm or python is missing.
   */
  serve?: (dir: string | undefined, ctx: Parameters<Parameters<typeof defineCommand>[1]>[1]) => Promise<ExecResult>;
  /**
   * In the browser, where the WebContainer sandbox could provide real Node: npm and npx say
   * that it is what they need. Without it (the Node CLI) they only say npm is not available.
   */
  webContainerHint?: boolean;
}

const NODE_HERE =
  'node here is QuickJS without npm: it runs .js files with fs, path, os, util, buffer and assert, but cannot install or run packages';

export function missingRuntimeCommands(options: MissingRuntimeOptions = {}): Command[] {
  return Object.entries(UNAVAILABLE)
    .map(([name, runtime]) => {
      let message: string;
      if (runtime === 'npm') {
        message = options.webContainerHint
          ? `${name}: npm needs the WebContainer sandbox, which is not running here. This is the embedded sandbox ` +
            `(just-bash; ${NODE_HERE}). Use node and shell tools, or switch to the WebContainer sandbox.\n`
          : `${name}: npm is not available in the embedded sandbox (${NODE_HERE}).\n`;
      } else {
        message =
          `${name}: python is not available in the embedded sandbox (just-bash has shell and coreutils-style ` +
          'commands and a QuickJS node, no python runtime). Use shell tools or node instead, or a sandbox that can run python.\n';
      }
      return defineCommand(name, async (args, ctx) => {
        const served = options.serve && (name === 'npx' || name === 'python3') ? servedDirectory(name, args) : null;
        if (served !== null && options.serve) return options.serve(served, ctx);
        return { stdout: '', stderr: message, exitCode: 127 };
      });
    })
    .concat(whichCommand());
}

/** just-bash's `which`, except that the stand-ins above are reported as not found. */
function whichCommand(): Command {
  return defineCommand('which', async (args, ctx) => {
    const missing = args.filter((arg) => Object.hasOwn(UNAVAILABLE, arg));
    const rest = args.filter((arg) => !Object.hasOwn(UNAVAILABLE, arg));
    const others = rest.some((arg) => !arg.startsWith('-'));
    const found = others && ctx.origCommand ? await ctx.origCommand(rest) : { stdout: '', stderr: '', exitCode: others ? 1 : 0 };
    if (missing.length === 0) return found;
    const silent = rest.some((arg) => /^-[a-z]*s/.test(arg));
    const stderr = silent ? '' : missing.map((name) => `which: no ${name} in this sandbox\n`).join('');
    return { stdout: found.stdout, stderr: found.stderr + stderr, exitCode: 1 };
  });
}
