/**
 * `node` for the just-bash sandboxes: JavaScript on QuickJS (WebAssembly), with a small Node
 * runtime — console, process, timers on the wall clock, Buffer, CommonJS require of relative
 * files and JSON, ES modules by import, and the fs, path, os, util, buffer and assert
 * built-ins. No npm, no network, no REPL. Where it runs (a Worker, this thread) is the
 * runner's choice (./node/runner.ts).
 *
 * Lazy: this module only parses the command line; the runtime (./node/run) and QuickJS (a
 * ~0.5 MB wasm; ./node/quickjs.ts says why that variant) load on the first run, so they stay
 * out of the app's initial bundle and `node --version` answers without them.
 * Files come from the command's `ctx.fs` and a script's writes go back through it, so the
 * embedded sandbox's WatchedFs reports them like any other command's (./node/fs-mirror.ts).
 */
import { defineCommand, type Command, type IFileSystem } from 'just-bash';
import { resolvePath } from '../../core/paths';
import { NODE_USAGE, NODE_VERSION, parseNodeArgs, stdinText } from './node/args';
import type { NodeEntry, NodeRunOptions } from './node/run';

export type { NodeRunOptions } from './node/run';
/** The entry file Node would run for `path`: as given, with `.js`, or a directory's index.js. */
async function resolveEntry(fs: IFileSystem, path: string): Promise<string | undefined> {
  for (const candidate of [path, `${path}.js`, `${path}/index.js`]) {
    try {
      if ((await fs.stat(candidate)).isFile) return candidate;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

export function createNodeCommand(options: NodeRunOptions = {}): Command {
  return defineCommand('node', async (args, ctx) => {
    const invocation = parseNodeArgs(args);
    let entry: NodeEntry;
    switch (invocation.kind) {
      case 'version':
        return { stdout: `${NODE_VERSION}\n`, stderr: '', exitCode: 0 };
      case 'help':
        return { stdout: NODE_USAGE, stderr: '', exitCode: 0 };
      case 'bad':
        return { stdout: '', stderr: invocation.message, exitCode: 9 };
      case 'eval':
        entry = { kind: 'code', name: '[eval]', code: invocation.code, print: invocation.print, args: invocation.args };
        break;
      case 'stdin': {
        const code = stdinText(ctx.stdin);
        if (!invocation.explicit && code.trim() === '') return { stdout: '', stderr: NODE_USAGE, exitCode: 1 };
        entry = { kind: 'code', name: '[stdin]', code, print: false, args: invocation.args };
        break;
      }
      case 'file': {
        const wanted = resolvePath(ctx.cwd, invocation.file);
        const path = await resolveEntry(ctx.fs, wanted);
        if (!path) return { stdout: '', stderr: `Error: Cannot find module '${wanted}'\n`, exitCode: 1 };
        entry = { kind: 'file', path, args: invocation.args };
        break;
      }
    }
    const { runNode } = await import('./node/run');
    return runNode(entry, ctx, options);
  });
}
