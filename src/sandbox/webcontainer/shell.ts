/**
 * The terminal pane's shell: `jsh --osc` on a pseudo-terminal of the pane's size.
 *
 * jsh announces with `ESC]654;interactive BEL` when it starts taking input; keys typed
 * before that would be lost, so they are queued until then (or until its first prompt
 * marker). Its private 654 sequences are removed from the output; everything else —
 * colours, cursor movement, CRLF — goes to the terminal untouched. Output is kept (up to
 * MAX_REPLAY characters) and replayed to a late subscriber, so a terminal attached after
 * the first prompt still shows it.
 */
import type { ShellSession } from '../sandbox';
import { createOutputFilter } from './osc';
import type { WcProcess } from './types';
import { KILLED_EXIT_CODE } from './wc-exec';
import type { WcContext } from './wc-fs';

const MAX_REPLAY = 256 * 1024;
/** Sends queued input anyway this long after the first output, should no marker come. */
const INPUT_FALLBACK_MS = 1500;

export function openWcShell(ready: () => Promise<WcContext>, size: { cols: number; rows: number }): ShellSession {
  let current = { ...size };
  let proc: WcProcess | undefined;
  let writer: WritableStreamDefaultWriter<string> | undefined;
  let accepting = false;
  let finished = false;
  let replay = '';
  const queued: string[] = [];
  const listeners = new Set<(data: string) => void>();
  let resolveExit: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });

  const emit = (data: string) => {
    if (data === '' || finished) return;
    replay = (replay + data).slice(-MAX_REPLAY);
    for (const listener of [...listeners]) listener(data);
  };
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    resolveExit(code);
  };
  const acceptInput = () => {
    if (accepting || !proc) return;
    accepting = true;
    writer = proc.input.getWriter();
    for (const data of queued.splice(0)) void writer.write(data).catch(() => undefined);
  };
  const filter = createOutputFilter({
    onSignal: (signal) => {
      if (signal.code === 'interactive' || signal.code === 'prompt') acceptInput();
    },
  });

  void ready()
    .then(async ({ wc, toolbox }) => {
      // The toolbox's tools (bash, grep, rg, sed, …) on the PATH, once it is installed.
      const bin = (await toolbox)?.bin;
      return wc.spawn('jsh', ['--osc'], { terminal: current, output: true, ...(bin ? { env: { PATH: `${bin}:${wc.path}` } } : {}) });
    })
    .then(
      async (started) => {
        proc = started;
        if (finished) return started.kill();
        started.resize(current);
        void started.exit.then(finish, () => finish(1));
        const reader = started.output.getReader();
        let fallback: ReturnType<typeof setTimeout> | undefined;
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break; // read to the end even after a kill (see WcProcessHandle.pump)
            emit(filter.push(value));
            fallback ??= setTimeout(acceptInput, INPUT_FALLBACK_MS);
          }
        } catch {
          // torn down
        }
        emit(filter.flush());
        if (fallback !== undefined) clearTimeout(fallback);
      },
      (err: unknown) => {
        emit(`\r\nThe shell could not start: ${err instanceof Error ? err.message : String(err)}\r\n`);
        finish(1);
      },
    );

  return {
    write(data) {
      if (finished) return;
      if (accepting && writer) void writer.write(data).catch(() => undefined);
      else queued.push(data);
    },
    resize(cols, rows) {
      current = { cols, rows };
      if (!finished) proc?.resize(current);
    },
    onOutput(listener) {
      if (replay) listener(replay);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exit,
    kill() {
      if (finished) return;
      proc?.kill();
      finish(KILLED_EXIT_CODE);
    },
  };
}
