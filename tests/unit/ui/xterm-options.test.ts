/**
 * The terminal pane's xterm options, checked with a real xterm (it parses and keeps its buffer
 * without a DOM): bare LFs start a new line at column 1, CRLF output (the embedded shell's)
 * is not doubled or shifted.
 */
import xterm from '@xterm/xterm';
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { xtermOptions } from '../../../src/ui/terminal/xterm-options';

function terminal() {
  return new xterm.Terminal({ ...xtermOptions(false), cols: 60, rows: 12 });
}

/** The screen's lines after `data` is written, trailing blank lines dropped. */
function screen(term: ReturnType<typeof terminal>, data: string): Promise<string[]> {
  return new Promise((resolve) => {
    term.write(data, () => {
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) lines.push((buffer.getLine(i)?.translateToString(true) ?? '').trimEnd());
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      resolve(lines);
    });
  });
}

describe('the terminal pane xterm', () => {
  it('converts bare LFs to new lines at column 1', async () => {
    expect(xtermOptions(true).convertEol).toBe(true);
    expect(await screen(terminal(), 'added 3 packages\nfound 0 vulnerabilities\n$ ')).toEqual(['added 3 packages', 'found 0 vulnerabilities', '$']);
  });

  it("shows the embedded shell's CRLF output line for line, nothing doubled", async () => {
    const sb = createEmbeddedSandbox({ files: { 'a.txt': 'one\ntwo\n' } });
    const shell = sb.openShell({ cols: 60, rows: 12 });
    let out = '';
    shell.onOutput((data) => (out += data));
    shell.write('cat a.txt\r');
    for (let i = 0; i < 500 && (out.match(/\$ /g)?.length ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 1));
    expect(out).toContain('one\r\ntwo\r\n');
    const lines = await screen(terminal(), out);
    const at = lines.findIndex((line) => line.endsWith('$ cat a.txt'));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.slice(at + 1, at + 3)).toEqual(['one', 'two']);
    expect(lines[at + 3]).toMatch(/\$$/);
    expect(lines).toHaveLength(at + 4);
    shell.kill();
  });
});
