import { describe, expect, it } from 'vitest';
import { width } from '../../../src/sandbox/embedded/line-editor';
import {
  CLEAR_SCREEN,
  EOF_HINT,
  LineShell,
  type LineShellHost,
  type ShellCommandResult,
  type ShellContext,
} from '../../../src/sandbox/embedded/line-shell';

/** A tiny terminal: enough of xterm to show what the user would see (one screen, no scrolling). */
class Screen {
  lines: string[][] = [[]];
  row = 0;
  col = 0;
  raw = '';

  feed(data: string): void {
    this.raw += data;
    for (let i = 0; i < data.length;) {
      const csi = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(data.slice(i));
      if (csi) {
        const n = Number(csi[1] || '1');
        const final = csi[2];
        if (final === 'D') this.col = Math.max(0, this.col - n);
        else if (final === 'C') this.col += n;
        else if (final === 'K') this.line().length = Math.min(this.line().length, this.col);
        else if (final === 'J' && csi[1] === '2') this.lines = this.lines.map(() => []);
        else if (final === 'H') [this.row, this.col] = [0, 0];
        i += csi[0].length;
        continue;
      }
      const ch = String.fromCodePoint(data.codePointAt(i) as number);
      i += ch.length;
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') {
        this.row++;
        while (this.lines.length <= this.row) this.lines.push([]);
      } else {
        const line = this.line();
        while (line.length < this.col) line.push(' ');
        const w = width([ch]);
        line.splice(this.col, w, ch, ...(w === 2 ? [''] : []));
        this.col += w;
      }
    }
  }

  line(): string[] {
    return this.lines[this.row] as string[];
  }

  /** The visible text of each line, trailing blanks and empty lines at the end dropped. */
  text(): string[] {
    const out = this.lines.map((l) => l.join(''));
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  current(): string {
    return this.line().join('');
  }
}

interface Call extends ShellContext {
  script: string;
}

/** A host whose commands finish when the test says so (or at once, with `auto`). */
class FakeHost implements LineShellHost {
  calls: Call[] = [];
  #resolvers: ((result: ShellCommandResult) => void)[] = [];
  readonly #auto: ((script: string, ctx: ShellContext) => ShellCommandResult) | undefined;

  constructor(auto?: (script: string, ctx: ShellContext) => ShellCommandResult) {
    this.#auto = auto;
  }

