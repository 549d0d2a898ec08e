/**
 * `run` on top of `spawn`: waits for a process, collecting its output, with a timeout and an
 * abort signal. Works for any SandboxProcess.
 */
import type { SandboxProcess } from '../../core/ports';
import type { RunOptions, RunResult } from '../sandbox';

/** Exit code reported when the timeout killed the command (as coreutils `timeout` does). */
const TIMEOUT_EXIT_CODE = 124;

/**
 * Collects `process` until it exits. On timeout it kills the process and reports exit 124 with
 * `timedOut`; when `signal` aborts it kills the process and reports the exit code the process
 * gives (130 for just-bash). Never rejects.
 */
export async function collectRun(process: SandboxProcess, options: Pick<Partial<RunOptions>, 'timeoutMs' | 'signal'> = {}): Promise<RunResult> {
  const chunks: string[] = [];
  const stop = process.onOutput((chunk) => chunks.push(chunk));
  let timedOut = false;
  const timer =
    options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs)
      ? setTimeout(
          () => {
            timedOut = true;
            process.kill();
          },
          Math.max(0, options.timeoutMs),
        )
      : undefined;
  const onAbort = () => process.kill();
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await process.exit;
    return { output: chunks.join(''), exitCode: timedOut ? TIMEOUT_EXIT_CODE : code, timedOut };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    stop();
  }
}
