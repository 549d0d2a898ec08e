/**
 * Node only: a just-bash sandbox over a real directory, for the CLI, benchmarks and tests.
 *
 * Layout: the real directory `dir` is mounted (just-bash `ReadWriteFs`) at `/workspace`,
 * which is the sandbox root and the default cwd; everything else (`/tmp`, `/home/user`) is
 * in memory and vanishes with the sandbox. A fixed mount point matches the browser's
 * embedded sandbox, keeps host paths out of the model's prompt, and makes `..` past the
 * root land in the throwaway in-memory tree instead of the host filesystem.
 */
import { Bash, InMemoryFs, MountableFs, ReadWriteFs } from 'just-bash';
import type { SandboxPort } from '../core/ports';
import { createJustBashPort } from './just-bash-port';
import { missingRuntimeCommands } from './missing-runtimes';
import { createNodeCommand } from './embedded/node-command';
import { sharedThreadRunner } from './embedded/node/thread-runner';

export const NODE_SANDBOX_ROOT = '/workspace';

export interface NodeSandbox extends SandboxPort {
  /** The underlying shell, for callers that want to seed files or run setup commands. */
  readonly bash: Bash;
}

const NODE_NOTES =
  `Commands run in just-bash, a simulated bash; ${NODE_SANDBOX_ROOT} is a real project directory and writes ` +
  'there are kept, everything else (/tmp, ~) is scratch memory. Shell syntax, pipes and coreutils-style tools work ' +
  '(ls, cat, grep, rg, sed, awk, find, xargs, sort, diff, jq, head, tail, wc). `node` is QuickJS, not Node.js: it ' +
  'runs .js/.mjs files and `node -e` with require of relative files and JSON, import, the fs, path, os, util, buffer ' +
  'and assert built-ins, Buffer and real timers; there is no npm, python or network access, and each command runs to ' +
  'completion (your command timeout stops one that does not end), so servers and interactive programs cannot run.';

export function createNodeSandbox(dir: string): NodeSandbox {
  const base = new InMemoryFs();
  base.mkdirSync('/tmp', { recursive: true });
  base.mkdirSync('/home/user', { recursive: true });
  const fs = new MountableFs({ base });
  fs.mount(NODE_SANDBOX_ROOT, new ReadWriteFs({ root: dir }));

  const bash = new Bash({
    fs,
    cwd: NODE_SANDBOX_ROOT,
    env: { HOME: '/home/user', TMPDIR: '/tmp' },
    customCommands: [createNodeCommand({ runner: sharedThreadRunner() }), ...missingRuntimeCommands()],
  });
  const port = createJustBashPort({ bash, root: NODE_SANDBOX_ROOT, kind: 'node', notes: NODE_NOTES });
  return { ...port, bash };
}