  execute(script: string, ctx: ShellContext): Promise<ShellCommandResult> {
    this.calls.push({ script, ...ctx });
    if (this.#auto) return Promise.resolve(this.#auto(script, ctx));
    return new Promise((resolve) => this.#resolvers.push(resolve));
  }

  finish(result: Partial<ShellCommandResult> = {}): void {
    const resolve = this.#resolvers.shift();
    if (!resolve) throw new Error('no command is running');
    resolve({ stdout: '', stderr: '', exitCode: 0, ...result });
  }

  get scripts(): string[] {
    return this.calls.map((c) => c.script);
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const PROMPT = 'user@unroll:/workspace$ ';

function setup(host: LineShellHost = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 })), extra = {}) {
  const shell = new LineShell({ host, cwd: '/workspace', env: { HOME: '/home/user' }, ...extra });
  const screen = new Screen();
  shell.onOutput((data) => screen.feed(data));
  return { shell, screen };
}

describe('LineShell: prompt and output', () => {
  it('delivers the banner and prompt written before anyone subscribed', () => {
    const shell = new LineShell({ host: new FakeHost(), cwd: '/workspace', banner: 'hello\nthere\n' });
    const seen: string[] = [];
    shell.onOutput((d) => seen.push(d));
    expect(seen.join('')).toBe('hello\r\nthere\r\n\x1b[1;32muser@unroll\x1b[0m:\x1b[1;34m/workspace\x1b[0m$ ');
  });

  it('runs a line with the shell cwd, env and size; output gets CRLF and a final newline', async () => {
    const host = new FakeHost(() => ({ stdout: 'a\nb', stderr: 'warn\n', exitCode: 0 }));
    const { shell, screen } = setup(host, { cols: 100, rows: 40 });
    shell.resize(120, 50);
    shell.resize(0, -1); // ignored
    shell.write('echo hi\r');
    await tick();
    expect(host.calls).toHaveLength(1);
    expect(host.calls[0]).toMatchObject({ script: 'echo hi', cwd: '/workspace', env: { HOME: '/home/user', COLUMNS: '120', LINES: '50' } });
    expect(screen.raw).toContain('a\r\nbwarn\r\n');
    expect(screen.text()).toEqual([`${PROMPT}echo hi`, 'a', 'bwarn', PROMPT]);
  });

  it('prints a failing host as output and keeps going', async () => {
    const host: LineShellHost = { execute: () => Promise.reject(new Error('interpreter exploded')) };
    const { shell, screen } = setup(host);
    shell.write('x\r');
    await tick();
    expect(screen.text()).toEqual([`${PROMPT}x`, 'interpreter exploded', PROMPT]);
  });
});

describe('LineShell: editing', () => {
  it('handles pasted chunks with several lines and CRLF line ends, one command at a time', async () => {
    const host = new FakeHost();
    const { shell, screen } = setup(host);
    shell.write('one\r\ntwo\nthree\r');
    expect(host.scripts).toEqual(['one']);
    host.finish({ stdout: '1\n' });
    await tick();
    expect(host.scripts).toEqual(['one', 'two']);
    host.finish();
    await tick();
    host.finish();
    await tick();
    expect(host.scripts).toEqual(['one', 'two', 'three']);
    expect(screen.text()).toEqual([`${PROMPT}one`, '1', `${PROMPT}two`, `${PROMPT}three`, PROMPT]);
  });

  it('Backspace (DEL and BS), ←/→ insertion, Home/End, Delete', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    shell.write('ecjo\x7f\x7fho\b\bho'); // "echo"
    shell.write(' ac\x1b[Db'); // "echo abc"
    expect(screen.current()).toBe(`${PROMPT}echo abc`);
    shell.write('\x1b[Hx\x1b[F!'); // Home, x, End, ! → "xecho abc!"
    shell.write('\x1b[1~\x1b[3~\x1b[4~'); // Home, Delete, End → "echo abc!"
    expect(screen.current()).toBe(`${PROMPT}echo abc!`);
    shell.write('\x1bOH\x1b[C\x1b[C\x1b[C\x1b[C\x1b[1;5C-'); // Home (SS3), right ×5 (one modified) → "echo -abc!"
    expect(screen.current()).toBe(`${PROMPT}echo -abc!`);
    shell.write('\r');
    await tick();
    expect(host.scripts).toEqual(['echo -abc!']);
  });

  it('Ctrl-A/E/U/K/W edit like readline', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    shell.write('one two three\x17'); // delete word → "one two "
    expect(screen.current()).toBe(`${PROMPT}one two `);
    shell.write('\x01\x1b[C\x1b[C\x1b[C\x0b'); // Home, 3 right, kill to end → "one"
    shell.write('\x05 four\x1b[D\x1b[D\x15'); // End, " four", 2 left, kill to start → "ur"
    expect(screen.current()).toBe(`${PROMPT}ur`);
    shell.write('\r');
    await tick();
    expect(host.scripts).toEqual(['ur']);
  });

  it('moves over wide characters by two columns and edits unicode correctly', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    shell.write('cat 文件.txt');
    shell.write('\x1b[D'.repeat(4)); // back over ".txt": the cursor is after 件
    shell.write('\x1b[D\x7f'); // left over 件 (two columns), then Backspace deletes 文
    expect(screen.current()).toBe(`${PROMPT}cat 件.txt`);
    expect(screen.raw).toContain('\x1b[2D');
    shell.write('ü\r');
    await tick();
    expect(host.scripts).toEqual(['cat ü件.txt']);
  });

  it('keeps an escape sequence split across writes together', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell } = setup(host);
    shell.write('ac\x1b[');
    shell.write('Db\r');
    await tick();
    expect(host.scripts).toEqual(['abc']);
  });

  it('↑/↓ walk the history and return to the line being typed', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    for (const line of ['first', 'second', 'second', '   ']) {
      shell.write(`${line}\r`);
      await tick();
    }
    expect(shell.history).toEqual(['first', 'second']);
    shell.write('dra');
    shell.write('\x1b[A');
    expect(screen.current()).toBe(`${PROMPT}second`);
    shell.write('\x1b[A\x1b[A');
    expect(screen.current()).toBe(`${PROMPT}first`);
    shell.write('\x1b[B');
    expect(screen.current()).toBe(`${PROMPT}second`);
    shell.write('\x1b[B');
    expect(screen.current()).toBe(`${PROMPT}dra`);
    shell.write('\x1b[A\x1b[A!\r'); // recalled entries can be edited
    await tick();
    expect(host.scripts.at(-1)).toBe('first!');
  });
});

