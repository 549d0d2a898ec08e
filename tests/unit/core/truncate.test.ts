import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  approxTokens,
  countLines,
  headByBytes,
  tailByBytes,
  truncateInline,
  truncateMiddle,
  utf8Length,
} from '../../../src/core/tools/truncate';
import { formatExecOutput } from '../../../src/core/tools/format-output';

const bytes = (s: string) => new TextEncoder().encode(s).length;

describe('utf8Length', () => {
  it('matches TextEncoder, including astral characters and lone surrogates', () => {
    for (const s of ['', 'abc', 'héllo', '→✓', '😀x😀', 'a\ud800b', '\udc00', 'end\ud83d']) {
      expect(utf8Length(s)).toBe(bytes(s));
    }
  });

  it('approxTokens rounds bytes/4 up', () => {
    expect(approxTokens('')).toBe(0);
    expect(approxTokens('a')).toBe(1);
    expect(approxTokens('abcd')).toBe(1);
    expect(approxTokens('abcde')).toBe(2);
    expect(approxTokens('é'.repeat(4))).toBe(2); // 8 bytes
  });
});

describe('headByBytes / tailByBytes', () => {
  it('never split a multi-byte character', () => {
    expect(headByBytes('aé', 2)).toBe('a');
    expect(headByBytes('aé', 3)).toBe('aé');
    expect(tailByBytes('éa', 2)).toBe('a');
    expect(tailByBytes('😀😀', 5)).toBe('😀');
    expect(headByBytes('😀😀', 3)).toBe('');
  });
});

describe('truncateMiddle', () => {
  it('leaves text within the budget alone', () => {
    const r = truncateMiddle('hello world\n', 10);
    expect(r).toEqual({ text: 'hello world\n', originalTokens: 3, truncated: false });
  });

  it('defaults to a 10 000-token budget', () => {
    expect(DEFAULT_MAX_OUTPUT_TOKENS).toBe(10_000);
    expect(truncateMiddle('x'.repeat(40_000)).truncated).toBe(false);
    expect(truncateMiddle('x'.repeat(40_001)).truncated).toBe(true);
  });

  it('keeps the head and tail halves with a marker line between them', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const r = truncateMiddle(lines, 20); // 80 bytes: 40 of head, 40 of tail
    expect(r.truncated).toBe(true);
    expect(r.originalTokens).toBe(Math.ceil(bytes(lines) / 4));
    expect(r.text.startsWith('line 1\nline 2\n')).toBe(true);
    expect(r.text.endsWith('line 999\nline 1000\n')).toBe(true);
    const marker = r.text.split('\n').find((l) => l.includes('tokens truncated'));
    expect(marker).toMatch(/^…\d+ tokens truncated…$/);
    const removed = Number(/…(\d+) tokens/.exec(marker as string)?.[1]);
    expect(removed).toBe(Math.ceil((bytes(lines) - 80) / 4));
    // head + tail stay within the byte budget
    expect(bytes(r.text.replace(`\n${marker}\n`, '').replace(`${marker}\n`, ''))).toBeLessThanOrEqual(80);
  });

  it('does not split multi-byte characters at either cut', () => {
    const text = 'é'.repeat(500) + '😀'.repeat(500);
    const r = truncateMiddle(text, 5); // 20 bytes → 10 head, 10 tail
    expect(r.truncated).toBe(true);
    expect(r.text).not.toContain('\ufffd');
    const [head, marker, tail] = r.text.split('\n');
    expect(head).toBe('é'.repeat(5));
    expect(tail).toBe('😀'.repeat(2));
    expect(marker).toMatch(/^…\d+ tokens truncated…$/);
  });

  it('counts bytes dropped upstream and marks the gap even when the rest fits', () => {
    const r = truncateMiddle('HEAD-TAIL', 100, 4000);
    expect(r.truncated).toBe(true);
    expect(r.originalTokens).toBe(Math.ceil((9 + 4000) / 4));
    expect(r.text).toBe('HEAD\n…1000 tokens truncated…\n-TAIL');
  });

  it('with a zero budget keeps only the marker', () => {
    const r = truncateMiddle('abcdefgh', 0);
    expect(r.text).toBe('…2 tokens truncated…');
  });
});

describe('truncateInline (what the model reads)', () => {
  it('joins head and tail with the marker inline, as Codex does', () => {
    const r = truncateInline('0123456789abcdefghij', 2); // 8 bytes: 4 of head, 4 of tail
    expect(r).toEqual({ text: '0123…3 tokens truncated…ghij', originalTokens: 5, truncated: true });
  });

  it('leaves text within the budget alone and counts dropped bytes like truncateMiddle', () => {
    expect(truncateInline('hello\n', 10)).toEqual({ text: 'hello\n', originalTokens: 2, truncated: false });
    expect(truncateInline('HEAD-TAIL', 100, 4000).text).toBe('HEAD…1000 tokens truncated…-TAIL');
    expect(truncateInline('abcdefgh', 0).text).toBe('…2 tokens truncated…');
  });
});

describe('countLines', () => {
  it('counts lines as Rust str::lines does, plus line breaks dropped upstream', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('a\r\nb\r\n')).toBe(2);
    expect(countLines('\n\n')).toBe(2);
    expect(countLines('a\nb', 10)).toBe(12);
  });
});

describe('formatExecOutput', () => {
  it('formats an exited process with the original token count', () => {
    expect(formatExecOutput({ chunkId: '1a2b3c', wallTimeMs: 2.8, exitCode: 0, output: 'hi\n' })).toBe(
      'Chunk ID: 1a2b3c\nWall time: 0.0028 seconds\nProcess exited with code 0\nOriginal token count: 1\nOutput:\nhi\n',
    );
  });

  it('formats a running process', () => {
    expect(formatExecOutput({ chunkId: 'ab12cd', wallTimeMs: 1500, sessionId: 1000, output: '' })).toBe(
      'Chunk ID: ab12cd\nWall time: 1.5000 seconds\nProcess running with session ID 1000\nOriginal token count: 0\nOutput:\n',
    );
  });

  it('starts cut output with its total line count, then head and tail around an inline marker', () => {
    const output = 'a'.repeat(500) + '\n' + 'b'.repeat(498) + '\n'; // 1000 bytes
    const text = formatExecOutput({ chunkId: 'c0ffee', wallTimeMs: 0, exitCode: 1, output, maxOutputTokens: 10 });
    expect(text).toBe(
      [
        'Chunk ID: c0ffee',
        'Wall time: 0.0000 seconds',
        'Process exited with code 1',
        'Original token count: 250',
        'Output:',
        'Total output lines: 2',
        '',
        `${'a'.repeat(20)}…240 tokens truncated…${'b'.repeat(19)}\n`,
      ].join('\n'),
    );
  });

  it('counts the lines of output dropped upstream', () => {
    const text = formatExecOutput({
      wallTimeMs: 0,
      exitCode: 0,
      output: 'head\ntail\n',
      droppedBytes: 9000,
      droppedNewlines: 900,
      maxOutputTokens: 10,
    });
    expect(text).toContain('Output:\nTotal output lines: 902\n\nhead\n');
  });

  it('leaves out the chunk id line only when there is no chunk id', () => {
    expect(formatExecOutput({ wallTimeMs: 0, exitCode: 0, output: 'x' })).toMatch(/^Wall time: /);
  });
});
