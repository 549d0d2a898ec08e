/** What the embedded terminal prints: output order, `which` of missing runtimes, `ls -l`. */
import { Bash } from 'just-bash';
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { createOutputOrderer } from '../../../src/sandbox/just-bash-port';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const PROMPT_END = /\$ $/;

function open() {
  const sb = createEmbeddedSandbox({ files: { 'src/app.ts': '', 'README.md': '# hi\n' } });
  const shell = sb.openShell({ cols: 80, rows: 24 });
  let raw = '';
  shell.onOutput((data) => {
    raw += data;
  });
  /** Runs a line; returns its output (CRLFs as LFs) without the echoed line and the prompt. */
  const run = async (line: string): Promise<string> => {
    const before = raw.length;
    shell.write(`${line}\r`);
    for (let i = 0; i < 500 && !PROMPT_END.test(raw.slice(before + line.length)); i++) await tick();
    const out = raw.slice(before + line.length + 2);
    return out.slice(0, out.lastIndexOf('\x1b[1;32m')).replace(/\r\n/g, '\n');
  };
  return { sb, run };
}

describe('embedded terminal output', () => {
  it('prints stderr and stdout in the order the commands ran', async () => {
    const { run } = open();
    expect(await run('cat nope.txt; echo "exit=$?"')).toBe('cat: nope.txt: No such file or directory\nexit=1\n');
    expect(await run('echo a; ls nope 2>/dev/null || echo b >&2; echo c')).toBe('a\nb\nc\n');
    expect(await run('x=5; echo "$x" | cat; false && echo no || echo "status $?"')).toBe('5\nstatus 1\n');
  });

  it('which does not claim npm or python; real commands are still found', async () => {
    const { run } = open();
    const out = await run('which npm python; echo "exit=$?"');
    expect(out).not.toContain('/usr/bin/npm');
    expect(out).not.toContain('/usr/bin/python');
    expect(out).toContain('which: no npm in this sandbox');
    expect(out).toContain('which: no python in this sandbox');
    expect(out).toContain('exit=1');
    expect(await run('which ls node')).toBe('/usr/bin/ls\n/usr/bin/node\n');
    expect(await run('which -s pip; echo $?')).toBe('1\n');
  });

  it('ls -la lists directories without a trailing slash, like GNU ls; -F still marks them', async () => {
    const { run } = open();
    const long = await run('ls -la');
    expect(long).toMatch(/^d\S+ .* src$/m);
    expect(long).not.toContain('src/');
    expect(await run('ls -l src')).toMatch(/app\.ts\n$/);
    expect(await run('ls -lF')).toMatch(/ src\/$/m);
    expect(await run('ls -F')).toContain('src/');
  });
});

describe('createOutputOrderer', () => {
  const withOrderedOutput = createOutputOrderer(new Bash());

  it('leaves single pipelines, here-documents and syntax errors alone', () => {
    expect(withOrderedOutput('ls -la | wc -l')).toBe('ls -la | wc -l');
    expect(withOrderedOutput('cat <<EOF\n  x\nEOF\necho y')).toBe('cat <<EOF\n  x\nEOF\necho y');
    expect(withOrderedOutput('echo (; echo')).toBe('echo (; echo');
  });

  it('keeps what the script does: variables, cd, exit codes and redirections', async () => {
    const bash = new Bash({ cwd: '/' });
    const script = 'mkdir -p /d; cd /d; n=2; echo "$n" > f; cat f missing 2>/dev/null; ! true; echo "s=$?"; pwd';
    const result = await bash.exec(withOrderedOutput(script));
    expect(result.stdout).toBe('2\ns=1\n/d\n');
    expect(result.stderr).toBe('');
  });
});
