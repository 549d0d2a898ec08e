/**
 * Adapts a just-bash `Bash` instance to the engine's SandboxPort.
 *
 * Only types come from 'just-bash', so this module works with both its Node build and its
 * browser build; the caller constructs the Bash (with whatever filesystem and commands).
 *
 * just-bash runs a command to completion and then hands back stdout and stderr, so a
 * process here emits its stdout, then its stderr, then exits. It cannot take input while
 * running; its whole stdin can be given up front (`stdin` of JustBashSpawnOptions). Each exec starts from a fresh shell state (only the filesystem persists); the
 * working directory comes from the spawn options.
 */
import type { Bash, Command, FsStat, PipelineNode, TransformPlugin } from 'just-bash';
import { isInside, resolvePath } from '../core/paths';
import type { FileStat, SandboxDescription, SandboxFs, SandboxPort, SandboxProcess, SpawnOptions } from '../core/ports';
import { withFsErrors } from './fs-errors';
import { ProcessOutput } from './process-output';

/** The part of a Bash the port uses (a real Bash, or a stand-in in tests). */
export type JustBashLike = Pick<Bash, 'fs' | 'exec'>;

export interface JustBashPortOptions {
  bash: JustBashLike;
  /** Workspace root inside the sandbox, e.g. '/workspace'. */
  root: string;
  kind?: 'embedded' | 'node';
  /** Replaces the default description of what the sandbox can run. */
  notes?: string;
}

export const NO_STDIN_MESSAGE = 'this sandbox cannot send input to a running command (just-bash runs each command to completion)';

/** Exit code reported for a command killed before it finished (128 + SIGINT). */
export const KILLED_EXIT_CODE = 130;

/** Exit code for a command refused before it started (a working directory outside the root). */
const REFUSED_EXIT_CODE = 126;

const DEFAULT_NOTES =
  'Commands run in just-bash, a simulated bash over a virtual filesystem: shell syntax, pipes, redirection and ' +
  'coreutils-style tools work (ls, cat, grep, rg, sed, awk, find, xargs, sort, diff, jq, head, tail, wc). ' +
  'There is no node, npm, python or network access, and each command runs to completion, so interactive ' +
  'programs and servers cannot run here.';

export function createJustBashPort(options: JustBashPortOptions): SandboxPort {
  const { bash } = options;
  const description: SandboxDescription = {
    kind: options.kind ?? 'embedded',
    shell: 'bash (just-bash)',
    root: options.root,
    notes: options.notes ?? DEFAULT_NOTES,
  };
  return {
    fs: createFs(bash),
    exec: { spawn: (command, spawnOptions) => new JustBashProcess(bash, command, spawnOptions) },
    describe: () => ({ ...description }),
  };
}

export interface JustBashSpawnOptions extends SpawnOptions {
  /** The command's whole stdin; without it stdin is empty. */
  stdin?: string;
  /**
   * Confines the working directory: a relative cwd resolves against `root`, and one that
   * lands outside it is refused (output says why, exit 126) without running anything.
   */
  root?: string;
}

/**
 * One command on a just-bash shell. Never throws: failures become output and an exit code.
 * `terminate(code)` is `kill()` with a chosen exit code (a timeout reports 124).
 */
export class JustBashProcess implements SandboxProcess {
  readonly #output = new ProcessOutput();
  readonly exit = this.#output.exit;
  readonly #controller = new AbortController();

  constructor(bash: JustBashLike, command: string, options: JustBashSpawnOptions) {
    void this.#run(bash, command, options);
  }

  onOutput(listener: (chunk: string) => void): () => void {
    return this.#output.onOutput(listener);
  }

  write(): Promise<void> {
    return Promise.reject(new Error(NO_STDIN_MESSAGE));
  }

  /**
   * just-bash stops an aborted script at its next statement boundary (a running `sleep`
   * ends at once), but a script busy in synchronous work may not notice for a while. So
   * kill reports the exit right away and whatever the script still produces is dropped.
   */
  kill(): void {
    this.terminate(KILLED_EXIT_CODE);
  }

  terminate(code: number): void {
    if (this.#output.finished) return;
    this.#controller.abort();
    this.#output.finish(code);
  }

  async #run(bash: JustBashLike, command: string, options: JustBashSpawnOptions): Promise<void> {
    let code: number;
    try {
      const { root } = options;
      const cwd = root === undefined ? options.cwd : resolvePath(root, options.cwd);
      if (root !== undefined && !isInside(root, cwd)) {
        this.#output.push(`cannot run the command: working directory ${options.cwd} is outside the workspace ${root}\n`);
        code = REFUSED_EXIT_CODE;
      } else if (!(await statOrNull(bash, cwd))?.isDirectory) {
        this.#output.push(`cannot run the command: working directory ${options.cwd} does not exist\n`);
        code = 1;
      } else {
        const result = await bash.exec(command, {
          cwd,
          signal: this.#controller.signal,
          // Keep leading whitespace: here-doc bodies (source files, patches) depend on it.
          rawScript: true,
          ...(options.env ? { env: options.env } : {}),
          ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
        });
        this.#output.push(result.stdout);
        this.#output.push(result.stderr);
        code = result.exitCode;
      }
    } catch (err) {
      this.#output.push(`${err instanceof Error ? err.message : String(err)}\n`);
      code = 1;
    }
    this.#output.finish(code);
  }
}

