/** The embedded sandbox's terminal: the line shell over real just-bash. */
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import type { ShellSession } from '../../../src/sandbox/sandbox';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const PROMPT_END = /(\$ |> )$/;

/** A shell with its raw output; `type` sends a line and returns what came back up to the next prompt. */
function open() {
  const sb = createEmbeddedSandbox();
  const shell = sb.openShell({ cols: 80, rows: 24 });
  let raw = '';
  shell.onOutput((data) => {
    raw += data;
  });
  const type = async (line: string): Promise<string> => {
    const before = raw.length;
    shell.write(`${line}\r`);
    // Each command settles within a few macrotasks; the cap only stops a broken shell.
    for (let i = 0; i < 500 && !PROMPT_END.test(raw.slice(before + line.length)); i++) await tick();
    return raw.slice(before);
  };
  return { sb, shell: shell as ShellSession, type, raw: () => raw };
}

describe('embedded terminal (LineShell on just-bash)', () => {
  it('prints the banner and a coloured prompt', () => {
    const { raw } = open();
    expect(raw()).toMatch(/^\x1b\[2mEmbedded sandbox \(just-bash\)/);
    expect(raw()).toMatch(/\x1b\[1;32muser@unroll\x1b\[0m:\x1b\[1;34m\/workspace\x1b\[0m\$ $/);
  });

  it('carries cwd and variables between commands; unset removes them; cd - goes back', async () => {
    const { sb, type, raw } = open();
    await sb.fs.mkdir('sub');
    await type('cd sub');
    expect(await type('pwd')).toContain('/workspace/sub\r\n');
    expect(raw()).toMatch(/\/workspace\/sub\x1b\[0m\$ $/);
    await type('export GREETING=hello; LOCAL=yes');
    expect(await type('echo "$GREETING $LOCAL"')).toContain('hello yes\r\n');
    await type('unset GREETING');
    expect(await type('echo "[$GREETING]"')).toContain('[]\r\n');
    await type('cd -');
    expect(await type('pwd')).toContain('/workspace\r\n');
    await sb.dispose();
  });

  it('shell writes reach the fs API and its change events', async () => {
    const { sb, type } = open();
    const seen: string[] = [];
    sb.fs.watch((c) => seen.push(`${c.kind} ${c.path}`));
    await type('mkdir -p notes && echo "from the terminal" > notes/today.txt');
    expect(await sb.fs.readFile('notes/today.txt')).toBe('from the terminal\n');
    expect(seen.slice(0, 2)).toEqual(['create /workspace/notes', 'create /workspace/notes/today.txt']);
  });

  it('continues incomplete input (if … fi, open quotes, trailing backslash)', async () => {
    const { type } = open();
    expect(await type('if true; then')).toMatch(/> $/);
    expect(await type('  echo "in branch"')).toMatch(/> $/);
    expect(await type('fi')).toContain('in branch\r\n');
    expect(await type('echo "unclosed')).toMatch(/> $/);
    expect(await type('quote"')).toContain('unclosed\r\nquote\r\n');
    expect(await type('echo one \\')).toMatch(/> $/);
    expect(await type('two')).toContain('one two\r\n');
    expect(await type('cat <<EOF')).toMatch(/> $/);
    expect(await type('  indented body')).toMatch(/> $/);
    expect(await type('EOF')).toContain('  indented body\r\n');
    expect(await type('echo (')).toMatch(/syntax error/); // a real error is not "incomplete"
  });

  it('npm answers with the WebContainer hint; exit ends with the last status', async () => {
    const { shell, type } = open();
    expect(await type('node -v')).toContain('v20.0.0-quickjs');
    expect(await type('npm -v')).toContain('npm needs the WebContainer sandbox, which is not running here');
    shell.write('exit\r');
    expect(await shell.exit).toBe(127);
  });

  it('Ctrl-C aborts a running sleep at once and the shell stays usable', async () => {
    const { shell, type, raw } = open();
    shell.write('sleep 10; echo after\r');
    await tick();
    shell.write('\x03');
    expect(raw()).toMatch(/\^C\r\n.*\$ $/);
    expect(await type('echo next')).toContain('next\r\n');
    expect(raw().slice(raw().indexOf('^C'))).not.toContain('after'); // the aborted command's output is dropped
  });
});
