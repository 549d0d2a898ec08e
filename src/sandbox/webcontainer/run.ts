/**
 * `exec.run`: a spawned process followed to its end, a timeout or an abort. Works over any
 * SandboxProcess whose `kill()` settles `exit` promptly.
 */
import type { SandboxProcess } from '../../core/ports';
import type { RunResult } from '../sandbox';

/** Exit code of a command stopped by its timeout (as `timeout(1)` reports). */
const TIMEOUT_EXIT_CODE = 124;
/** Exit code of a command stopped by its abort signal (128 + SIGINT). */
const ABORTED_EXIT_CODE = 130;

export interface RunControl {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function runToEnd(spawn: () => SandboxProcess, control: RunControl = {}): Promise<RunResult> {
  const { timeoutMs, signal } = control;
  if (signal?.aborted) return { output: '', exitCode: ABORTED_EXIT_CODE, timedOut: false };
  const proc = spawn();
  let output = '';
  const unsubscribe = proc.onOutput((chunk) => {
    output += chunk;
  });
  let stopped: 'timeout' | 'abort' | undefined;
  const stop = (why: 'timeout' | 'abort') => {
    stopped ??= why;
    proc.kill();
  };
  const timer = timeoutMs !== undefined && timeoutMs > 0 ? setTimeout(() => stop('timeout'), timeoutMs) : undefined;
  const onAbort = () => stop('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await proc.exit;
    if (stopped === 'timeout') return { output, exitCode: TIMEOUT_EXIT_CODE, timedOut: true };
    if (stopped === 'abort') return { output, exitCode: ABORTED_EXIT_CODE, timedOut: false };
    return { output, exitCode: code, timedOut: false };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
