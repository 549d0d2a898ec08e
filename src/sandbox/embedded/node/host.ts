/**
 * The host bridge the guest runtime sees as `U.host` (installed as `globalThis.__unroll_host`,
 * which the guest bootstrap takes and deletes):
 *
 * - `write(fd, text)`: hands text to the run's stdout (1) or stderr (2); past the output
 *   limit the run stops.
 * - `exit(code)`: the first call fixes the exit code; the interrupt handler then stops the VM.
 * - `fs(op, argsJson)`: one operation on the run's filesystem mirror, as JSON (fs-bridge.ts).
 * - `compile(source, filename)`: the CommonJS module function for `source`, or its SyntaxError.
 * - `stdin()`: the command's stdin as text; `source(file)`: an ES module's text, for error lines.
 *
 * Once the run is stopping (exit, limit, abort), writes are dropped and fs calls fail, so code
 * that catches the exit signal cannot act on anything.
 */
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';

export type StopReason = 'timeout' | 'abort' | 'output' | 'memory';

export interface HostState {
  /** Characters written so far, both streams. */
  written: number;
  maxOutput: number;
  write(fd: 1 | 2, text: string): void;
  exitCode?: number;
  stop?: StopReason;
  /** ES module sources by absolute path (CommonJS sources are kept in the guest). */
  sources: Map<string, string>;
}

export interface HostBridge {
  fs(op: string, argsJson: string): string;
  compile(source: string, filename: string): ReturnType<QuickJSContext['evalCode']>;
  stdin(): string;
}

const STOPPING = JSON.stringify({ error: { message: 'the process is exiting' } });

export function installHost(context: QuickJSContext, state: HostState, bridge: HostBridge): void {
  const stopping = () => state.exitCode !== undefined || state.stop !== undefined;
  const text = (h: QuickJSHandle | undefined) => (h === undefined ? '' : context.getString(h));
  const host = context.newObject();
  const add = (name: string, fn: QuickJSHandle) => fn.consume((h) => context.setProp(host, name, h));

  add(
    'write',
    context.newFunction('write', (fd, chunk) => {
      if (stopping()) return;
      const s = text(chunk);
      state.write(fd && context.getNumber(fd) === 2 ? 2 : 1, s);
      state.written += s.length;
      if (state.written > state.maxOutput) state.stop = 'output';
    }),
  );
  add(
    'exit',
    context.newFunction('exit', (code) => {
      if (state.exitCode !== undefined) return;
      const n = code ? Math.trunc(context.getNumber(code)) || 0 : 0;
      state.exitCode = ((n % 256) + 256) % 256;
    }),
  );
  add(
    'fs',
    context.newFunction('fs', (op, args) => context.newString(stopping() ? STOPPING : bridge.fs(text(op), text(args)))),
  );
  add(
    'compile',
    context.newFunction('compile', (source, filename) => {
      const result = bridge.compile(text(source), text(filename));
      return result.error ? { error: result.error } : result.value;
    }),
  );
  add(
    'stdin',
    context.newFunction('stdin', () => context.newString(bridge.stdin())),
  );
  add(
    'source',
    context.newFunction('source', (file) => {
      const source = state.sources.get(text(file));
      return source === undefined ? context.undefined : context.newString(source);
    }),
  );
  context.setProp(context.global, '__unroll_host', host);
  host.dispose();
}
