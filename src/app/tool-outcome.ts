/**
 * How a tool card reads a call: whether it failed, what its header says, and which part of the
 * output to show. The model gets exec_command's output behind a header (wall time, exit code,
 * see `formatExecOutput`); the card's own header already shows time and exit, so the card shows
 * only the output under it. The exact text sent stays in history and in the Inspector.
 */
export type ToolStatus = 'running' | 'ok' | 'failed';

/**
 * A finished call failed when its tool says so (an error, a refusal, a denial, an interrupt)
 * or when its command exited non-zero: a failing test, a timeout (124), a kill (128 + signal).
 */
export function finishedStatus(success: boolean, exitCode: number | undefined): 'ok' | 'failed' {
  return success && (exitCode === undefined || exitCode === 0) ? 'ok' : 'failed';
}

export interface ExecHeader {
  exitCode?: number;
  /** Set when the command still runs after the call returned (write_stdin continues it). */
  sessionId?: number;
  /** The command's output: what follows `Output:` (and the line count a cut output starts with). */
  body: string;
}

/** Each line optional but one of the first two (older sessions and hand-written ones may lack the time). */
const HEADER =
  /^(?=(?:Chunk ID: [^\n]*\n)?(?:Wall time: |Process ))(?:Chunk ID: [^\n]*\n)?(?:Wall time: [^\n]*\n)?(?:Process exited with code (-?\d+)\n|Process running with session ID (\d+)\n)?(?:Original token count: \d+\n)?Output:\n(?:Total output lines: \d+\n\n)?/;

/** The header exec_command and write_stdin put above a command's output; null for any other text. */
export function execHeader(output: string): ExecHeader | null {
  const match = HEADER.exec(output);
  if (!match) return null;
  const header: ExecHeader = { body: output.slice(match[0].length) };
  if (match[1] !== undefined) header.exitCode = Number(match[1]);
  if (match[2] !== undefined) header.sessionId = Number(match[2]);
  return header;
}

/** What a card shows of a call's output: the command's output without the header sent to the model. */
export function shownOutput(output: string): string {
  return execHeader(output)?.body ?? output;
}

/** What common exit codes mean, from the shell's conventions (128 + signal number). */
const EXIT_MEANING: Readonly<Record<number, string>> = { 124: 'timed out', 130: 'interrupted', 137: 'killed', 143: 'terminated' };

export interface ToolStatusLabel {
  /** ✓ done, ✗ failed, ⏵ still running after the call returned, … running now. */
  mark: '✓' | '✗' | '⏵' | '…';
  /** e.g. "✗ exit 1 · 40 ms", "✗ exit 124 (timed out) · 10.0 s", "✗ failed · 2 ms". */
  text: string;
}

/** The status line of a tool card. */
export function toolStatusLabel(call: { status: ToolStatus; exitCode?: number; ms?: number; output: string }): ToolStatusLabel {
  if (call.status === 'running') return { mark: '…', text: 'running…' };
  const time = formatMs(call.ms ?? 0);
  const exit = call.exitCode === undefined ? '' : `exit ${call.exitCode}${EXIT_MEANING[call.exitCode] ? ` (${EXIT_MEANING[call.exitCode]})` : ''}`;
  if (call.status === 'failed') return { mark: '✗', text: `✗ ${exit || 'failed'} · ${time}` };
  if (call.exitCode === undefined) {
    const session = execHeader(call.output)?.sessionId;
    if (session !== undefined) return { mark: '⏵', text: `⏵ still running (session ${session}) · ${time}` };
  }
  return { mark: '✓', text: `✓${exit ? ` ${exit}` : ''} · ${time}` };
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
