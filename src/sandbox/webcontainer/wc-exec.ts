/**
 * Commands in the WebContainer: each one is `node <toolbox> -c <command>` once the toolbox is
 * installed (bash syntax and tools, see toolbox-install.ts), else `jsh -c <command>`; the exit
 * code is the process's exit code (jsh's OSC exit markers are only emitted with --osc; any
 * that show up are stripped and used only when the runtime reports no code).
 *
 * Every process runs on the runtime's pseudo-terminal, so for the model (tty: false) the
 * output is cleaned: OSC sequences removed, CRLF turned back into LF (what remains of colours
 * and progress bars is read as text by core/tools/terminal-text.ts). Because programs see a
 * terminal, they would ask questions ("Ok to proceed?") and draw spinners: every command is
 * started with AGENT_ENV, which tells npm, npx and colour libraries not to, and on a wide
 * terminal so their lines are not wrapped for 80 columns. `write()` types into that
 * terminal (which, like any terminal, echoes it). The terminal cannot signal end-of-input,
 * so the `stdin` option is handed to the toolbox as an argument (`--stdin-base64`), or without
 * it delivered through a pipe: `node -e '<write the text>' | jsh -c '<command>'`; such a
 * process takes no further input.
 *
 * `kill()` is a terminal's Ctrl-C first (`\x03` on the pseudo-terminal: the foreground
 * program gets SIGINT and can clean up, as in a terminal), and a hard kill only when the
 * process is still running `killGraceMs` later.
 */
import type { SandboxProcess, SpawnOptions } from '../../core/ports';
import { toBase64 } from '../snapshot';
import { ProcessOutput } from '../process-output';
import { kindOf } from './fs-util';
import { createOutputFilter, exitCodeOf, type OutputFilter } from './osc';
import { confine } from './paths';
import type { WcProcess, WcSpawnOptions } from './types';
import type { WcContext } from './wc-fs';

/** Reported for a process we killed (128 + SIGINT), as the embedded backend does. */
export const KILLED_EXIT_CODE = 130;
/** Reported when the command could not be started at all. */
const START_FAILED_EXIT_CODE = 1;
/** After the process exits, how long to wait for the rest of its output. */
const OUTPUT_GRACE_MS = 250;
/** After Ctrl-C, how long a process may take to exit before it is killed. */
const KILL_GRACE_MS = 1000;
/** The pseudo-terminal of every command: wide, so tools do not wrap or shorten lines. */
export const AGENT_TERMINAL = { cols: 200, rows: 50 };
/**
 * The environment of every command (not of the person's terminal): npm and npx answer their
 * own questions (`npx create-…` would otherwise wait at "Ok to proceed?") and draw no progress
 * bars, and programs that follow NO_COLOR / FORCE_COLOR print no colours.
 */
export const AGENT_ENV: Readonly<Record<string, string>> = {
  npm_config_yes: 'true',
  npm_config_progress: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

export type WcSpawnRequest = SpawnOptions & { stdin?: string };

export interface WcSpawnTuning {
  /** See KILL_GRACE_MS. */
  killGraceMs?: number;
}

/** Starts `command` in the workspace; the returned process never throws at you. */
export function spawnInWorkspace(
  ready: () => Promise<WcContext>,
  command: string,
  options: WcSpawnRequest,
  tuning: WcSpawnTuning = {},
): WcProcessHandle {
  const start = ready().then(async ({ wc, root, toolbox: installing }) => {
    const cwd = confine(root, options.cwd || root);
    if ((await kindOf(wc.fs, root, cwd.abs)) !== 'directory') {
      throw new Error(`cannot run the command: working directory ${cwd.abs} does not exist`);
    }
    const toolbox = await installing;
    if (!toolbox) return wc.spawn('jsh', ['-c', commandLine(command, options.stdin)], spawnOptions(cwd.rel, wc.path, options));
    const stdin = options.stdin === undefined ? [] : ['--stdin-base64', toBase64(new TextEncoder().encode(options.stdin))];
    return wc.spawn('node', [toolbox.entry, ...stdin, '-c', command], spawnOptions(cwd.rel, `${toolbox.bin}:${wc.path}`, options));
  });
  return new WcProcessHandle(start, {
    tty: options.tty === true,
    inputRefusal: options.stdin === undefined ? undefined : 'this command was given its input up front (stdin) and takes no more',
    killGraceMs: tuning.killGraceMs ?? KILL_GRACE_MS,
  });
}

function spawnOptions(cwd: string, defaultPath: string, options: WcSpawnRequest): WcSpawnOptions {
  // A custom env may replace the default one, so the default PATH goes along unless set.
  const env = { ...AGENT_ENV, ...options.env, PATH: options.env?.PATH ?? defaultPath };
  return { cwd, output: true, env, terminal: { ...AGENT_TERMINAL } };
}

/** The `jsh -c` argument: the command itself, or fed `stdin` through a pipe. */
export function commandLine(command: string, stdin: string | undefined): string {
  if (stdin === undefined) return command;
  const bytes = new TextEncoder().encode(stdin);
  const writer = `process.stdout.write(Buffer.from("${toBase64(bytes)}","base64"))`;
  return `node -e ${shellQuote(writer)} | jsh -c ${shellQuote(command)}`;
}

/** POSIX single quoting: the text comes through literally. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface ProcessHandleOptions {
  /** Raw terminal output (no cleaning) when true. */
  tty: boolean;
  /** When set, `write` rejects with this message. */
  inputRefusal?: string;
  /** See KILL_GRACE_MS (the default). */
  killGraceMs?: number;
}

