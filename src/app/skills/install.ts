/**
 * Writes the built-in skills into a sandbox, outside its workspace. The sandbox's file API
 * stays inside the workspace, so the files are written by one shell command (here-documents),
 * which works the same in the embedded sandbox and in a WebContainer. Done once per backend.
 */
import type { SandboxExec } from '../../core/ports';
import { builtinSkillFiles } from './builtin';

const installed = new WeakMap<object, Map<string, Promise<boolean>>>();

/**
 * Resolves true once the files exist; false (and it is tried again next time) if the command
 * failed. `sandbox` and `backend` (its kind, which changes when a session moves to another
 * sandbox) say where they were installed already.
 */
export function installBuiltinSkills(exec: SandboxExec, root: string, sandbox: object, backend: string): Promise<boolean> {
  let done = installed.get(sandbox);
  if (!done) installed.set(sandbox, (done = new Map()));
  const known = done.get(backend);
  if (known) return known;
  const attempt = run(exec, root).catch(() => false);
  done.set(backend, attempt);
  void attempt.then((ok) => {
    if (!ok) done.delete(backend);
  });
  return attempt;
}

async function run(exec: SandboxExec, root: string): Promise<boolean> {
  const process = exec.spawn(installScript(root), { cwd: root });
  return (await process.exit) === 0;
}

/** One shell script that writes every file; each body is a quoted here-document, so nothing in it expands. */
function installScript(root: string): string {
  const lines: string[] = [];
  for (const [path, text] of builtinSkillFiles(root)) {
    const dir = path.slice(0, path.lastIndexOf('/'));
    let end = 'UNROLL_SKILL_END';
    while (text.includes(end)) end += '_';
    lines.push(`mkdir -p '${dir}' && cat > '${path}' <<'${end}'`, text.endsWith('\n') ? text.slice(0, -1) : text, end);
  }
  return lines.join('\n');
}
