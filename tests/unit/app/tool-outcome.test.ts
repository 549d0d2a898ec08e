import { describe, expect, it } from 'vitest';
import { foldEvent, type Entry, type ToolEntry } from '../../../src/app/chat-entries';
import { entriesFromItems } from '../../../src/app/history-entries';
import { execHeader, shownOutput, toolStatusLabel } from '../../../src/app/tool-outcome';
import type { AgentEvent } from '../../../src/core/events';
import { formatExecOutput } from '../../../src/core/tools/format-output';

const call = (id: string, cmd: string) => ({ type: 'function_call' as const, call_id: id, name: 'exec_command', arguments: JSON.stringify({ cmd }) });

/** A card after its call started and finished as `finished` says. */
function card(finished: Omit<Extract<AgentEvent, { type: 'tool_finished' }>, 'type' | 'call_id'>): ToolEntry {
  const entries: Entry[] = [];
  foldEvent(entries, { type: 'tool_started', name: 'exec_command', call: call('c', 'make test') });
  foldEvent(entries, { type: 'tool_finished', call_id: 'c', ...finished });
  return entries[0] as ToolEntry;
}

describe('a tool card’s status', () => {
  it('reads a command that exited 0 as passed, with its exit code', () => {
    const entry = card({ output: formatExecOutput({ wallTimeMs: 40, exitCode: 0, output: 'ok\n' }), success: true, duration_ms: 40, exit_code: 0 });
    expect(entry.status).toBe('ok');
    expect(toolStatusLabel(entry)).toEqual({ mark: '✓', text: '✓ exit 0 · 40 ms' });
  });

  it('reads a non-zero exit as failed, though the tool ran fine', () => {
    const entry = card({ output: formatExecOutput({ wallTimeMs: 40, exitCode: 1, output: 'FAIL\n' }), success: true, duration_ms: 40, exit_code: 1 });
    expect(entry.status).toBe('failed');
    expect(toolStatusLabel(entry)).toEqual({ mark: '✗', text: '✗ exit 1 · 40 ms' });
  });

  it('says what a timeout and a kill mean', () => {
    const timedOut = card({
      output: formatExecOutput({ wallTimeMs: 10_000, exitCode: 124, output: 'node: timed out\n' }),
      success: true,
      duration_ms: 10_000,
      exit_code: 124,
    });
    expect(timedOut.status).toBe('failed');
    expect(toolStatusLabel(timedOut).text).toBe('✗ exit 124 (timed out) · 10.0 s');
    const killed = card({ output: formatExecOutput({ wallTimeMs: 5, exitCode: 137, output: '' }), success: true, duration_ms: 5, exit_code: 137 });
    expect(toolStatusLabel(killed).text).toBe('✗ exit 137 (killed) · 5 ms');
  });

  it('reads a tool error, a denial or an interrupt as failed without an exit code', () => {
    for (const output of ['exec_command: failed to start the command: boom', 'rejected by user', 'aborted by user']) {
      const entry = card({ output, success: false, duration_ms: 2 });
      expect(entry.status).toBe('failed');
      expect(toolStatusLabel(entry)).toEqual({ mark: '✗', text: '✗ failed · 2 ms' });
    }
  });

  it('says a command still runs after the call returned, with its session', () => {
    const entry = card({ output: formatExecOutput({ wallTimeMs: 1000, sessionId: 3, output: 'listening\n' }), success: true, duration_ms: 1000 });
    expect(entry.status).toBe('ok');
    expect(toolStatusLabel(entry)).toEqual({ mark: '⏵', text: '⏵ still running (session 3) · 1.0 s' });
  });

  it('shows a call without an exit code (a patch) as done', () => {
    expect(toolStatusLabel({ status: 'ok', ms: 3, output: 'Success. Updated the following files:\nA a.txt' }).text).toBe('✓ · 3 ms');
    expect(toolStatusLabel({ status: 'running', output: '' }).text).toBe('running…');
  });

  it('reads a stored session the same way, also one saved when a non-zero exit counted as passed', () => {
    const items = [
      call('a', 'make test'),
      { type: 'function_call_output' as const, call_id: 'a', output: formatExecOutput({ wallTimeMs: 5, exitCode: 2, output: 'FAIL\n' }) },
      call('b', 'ls'),
      { type: 'function_call_output' as const, call_id: 'b', output: formatExecOutput({ wallTimeMs: 5, exitCode: 0, output: 'a.txt\n' }) },
    ];
    const stored = new Map([['a', { type: 'unroll.tool' as const, call_id: 'a', status: 'ok' as const, exit_code: 2, ms: 5 }]]);
    const [a, b] = entriesFromItems(items, { tools: stored }) as ToolEntry[];
    expect([a!.status, a!.exitCode]).toEqual(['failed', 2]);
    expect([b!.status, b!.exitCode]).toEqual(['ok', 0]);
    expect(toolStatusLabel(a!).mark).toBe('✗');
  });
});

describe('a tool card’s output', () => {
  it('is the command’s output without the header the model reads', () => {
    const text = formatExecOutput({ chunkId: 'x1', wallTimeMs: 12, exitCode: 1, output: 'line 1\nOutput:\nline 3\n' });
    expect(text).toContain('Wall time');
    expect(shownOutput(text)).toBe('line 1\nOutput:\nline 3\n');
    expect(execHeader(text)).toEqual({ exitCode: 1, body: 'line 1\nOutput:\nline 3\n' });
    const truncated = formatExecOutput({ wallTimeMs: 12, exitCode: 0, output: 'x'.repeat(50_000), maxOutputTokens: 100 });
    expect(truncated).toContain('Original token count');
    expect(shownOutput(truncated)).not.toContain('Original token count');
    expect(shownOutput(truncated).startsWith('x')).toBe(true);
  });

  it('drops the line count a cut output starts with, and keeps the marker', () => {
    const text = formatExecOutput({ chunkId: 'c0ffee', wallTimeMs: 12, exitCode: 2, output: 'a\n'.repeat(30_000), maxOutputTokens: 100 });
    expect(text).toMatch(
      /^Chunk ID: c0ffee\nWall time: [^\n]+\nProcess exited with code 2\nOriginal token count: 15000\nOutput:\nTotal output lines: 30000\n\na\n/,
    );
    const header = execHeader(text);
    expect(header?.exitCode).toBe(2);
    expect(header?.body).not.toContain('Total output lines');
    expect(header?.body).toMatch(/^a\na\n[\s\S]*…\d+ tokens truncated…/);
  });

  it('leaves any other text as it is', () => {
    for (const text of ['Success. Updated the following files:\nM a.txt', 'Output:\nnot a header', 'a\nWall time: 1 seconds\nOutput:\nb']) {
      expect(shownOutput(text)).toBe(text);
      expect(execHeader(text)).toBeNull();
    }
  });
});
