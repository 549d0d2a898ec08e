import { describe, expect, it } from 'vitest';
import { createOutputFilter, exitCodeOf, stripOsc, type OscSignal } from '../../../src/sandbox/webcontainer/osc';

const osc = (payload: string, st = '\x07') => `\x1b]${payload}${st}`;

function runSplits(stream: string, options: Parameters<typeof createOutputFilter>[0]) {
  const results: { text: string; signals: OscSignal[] }[] = [];
  for (let split = 0; split <= stream.length; split++) {
    const signals: OscSignal[] = [];
    const filter = createOutputFilter({ ...options, onSignal: (s) => signals.push(s) });
    const text = filter.push(stream.slice(0, split)) + filter.push(stream.slice(split)) + filter.flush();
    results.push({ text, signals });
  }
  return results;
}

describe('output filter', () => {
  it("takes jsh's 654 markers out at every possible split and reports them", () => {
    const stream = `${osc('654;interactive')}npm \x1b[32mok\x1b[0m\r\n${osc('654;exit=42:3', '\x1b\\')}${osc('654;prompt')}`;
    for (const { text, signals } of runSplits(stream, {})) {
      expect(text).toBe('npm \x1b[32mok\x1b[0m\r\n');
      expect(signals).toEqual([{ code: 'interactive' }, { code: 'exit', value: '42:3' }, { code: 'prompt' }]);
    }
  });

  it('for the model: removes every OSC sequence and turns CRLF into LF at every split', () => {
    const stream = `${osc('0;my title')}line 1\r\nline 2\r\n50%\r100%\r\n`;
    for (const { text } of runSplits(stream, { stripAllOsc: true, normalizeNewlines: true })) {
      expect(text).toBe('line 1\nline 2\n50%\r100%\n');
    }
  });

  it('for a terminal: keeps other OSC sequences, colours and CRLF', () => {
    const filter = createOutputFilter();
    expect(filter.push(`${osc('0;title')}a\r\n${osc('654;prompt')}`) + filter.flush()).toBe(`${osc('0;title')}a\r\n`);
  });

  it('passes through escapes that are not OSC and unterminated junk', () => {
    const filter = createOutputFilter({ stripAllOsc: true });
    expect(filter.push('\x1b[1mbold\x1b[0m')).toBe('\x1b[1mbold\x1b[0m');
    expect(filter.push('end\x1b')).toBe('end');
    expect(filter.flush()).toBe('\x1b');
    const long = `\x1b]${'x'.repeat(5000)}`;
    const junk = createOutputFilter({ stripAllOsc: true });
    expect(junk.push(long) + junk.flush()).toBe(long);
  });

  it('keeps a trailing CR until it knows whether LF follows', () => {
    const filter = createOutputFilter({ normalizeNewlines: true });
    expect(filter.push('a\r')).toBe('a');
    expect(filter.push('b')).toBe('\rb');
    expect(filter.push('\r')).toBe('');
    expect(filter.flush()).toBe('\r');
  });
});

describe('exit codes from OSC signals', () => {
  it('reads exit=<pid>:<code> and exit=<code>', () => {
    expect(exitCodeOf({ code: 'exit', value: '12:0' })).toBe(0);
    expect(exitCodeOf({ code: 'exit', value: '12:127' })).toBe(127);
    expect(exitCodeOf({ code: 'exit', value: '2' })).toBe(2);
    expect(exitCodeOf({ code: 'exit', value: 'x' })).toBeUndefined();
    expect(exitCodeOf({ code: 'prompt' })).toBeUndefined();
  });

  it('stripOsc cleans complete text', () => {
    expect(stripOsc(`a${osc('654;exit=1:0')}b${osc('2;t', '\x1b\\')}c`)).toBe('abc');
  });
});
