/**
 * Real programs, run from the toolbox's shell. just-bash implements the shell and the text
 * tools; node, npm, npx, python3 and whatever else the machine has on its PATH are started as
 * child processes with the shell's working directory, exported variables and standard input,
 * and their output becomes the command's output (as bytes, so binary output survives a pipe).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { defineCommand, latin1FromBytes, type Command } from 'just-bash';

/** Programs handed off wherever they exist, whether or not a PATH lookup finds them as files. */
export const ALWAYS_HANDED_OFF = ['node', 'npm', 'npx', 'pnpm', 'yarn', 'corepack', 'python3', 'python', 'pip', 'pip3', 'jsh', 'git'];

/** Started children, so an interrupted toolbox can stop them. */
export const children = new Set<ChildProcess>();

export interface HandOffContext {
  /** The machine's PATH, as the toolbox was started with it. */
  realPath: string;
  /** Executable names on realPath, found once. */
  programs?: Set<string>;
}

/** Executable names in the directories of `path`. */
export function programsOnPath(path: string): Set<string> {
  const found = new Set<string>();
  for (const dir of path.split(':')) {
    if (!dir) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      try {
        accessSync(`${dir}/${name}`, constants.X_OK);
        found.add(name);
      } catch {
        // not executable
      }
    }
  }
  return found;
}

/** The environment a child gets: the shell's exported variables, with the machine's PATH. */
function childEnv(exported: Record<string, string> | undefined, context: HandOffContext): NodeJS.ProcessEnv {
  return { ...process.env, ...exported, PATH: context.realPath };
}

export function handOffCommand(name: string, context: HandOffContext): Command {
  return defineCommand(name, (args, ctx) => {
    return new Promise((resolve) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const child = startProgram(name, args, { cwd: ctx.cwd, env: childEnv(ctx.exportedEnv, context), stdio: ['pipe', 'pipe', 'pipe'] }, context);
      const stop = () => child.kill('SIGINT');
      ctx.signal?.addEventListener('abort', stop, { once: true });
      child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin?.on('error', () => {});
      child.stdin?.end(Buffer.from(latin1FromBytes(ctx.stdin), 'latin1'));
      child.on('error', (error: NodeJS.ErrnoException) => {
        const message = error.code === 'ENOENT' ? 'command not found' : error.message;
        resolve({ stdout: '', stderr: `${name}: ${message}\n`, exitCode: error.code === 'ENOENT' ? 127 : 126 });
      });
      child.on('close', (code, signal) => {
        ctx.signal?.removeEventListener('abort', stop);
        resolve({
          stdout: Buffer.concat(stdout).toString('latin1'),
          stdoutKind: 'bytes',
          stderr: Buffer.concat(stderr).toString('utf8'),
          exitCode: code ?? (signal === 'SIGINT' ? 130 : 128 + 15),
        });
      });
    });
  });
}

/**
 * Starts `name` as a program. A name that is no file on the PATH but may be a command of the
 * runtime's own shell (some are, in a WebContainer) goes through that shell, `jsh -c`, where
 * there is one; otherwise the child reports `error` ENOENT.
 */
export function startProgram(name: string, args: string[], options: SpawnOptions, context: HandOffContext): ChildProcess {
  const onPath = (context.programs ??= programsOnPath(context.realPath));
  const viaShell = !onPath.has(name) && name !== 'jsh' && onPath.has('jsh');
  const child = viaShell ? spawn('jsh', ['-c', [name, ...args].map(shellQuote).join(' ')], options) : spawn(name, args, options);
  children.add(child);
  child.on('close', () => children.delete(child));
  child.on('error', () => children.delete(child));
  return child;
}

/** `word` as one shell word. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * just-bash's `which`, except that a handed-off program is found where it really is (its own
 * `which` looks only at the commands it implements) and one that is nowhere is not found.
 */
export function whichCommand(handedOff: ReadonlySet<string>, context: HandOffContext): Command {
  return defineCommand('which', async (args, ctx) => {
    const names = args.filter((arg) => !arg.startsWith('-'));
    const silent = args.some((arg) => /^-[a-z]*s/.test(arg));
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    for (const name of names) {
      if (handedOff.has(name)) {
        const path = locate(name, context.realPath);
        if (path) stdout += `${path}\n`;
        else {
          exitCode = 1;
          if (!silent) stderr += `which: no ${name} in (${context.realPath})\n`;
        }
        continue;
      }
      const own = ctx.origCommand ? await ctx.origCommand([...args.filter((a) => a.startsWith('-')), name]) : undefined;
      if (!own || own.exitCode !== 0) exitCode = 1;
      stdout += own?.stdout ?? '';
      stderr += own?.stderr ?? '';
    }
    return { stdout: silent ? '' : stdout, stderr, exitCode: names.length === 0 ? 1 : exitCode };
  });
}

function locate(name: string, path: string): string | undefined {
  for (const dir of path.split(':')) {
    if (!dir) continue;
    try {
      accessSync(`${dir}/${name}`, constants.X_OK);
      return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return undefined;
}
