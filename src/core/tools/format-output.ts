/**
 * The text the model reads back from exec_command / write_stdin, in the layout Codex writes
 * and the coding models are trained on:
 *
 *   Chunk ID: 3f9a0c
 *   Wall time: 0.0028 seconds
 *   Process exited with code N              (or: Process running with session ID N)
 *   Original token count: N
 *   Output:
 *   <text>
 *
 * The output is read as a terminal would show it (see terminal-text.ts): escape sequences
 * removed, redrawn progress lines collapsed to their last version. Output longer than its
 * budget (counted after that) becomes `Total output lines: N`, a blank line, then its head
 * and tail joined by an inline `…N tokens truncated…`.
 */
import { terminalText } from './terminal-text';
import { DEFAULT_MAX_OUTPUT_TOKENS, countLines, truncateInline } from './truncate';

export interface ExecReport {
  /** Codex always sends one (see `ProcessManager.chunkId`); the line is left out without it. */
  chunkId?: string;
  wallTimeMs: number;
  /** Exactly one of `exitCode` (the process ended) and `sessionId` (still running). */
  exitCode?: number;
  sessionId?: number;
  output: string;
  /** Output already dropped upstream from the middle of `output` (see ProcessManager). */
  droppedBytes?: number;
  /** Line breaks in the dropped output. */
  droppedNewlines?: number;
  maxOutputTokens?: number;
}

export function formatExecOutput(report: ExecReport): string {
  const output = terminalText(report.output);
  const cut = truncateInline(output, report.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS, report.droppedBytes ?? 0);
  const lines: string[] = [];
  if (report.chunkId !== undefined && report.chunkId !== '') lines.push(`Chunk ID: ${report.chunkId}`);
  lines.push(`Wall time: ${(Math.max(0, report.wallTimeMs) / 1000).toFixed(4)} seconds`);
  if (report.exitCode !== undefined) lines.push(`Process exited with code ${report.exitCode}`);
  else if (report.sessionId !== undefined) lines.push(`Process running with session ID ${report.sessionId}`);
  lines.push(`Original token count: ${cut.originalTokens}`);
  lines.push('Output:');
  if (cut.truncated) lines.push(`Total output lines: ${countLines(output, report.droppedNewlines ?? 0)}`, '');
  lines.push(cut.text);
  return lines.join('\n');
}
