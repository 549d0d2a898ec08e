/**
 * What the model is told about the WebContainer sandbox: the commands it really has. With the
 * toolbox, bash syntax and its tools (just-bash) plus the real programs the probe found; without
 * it, jsh alone, as StackBlitz's own agent prompt for this runtime lists it (no functions:
 * webcontainer-core#1404; no sleep: #1165).
 */
import type { Toolbox } from './toolbox-install';

const JSH_COMMANDS =
  'Commands: cat, chmod, cp, echo, hostname, kill, ln, ls, mkdir, mv, ps, pwd, rm, rmdir, xxd, alias, cd, clear, curl, env, ' +
  'false, getconf, head, sort, tail, touch, true, uptime, which, jq, node, npm, npx, python3 (standard library only), ' +
  'command, exit, export, source. There is no git, grep, rg, sed, awk, find, xargs, wc, diff or sleep: use node -e ' +
  '(or a small script) for searching, editing and waiting, and apply_patch for edits.';

const TOOLBOX_COMMANDS =
  'cat, ls, cp, mv, rm, mkdir, touch, ln, chmod, find, tree, du, stat, file, grep, egrep, rg, sed, awk, cut, tr, sort, uniq, ' +
  'wc, head, tail, tee, xargs, diff, comm, paste, column, base64, sha256sum, md5sum, jq, yq, printf, seq, sleep, date, env, ' +
  'tar, gzip, which';

const PROGRAMS = ['node', 'npm', 'npx', 'pnpm', 'yarn', 'curl'];

export function webContainerNotes(root: string, toolbox: Toolbox | undefined): string {
  const common =
    `You are in a WebContainer: real Node.js running in the browser tab, with the workspace at ${root}. ` +
    'npm install works when the network allows it. Start dev servers with exec_command and leave them running (the tool ' +
    'returns a session id); the preview pane shows every port that starts listening. No native binaries run (only ' +
    'JavaScript and WebAssembly).';
  if (!toolbox) return `${common} The shell is jsh, not bash: pipes, redirection, && and ||, but no shell functions. ${JSH_COMMANDS}`;
  const has = (name: string) => toolbox.present[name] === true;
  const programs = PROGRAMS.filter(has);
  if (has('python3')) programs.push('python3 (standard library only, no pip packages)');
  const missing = ['git', 'python3'].filter((name) => !has(name));
  return (
    `${common} Commands run in bash (pipes, redirections, here-docs, functions, $(…)) with these tools: ${TOOLBOX_COMMANDS}; ` +
    `and these real programs: ${programs.join(', ') || 'node'}.` +
    (missing.length > 0 ? ` There is no ${missing.join(' and no ')}.` : '') +
    ' A command line that is a single program (`npm run dev`, `cd app && npm install`) runs on a terminal and streams its ' +
    "output; inside pipes and substitutions a program's output arrives when it ends."
  );
}
