import { describe, expect, it } from 'vitest';
import { terminalText } from '../../../src/core/tools/terminal-text';

const ESC = '\x1b';

describe('terminalText', () => {
  it('leaves plain text alone, tabs and newlines included', () => {
    const text = 'a\tb\nc ü 😀\n\n';
    expect(terminalText(text)).toBe(text);
    expect(terminalText('')).toBe('');
  });

  it('removes colours, cursor and mode sequences', () => {
    expect(terminalText(`${ESC}[1;32m✔${ESC}[0m done ${ESC}[38;5;208mwarn${ESC}[m\n`)).toBe('✔ done warn\n');
    expect(terminalText(`${ESC}[?25l${ESC}[?2004hhidden cursor${ESC}[?25h`)).toBe('hidden cursor');
    expect(terminalText(`${ESC}(B${ESC}7x${ESC}8${ESC}=y${ESC}>`)).toBe('xy');
    expect(terminalText('\x9b31mred\x9b0m')).toBe('red');
  });

  it('removes OSC (BEL or ST terminated) and DCS strings', () => {
    expect(terminalText(`${ESC}]0;npm install${ESC}\\a${ESC}]654;exit=1:0\x07b${ESC}]8;;https://x.y\x07link${ESC}]8;;\x07`)).toBe('ablink');
    expect(terminalText(`x${ESC}Pq#0;1;2${ESC}\\y`)).toBe('xy');
  });

  it('drops a sequence cut off at the end of the text and stray control characters', () => {
    expect(terminalText(`ok${ESC}[38;5`)).toBe('ok');
    expect(terminalText(`ok${ESC}`)).toBe('ok');
    expect(terminalText(`ok${ESC}]0;tit`)).toBe('ok');
    expect(terminalText('a\x07b\x00c\x0c')).toBe('abc');
  });

  it('keeps the last version of a line redrawn with \\r; \\r\\n is a newline', () => {
    expect(terminalText('start\r\n[#   ] 10%\r[##  ] 50%\r[####] 100%\r\ndone\r\n')).toBe('start\n[####] 100%\ndone\n');
    expect(terminalText('a\r\rb')).toBe('b');
    // A trailing \r (the next chunk may bring \n) changes nothing.
    expect(terminalText('line\r')).toBe('line');
    expect(terminalText('Downloading 100%\rOK\n')).toBe('OK\n');
  });

  it('follows erase-line, column 1 and backspaces as spinners use them', () => {
    expect(terminalText(`${ESC}[2K${ESC}[1G⠋ installing${ESC}[2K${ESC}[1G⠙ installing${ESC}[2K${ESC}[1Gadded 3 packages\n`)).toBe(
      'added 3 packages\n',
    );
    expect(terminalText(`old${ESC}[G${ESC}[Knew`)).toBe('new');
    expect(terminalText(`keep${ESC}[K more`)).toBe('keep more');
    expect(terminalText('wait |\b/\b-\b\\\b done')).toBe('wait  done');
  });

  it('follows a multi-line redraw that moves the cursor up (log-update style)', () => {
    const frame = (a: string, b: string) => `${a}\n${b}\n`;
    const erase2 = `${ESC}[2K${ESC}[1A${ESC}[2K${ESC}[1A${ESC}[2K${ESC}[G`;
    const out = terminalText(`before\n${frame('task 1 …', 'task 2 …')}${erase2}${frame('task 1 ✔', 'task 2 ✔')}after\n`);
    expect(out).toBe('before\ntask 1 ✔\ntask 2 ✔\nafter\n');
  });

  it('handles a large output in linear time', () => {
    const big = `${ESC}[32m${'x'.repeat(80)}${ESC}[0m\r\n`.repeat(20_000);
    const started = performance.now();
    const out = terminalText(big);
    expect(out.length).toBe(81 * 20_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
