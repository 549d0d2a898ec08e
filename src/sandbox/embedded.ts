/**
 * The embedded sandbox: just-bash on an in-memory filesystem, in any browser and offline.
 * (The full sandbox interface — change events, terminal, snapshots — builds on this.)
 */
import { Bash } from 'just-bash';
import type { SandboxPort } from '../core/ports';
import { createJustBashPort } from './just-bash-port';
import { missingRuntimeCommands } from './missing-runtimes';

export const EMBEDDED_ROOT = '/workspace';

const NOTES =
  `You are in Unroll's embedded sandbox: just-bash, a simulated bash running in the browser tab, with an in-memory ` +
  `filesystem rooted at ${EMBEDDED_ROOT}. Shell syntax, pipes and coreutils-style tools work (ls, cat, grep, rg, ` +
  'sed, awk, find, xargs, sort, diff, jq, head, tail, wc); there is no node, npm, python or network, and each ' +
  'command runs to completion, so servers and interactive programs cannot run. Write programs as bash scripts.';

export interface EmbeddedSandbox extends SandboxPort {
  readonly bash: Bash;
}

/** `files` maps paths relative to the workspace root to their contents. */
export function createEmbeddedSandbox(files: Record<string, string> = {}): EmbeddedSandbox {
  const initial: Record<string, string> = {};
  for (const [path, content] of Object.entries(files)) initial[`${EMBEDDED_ROOT}/${path.replace(/^\/+/, '')}`] = content;
  const bash = new Bash({
    files: initial,
    cwd: EMBEDDED_ROOT,
    env: { HOME: '/home/user', TMPDIR: '/tmp' },
    customCommands: missingRuntimeCommands(),
  });
  const port = createJustBashPort({ bash, root: EMBEDDED_ROOT, kind: 'embedded', notes: NOTES });
  return { ...port, bash };
}
