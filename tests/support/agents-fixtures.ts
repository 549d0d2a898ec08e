/** Fixtures for the AGENTS.md discovery tests: real just-bash filesystems, failing ones. */
import { Bash } from 'just-bash';
import { discoverAgentsDocs, type AgentsDocsOptions } from '../../src/core/context/agents-md';
import type { SandboxFs } from '../../src/core/ports';
import { createJustBashPort, type JustBashLike } from '../../src/sandbox/just-bash-port';

/** A real just-bash filesystem holding `files`, plus empty directories `dirs`. */
export async function bashFs(files: Record<string, string>, dirs: string[] = []): Promise<{ fs: SandboxFs; bash: Bash }> {
  const bash = new Bash({ files, cwd: '/' });
  const fs = createJustBashPort({ bash, root: '/workspace' }).fs;
  for (const dir of dirs) await fs.mkdir(dir);
  return { fs, bash };
}

/**
 * A Bash whose filesystem rejects `op` for the given paths, as a permission problem would.
 * Everything else passes through to the real filesystem.
 */
export function failingBash(bash: Bash, op: 'readFile' | 'exists', paths: readonly string[]): JustBashLike {
  const fs = new Proxy(bash.fs, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return (path: string, ...rest: unknown[]) =>
        prop === op && paths.includes(path)
          ? Promise.reject(new Error(`EACCES: permission denied, ${op} '${path}'`))
          : (value as (...args: unknown[]) => unknown).call(target, path, ...rest);
    },
  });
  return { fs, exec: bash.exec.bind(bash) };
}

export async function discover(files: Record<string, string>, options: Omit<AgentsDocsOptions, 'fs'>, dirs: string[] = []) {
  const { fs } = await bashFs(files, dirs);
  return discoverAgentsDocs({ fs, ...options });
}

export const GIT = { '/workspace/.git/HEAD': 'ref: refs/heads/main\n' };
