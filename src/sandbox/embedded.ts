/**
 * The embedded sandbox: just-bash on an in-memory filesystem, in any browser and offline.
 *
 * - Status: everything is in memory, so it is 'ready' from construction on and never
 *   changes; `boot()` resolves at once and `onStatus` listeners are never called.
 * - Workspace: `/workspace` (created empty, or with `files`); `/tmp` and `/home/user` exist
 *   as scratch space outside it. The fs API refuses paths outside the workspace.
 * - Changes: shell commands and the fs API write through one WatchedFs, so both produce
 *   FsChange events, synchronously after each operation.
 * - Processes run to completion (no streaming, no live stdin; `stdin` is given up front). A
 *   spawn cwd outside the workspace is refused with exit 126; `run`'s timeout reports 124.
 * - The terminal is a LineShell: cwd and environment carry over between its commands.
 * - No previews: `previews()` is empty and `onPreview` never fires.
 */
import { Bash, InMemoryFs } from 'just-bash';
import { dirname } from '../core/paths';
import type { SandboxDescription, SandboxProcess } from '../core/ports';
import { createOutputOrderer, JustBashProcess, LS_COMMAND } from './just-bash-port';
import { missingRuntimeCommands } from './missing-runtimes';
import { serveCommand, serveSite } from './embedded/serve-command';
import { createNodeCommand } from './embedded/node-command';
import { browserNodeRunner } from './embedded/node/browser-runner';
import type { BootStatus, Sandbox, SandboxCapabilities, SandboxExecution, ShellSession } from './sandbox';
import { LineShell } from './embedded/line-shell';
import { collectRun } from './embedded/run';
import { exportSnapshot, restoreSnapshot } from './embedded/snapshot-io';
import { WatchedFs } from './embedded/watched-fs';
import { confine, createWorkspaceFs } from './embedded/workspace-fs';

export const EMBEDDED_ROOT = '/workspace';

export const EMBEDDED_CAPABILITIES: Readonly<SandboxCapabilities> = Object.freeze({
  node: false,
  liveProcesses: false,
  previews: false,
});

const notes = (root: string) =>
  `You are in Unroll's embedded sandbox: just-bash, a simulated bash running in the browser tab, with an in-memory ` +
  `filesystem rooted at ${root}. Shell syntax, pipes and coreutils-style tools work (ls, cat, grep, rg, ` +
  'sed, awk, find, xargs, sort, diff, jq, head, tail, wc). `node` is QuickJS, not Node.js: it runs .js/.mjs files ' +
  'and `node -e` with console, process, timers, require of relative files and JSON, import, and the fs, path, os, ' +
  'util, buffer and assert built-ins, Buffer and real timers (no npm, no packages, no http). There is no npm, python ' +
  'or network, and each command runs to completion (your command timeout stops one that does not end), so servers ' +
  "and interactive programs cannot run. Static sites preview anyway: the Preview pane serves the workspace's index.html " +
  'with its stylesheets, scripts and modules (TypeScript and JSX compiled; no npm packages) and reloads when files change; ' +
  "`serve DIR` opens it on a folder. Errors the page reports reach you with your next command's output.";

const banner = (root: string) =>
  '\x1b[2mEmbedded sandbox (just-bash): bash syntax and coreutils-style tools; node (QuickJS: runs .js files with ' +
  `fs/path; no npm); no python. Files live in ${root}.\x1b[0m\n`;

const HOME = '/home/user';

export interface EmbeddedSandboxOptions {
  /** Initial workspace files: paths relative to the workspace root → contents. */
  files?: Record<string, string>;
  /**
   * The workspace folder (default EMBEDDED_ROOT). The app gives both of its sandboxes the same
   * one, so a session that moves between them keeps every path.
   */
  root?: string;
}

export interface EmbeddedSandbox extends Sandbox {
  readonly kind: 'embedded';
  /** The underlying shell, for callers that seed files or run setup commands directly. */
  readonly bash: Bash;
}