describe('LineShell: Ctrl-C, clear, Ctrl-D, exit', () => {
  it('Ctrl-C at the prompt cancels the line without running it', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    shell.write('rm -rf\x1b[D\x1b[D\x03');
    expect(screen.text()).toEqual([`${PROMPT}rm -rf^C`, PROMPT]);
    shell.write('ls\r');
    await tick();
    expect(host.scripts).toEqual(['ls']);
  });

  it('Ctrl-C aborts a running command, drops its late output and typed-ahead input', async () => {
    const host = new FakeHost();
    const { shell, screen } = setup(host);
    shell.write('sleep 10\r');
    expect(shell.busy).toBe(true);
    shell.write('typed ahead\r\x03');
    expect(host.calls[0]?.signal.aborted).toBe(true);
    expect(shell.busy).toBe(false);
    host.finish({ stdout: 'late output\n', env: { PWD: '/elsewhere' } });
    await tick();
    expect(screen.text()).toEqual([`${PROMPT}sleep 10`, '^C', PROMPT]);
    expect(shell.cwd).toBe('/workspace');
    shell.write('next\r');
    expect(host.scripts).toEqual(['sleep 10', 'next']);
  });

  it('keeps input typed while a command runs and handles it afterwards', async () => {
    const host = new FakeHost();
    const { shell } = setup(host);
    shell.write('first\r');
    shell.write('sec');
    shell.write('ond\r');
    expect(host.scripts).toEqual(['first']);
    host.finish();
    await tick();
    expect(host.scripts).toEqual(['first', 'second']);
  });

  it('`clear` and Ctrl-L clear the screen; Ctrl-L keeps the line being typed', async () => {
    const host = new FakeHost(() => ({ stdout: 'x\n', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    shell.write('echo\r');
    await tick();
    shell.write('  clear \r');
    expect(host.scripts).toEqual(['echo']);
    expect(screen.raw).toContain(CLEAR_SCREEN);
    expect(screen.text()).toEqual([PROMPT]);
    shell.write('ab\x1b[D\x0c');
    expect(screen.text()).toEqual([`${PROMPT}ab`]);
    shell.write('X\r');
    await tick();
    expect(host.scripts).toEqual(['echo', 'aXb']);
  });

  it('Ctrl-D on an empty line prints a hint; on text it deletes forward', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 }));
    const { shell, screen } = setup(host);
    shell.write('\x04');
    expect(screen.text()).toEqual([PROMPT, EOF_HINT, PROMPT]);
    shell.write('abc\x01\x04\r');
    await tick();
    expect(host.scripts).toEqual(['bc']);
    expect(await Promise.race([shell.exit, tick().then(() => 'open')])).toBe('open');
  });

  it('`exit` ends the session with the last status; `exit n` with n; later input is ignored', async () => {
    const host = new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 2 }));
    const a = setup(host);
    a.shell.write('false\r');
    await tick();
    a.shell.write('exit\r');
    expect(await a.shell.exit).toBe(2);
    a.shell.write('ls\r');
    expect(host.scripts).toEqual(['false']);
    const b = setup(new FakeHost());
    b.shell.write('exit 3\r');
    expect(await b.shell.exit).toBe(3);
    expect(b.screen.text()).toEqual([`${PROMPT}exit 3`, 'exit']);
  });

  it('kill() aborts the running command and resolves exit with 130', async () => {
    const host = new FakeHost();
    const { shell } = setup(host);
    shell.write('sleep 10\r');
    shell.kill();
    expect(host.calls[0]?.signal.aborted).toBe(true);
    expect(await shell.exit).toBe(130);
  });
});

describe('LineShell: cwd, env and continuation lines', () => {
  it('adopts the environment a command ended with; its PWD becomes the cwd and the prompt', async () => {
    const host = new FakeHost((script, ctx) => ({
      stdout: '',
      stderr: '',
      exitCode: 0,
      env: script === 'cd sub' ? { ...ctx.env, PWD: '/workspace/sub', X: '1' } : ctx.env,
    }));
    const { shell, screen } = setup(host);
    shell.write('cd sub\r');
    await tick();
    shell.write('pwd\r');
    await tick();
    expect(host.calls[1]).toMatchObject({ cwd: '/workspace/sub', env: { X: '1', HOME: '/home/user' } });
    expect(screen.text().at(-1)).toBe('user@unroll:/workspace/sub$ ');
  });

  it('continues a line ending in a backslash, or one the host calls incomplete', async () => {
    const host: FakeHost & LineShellHost = Object.assign(new FakeHost(() => ({ stdout: '', stderr: '', exitCode: 0 })), {
      isIncomplete: (script: string) => script.startsWith('if') && !script.endsWith('fi'),
    });
    const { shell, screen } = setup(host);
    shell.write('echo a \\\r');
    expect(screen.current()).toBe('> ');
    shell.write('b\r');
    await tick();
    shell.write('if true\rthen x\rfi\r');
    await tick();
    expect(host.scripts).toEqual(['echo a \\\nb', 'if true\nthen x\nfi']);
    shell.write('if\r\x03');
    expect(screen.text().slice(-2)).toEqual(['> ^C', PROMPT]);
    shell.write('ok\r');
    await tick();
    expect(host.scripts.at(-1)).toBe('ok');
  });
});