function createFs(bash: JustBashLike): SandboxFs {
  const fs = bash.fs;
  return {
    readFile: (path) => withFsErrors('read', path, () => fs.readFile(path, 'utf8')),
    readFileBytes: (path) => withFsErrors('read', path, async () => (await fs.readFileBuffer(path)).slice()),
    // Parent directories are created, so callers can write a new file anywhere in the tree.
    writeFile: (path, content) =>
      withFsErrors('write', path, async () => {
        const parent = path.slice(0, path.lastIndexOf('/'));
        if (parent !== '') await fs.mkdir(parent, { recursive: true });
        await fs.writeFile(path, content, 'utf8');
      }),
    stat: (path) =>
      withFsErrors('stat', path, async () => {
        const stat = await statOrNull(bash, path);
        return stat ? toFileStat(stat) : null;
      }),
    mkdir: (path) => withFsErrors('create directory', path, () => fs.mkdir(path, { recursive: true })),
    // Directories are removed with their contents; a missing path is an error.
    rm: (path) => withFsErrors('remove', path, () => fs.rm(path, { recursive: true })),
    readdir: (path) => withFsErrors('list', path, async () => (await fs.readdir(path)).sort()),
  };
}

async function statOrNull(bash: JustBashLike, path: string): Promise<FsStat | null> {
  if (!(await bash.fs.exists(path))) return null;
  return bash.fs.stat(path);
}

function toFileStat(stat: FsStat): FileStat {
  return { isFile: stat.isFile, isDirectory: stat.isDirectory, size: stat.size };
}

/**
 * just-bash's `ls`, except that a long listing marks directories with a trailing '/' only
 * when asked to (-F, -p), as GNU ls does (just-bash's own adds it to every -l listing).
 * Register it as a custom command: it runs the bundled `ls` and edits its output.
 */
export const LS_COMMAND: Command = {
  name: 'ls',
  async execute(args, ctx) {
    if (!ctx.origCommand) return { stdout: '', stderr: 'ls: the bundled ls is not available\n', exitCode: 2 };
    const result = await ctx.origCommand(args);
    const end = args.indexOf('--');
    const flags = (end < 0 ? args : args.slice(0, end)).filter((arg) => arg.startsWith('-') && arg !== '-');
    const short = flags.filter((flag) => !flag.startsWith('--')).join('');
    const classify = /[Fp]/.test(short) || flags.some((flag) => /^--(?:classify|indicator-style|file-type)/.test(flag));
    if (!short.includes('l') || classify) return result;
    return { ...result, stdout: result.stdout.replace(/^(d[rwxsStT-]{9} .*)\/$/gm, '$1') };
  },
};

/**
 * just-bash hands back a script's stdout and its stderr separately, so a terminal printing
 * one after the other shows `cat nope; echo "exit=$?"` with the error last. The returned
 * function rewrites each top-level pipeline `p` as `{ p; } 2>&1`, so each one's error output
 * lands in stdout in the order the pipelines ran (within one pipeline the order stays
 * just-bash's). A terminal shows both streams on one screen anyway, so nothing else changes:
 * `2>file` and pipes inside `p` keep their meaning. Scripts with here-documents (which
 * just-bash cannot serialize inside a group), one pipeline, or a syntax error come back
 * unchanged. `shaper` is a Bash used only to transform (this registers a plugin on it).
 */
export function createOutputOrderer(shaper: Pick<Bash, 'transform' | 'registerTransformPlugin'>): (script: string) => string {
  shaper.registerTransformPlugin(ORDERED_OUTPUT);
  return (script) => {
    if (script.includes('<<')) return script;
    try {
      const result = shaper.transform(script);
      if (!result.metadata.ordered) return script;
      shaper.transform(result.script); // what just-bash cannot read back is not used
      return result.script;
    } catch {
      return script;
    }
  };
}

const ORDERED_OUTPUT: TransformPlugin<{ ordered?: boolean }> = {
  name: 'ordered-output',
  transform({ ast }) {
    const statements = ast.statements;
    if (statements.some((s) => s.deferredError) || statements.reduce((n, s) => n + s.pipelines.length, 0) < 2) return { ast };
    for (const statement of statements) {
      statement.pipelines = statement.pipelines.map((pipeline): PipelineNode => ({
        type: 'Pipeline',
        negated: false,
        commands: [
          {
            type: 'Group',
            body: [{ type: 'Statement', pipelines: [pipeline], operators: [], background: false }],
            redirections: [{ type: 'Redirection', fd: 2, operator: '>&', target: { type: 'Word', parts: [{ type: 'Literal', value: '1' }] } }],
          },
        ],
      }));
    }
    return { ast, metadata: { ordered: true } };
  },
};