export function createEmbeddedSandbox(options: EmbeddedSandboxOptions = {}): EmbeddedSandbox {
  const root = options.root ?? EMBEDDED_ROOT;
  const memory = new InMemoryFs();
  for (const dir of [root, '/tmp', HOME]) memory.mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(options.files ?? {})) {
    const abs = confine(root, path);
    memory.mkdirSync(dirname(abs), { recursive: true });
    memory.writeFileSync(abs, content);
  }
  const watched = new WatchedFs(memory, root);
  const siteListeners = new Set<(dir: string) => void>();
  const requestSite = (dir: string) => {
    for (const listener of [...siteListeners]) listener(dir);
  };
  const bash = new Bash({
    fs: watched,
    cwd: root,
    env: { HOME, TMPDIR: '/tmp' },
    customCommands: [
      createNodeCommand({ runner: browserNodeRunner() }),
      ...missingRuntimeCommands({ webContainerHint: true, serve: (dir, ctx) => serveSite(dir, ctx, requestSite, root) }),
      serveCommand(requestSite, root),
      LS_COMMAND,
    ],
  });

  const inOrder = createOutputOrderer(new Bash());
  const processes = new Set<JustBashProcess>();
  const shells = new Set<ShellSession>();
  const track = <T extends { exit: Promise<number> }>(set: Set<T>, item: T): T => {
    set.add(item);
    void item.exit.then(() => set.delete(item));
    return item;
  };

  const spawn = (command: string, spawnOptions: { cwd: string; env?: Record<string, string>; stdin?: string }): SandboxProcess =>
    track(processes, new JustBashProcess(bash, command, { ...spawnOptions, root }));

  const exec: SandboxExecution = {
    spawn,
    run: (command, runOptions = {}) =>
      collectRun(
        spawn(command, {
          cwd: runOptions.cwd ?? root,
          ...(runOptions.env ? { env: runOptions.env } : {}),
          ...(runOptions.stdin !== undefined ? { stdin: runOptions.stdin } : {}),
        }),
        runOptions,
      ),
  };

  const description: SandboxDescription = { kind: 'embedded', shell: 'bash (just-bash)', root, notes: notes(root) };
  const status: BootStatus = { state: 'ready' };

  return {
    kind: 'embedded',
    capabilities: EMBEDDED_CAPABILITIES,
    fs: createWorkspaceFs(watched),
    exec,
    bash,
    get status() {
      return status;
    },
    onStatus: () => () => {},
    boot: () => Promise.resolve(),
    describe: () => ({ ...description }),
    openShell: (size) =>
      track(
        shells,
        new LineShell({
          host: {
            execute: (script, ctx) =>
              bash.exec(inOrder(script), { cwd: ctx.cwd, env: ctx.env, replaceEnv: true, signal: ctx.signal, rawScript: true }),
            isIncomplete: (script) => isIncomplete(bash, script),
          },
          cwd: root,
          env: { ...bash.getEnv(), TMPDIR: '/tmp' },
          cols: size.cols,
          rows: size.rows,
          banner: banner(root),
        }),
      ),
    onPreview: () => () => {},
    previews: () => [],
    onSiteRequest: (listener) => {
      siteListeners.add(listener);
      return () => siteListeners.delete(listener);
    },
    snapshot: () => exportSnapshot(memory, root),
    restore: (snapshot) => restoreSnapshot(watched, root, snapshot),
    dispose: async () => {
      for (const process of [...processes]) process.kill();
      for (const shell of [...shells]) shell.kill();
    },
  };
}

/**
 * Whether the shell should wait for more lines: just-bash fails to parse `script` because the
 * input ended (an unclosed quote or here-document, `if` without `fi`), not because of a
 * mistake somewhere inside it. Parsing runs nothing.
 */
function isIncomplete(bash: Bash, script: string): boolean {
  try {
    bash.transform(script);
    return false;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/unexpected EOF|got EOF|unterminated/i.test(message)) return true;
    const at = /at (\d+):(\d+)/.exec(message);
    if (!at) return false;
    const lines = script.split('\n');
    return Number(at[1]) >= lines.length && Number(at[2]) > (lines[lines.length - 1] ?? '').length;
  }
}
