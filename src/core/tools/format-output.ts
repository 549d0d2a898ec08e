/**
 * The text the model reads back from exec_command / write_stdin, in the layout the coding
 * models are trained on:
 *
 *   Chunk ID: <id>                          (only when given)
 *   Wall time: 0.0028 seconds
 *   Process exited with code N              (or: Process running with session ID N)
 *   Original token count: N                 (only when the output was truncated)
 *   Output:
 *   <text>
 */
import { DEFAULT_MAX_OUTPUT_TOKENS, truncateMiddle } from './truncate';

export interface ExecReport {
  chunkId?: string;
  wallTimeMs: number;
  /** Exactly one of `exitCode` (the process ended) and `sessionId` (still running). */
  exitCode?: number;
  sessionId?: number;
  output: string;
  /** Output already dropped upstream from the middle of `output` (see ProcessManager). */
  droppedBytes?: number;
  maxOutputTokens?: number;
}

export function formatExecOutput(report: ExecReport): string {
  const cut = truncateMiddle(
    report.output,
    report.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    report.droppedBytes ?? 0,
  );
  const lines: string[] = [];
  if (report.chunkId !== undefined) lines.push(`Chunk ID: ${report.chunkId}`);
  lines.push(`Wall time: ${(Math.max(0, report.wallTimeMs) / 1000).toFixed(4)} seconds`);
  if (report.exitCode !== undefined) lines.push(`Process exited with code ${report.exitCode}`);
  else if (report.sessionId !== undefined) lines.push(`Process running with session ID ${report.sessionId}`);
  if (cut.truncated) lines.push(`Original token count: ${cut.originalTokens}`);
  lines.push('Output:');
  lines.push(cut.text);
  return lines.join('\n');
}