export class WcProcessHandle implements SandboxProcess {
  readonly #output = new ProcessOutput();
  readonly exit = this.#output.exit;
  readonly #filter: OutputFilter;
  readonly #started: Promise<WcProcess>;
  #writer: WritableStreamDefaultWriter<string> | undefined;
  #oscExit: number | undefined;
  readonly #options: ProcessHandleOptions;

  constructor(start: Promise<WcProcess>, options: ProcessHandleOptions) {
    this.#options = options;
    this.#filter = createOutputFilter({
      stripAllOsc: !options.tty,
      normalizeNewlines: !options.tty,
      onSignal: (signal) => {
        this.#oscExit = exitCodeOf(signal) ?? this.#oscExit;
      },
    });
    this.#started = start;
    start.catch(() => undefined);
    void this.#run(start);
  }

  onOutput(listener: (chunk: string) => void): () => void {
    return this.#output.onOutput(listener);
  }

  async write(chars: string): Promise<void> {
    if (this.#options.inputRefusal) throw new Error(this.#options.inputRefusal);
    if (this.#output.finished) throw new Error('the process has exited and takes no more input');
    const proc = await this.#started;
    if (this.#output.finished) throw new Error('the process has exited and takes no more input');
    this.#writer ??= proc.input.getWriter();
    await this.#writer.write(chars);
  }

  /**
   * Reports the exit at once (130); output the process still produces is dropped. The
   * process itself gets Ctrl-C, then a kill if it is still running after the grace period.
   */
  kill(): void {
    if (this.#output.finished) return;
    this.#output.finish(KILLED_EXIT_CODE);
    this.#started.then(
      (proc) => this.#interrupt(proc),
      () => undefined,
    );
  }

  async #interrupt(proc: WcProcess): Promise<void> {
    let exited = false;
    const exit = proc.exit.then(
      () => void (exited = true),
      () => void (exited = true),
    );
    try {
      this.#writer ??= proc.input.getWriter();
      void this.#writer.write('\x03').catch(() => undefined);
    } catch {
      // No way to type into it: the kill below does it.
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([exit, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#options.killGraceMs ?? KILL_GRACE_MS)))]);
    clearTimeout(timer);
    if (exited) return;
    try {
      proc.kill();
    } catch {
      // torn down meanwhile: nothing left to kill
    }
  }

  async #run(start: Promise<WcProcess>): Promise<void> {
    let proc: WcProcess;
    try {
      proc = await start;
    } catch (err) {
      this.#output.push(`${err instanceof Error ? err.message : String(err)}\n`);
      this.#output.finish(START_FAILED_EXIT_CODE);
      return;
    }
    if (this.#output.finished) return; // killed while starting; kill() takes care of the process
    const pumped = this.#pump(proc.output);
    const code = await proc.exit.then(
      (c) => (Number.isInteger(c) ? c : undefined),
      () => undefined,
    );
    await Promise.race([pumped, new Promise((r) => setTimeout(r, OUTPUT_GRACE_MS))]);
    this.#output.push(this.#filter.flush());
    this.#output.finish(code ?? this.#oscExit ?? 1);
  }

  /**
   * Reads the output to its end, even after a kill (output is then dropped): cancelling the
   * stream instead would make the library's next enqueue throw inside its message handler.
   */
  async #pump(output: ReadableStream<string>): Promise<void> {
    const reader = output.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.#output.push(this.#filter.push(value));
      }
    } catch {
      // The stream broke (teardown): the exit code still comes from `exit`.
    }
  }
}
