/**
 * The WebContainer toolbox in plain Node, exactly as it runs in a container: the bundle the app
 * writes, staged in a real workspace folder, installed with `--install` beside it, then every
 * command run as `node <entry> -c <command>` with the toolbox's bin on the PATH (what
 * wc-exec.ts spawns). Real just-bash over the real filesystem, real node child processes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToolbox } from '../../../src/sandbox/webcontainer/toolbox/build';
import { parseAnswer, TOOLBOX_STAGING, toolboxDir, type Toolbox } from '../../../src/sandbox/webcontainer/toolbox-install';

let home: string;
let workspace: string;
let toolbox: Toolbox;

function run(command: string, options: { stdin?: string; cwd?: string } = {}) {
  const stdin = options.stdin === undefined ? [] : ['--stdin-base64', Buffer.from(options.stdin).toString('base64')];
  const result = spawnSync(process.execPath, [toolbox.entry, ...stdin, '-c', command], {
    cwd: options.cwd ?? workspace,
    env: { ...process.env, PATH: `${toolbox.bin}:${process.env.PATH}` },
    encoding: 'utf8',
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'unroll-toolbox-'));
  workspace = join(home, 'workspace');
  mkdirSync(join(workspace, 'src'), { recursive: true });
  writeFileSync(join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
  writeFileSync(join(workspace, 'src', 'app.js'), 'export const answer = 42;\n// TODO: more\n');
  writeFileSync(join(workspace, TOOLBOX_STAGING), await buildToolbox());
  const install = spawnSync(process.execPath, [TOOLBOX_STAGING, '--install', toolboxDir(workspace)], { cwd: workspace, encoding: 'utf8' });
  expect(install.stderr).toBe('');
  const answer = parseAnswer(install.stdout);
  if (!answer) throw new Error(`no install answer in ${JSON.stringify(install.stdout)}`);
  toolbox = answer;
}, 60_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('installing the toolbox', () => {
  it('moves the staged bundle beside the workspace, writes the PATH scripts and reports the programs it found', () => {
    expect(toolbox.entry).toBe(join(home, '.unroll', 'toolbox.mjs'));
    expect(existsSync(join(workspace, TOOLBOX_STAGING))).toBe(false);
    for (const tool of ['bash', 'grep', 'rg', 'sed', 'find', 'wc', 'sleep', 'diff', 'xargs']) expect(existsSync(join(toolbox.bin, tool))).toBe(true);
    expect(toolbox.present.node).toBe(true);
    expect(toolbox.present.npm).toBe(true);
    expect(Object.keys(toolbox.present)).toEqual(expect.arrayContaining(['git', 'python3', 'curl']));
  });

  it('reads the answer through terminal noise, and refuses a malformed one', () => {
    const line = JSON.stringify({ entry: '/home/.unroll/toolbox.mjs', bin: '/home/.unroll/bin', present: { node: true, git: 'yes' } });
    expect(parseAnswer(`\x1b]654;x\x07warning: slow\r\n${line}\r\n\x1b[?25h`)).toEqual({
      entry: '/home/.unroll/toolbox.mjs',
      bin: '/home/.unroll/bin',
      present: { node: true, git: false },
    });
    expect(parseAnswer('{"entry": 3}')).toBeUndefined();
    expect(parseAnswer('npm ERR! something\n')).toBeUndefined();
  });
});

describe('commands in the toolbox', () => {
  it('has bash syntax: functions, pipes, here-docs, $(…), redirections and exit codes', () => {
    const result = run(
      [
        'greet() { echo "hi $1"; }',
        'greet there',
        'cat <<EOF > out.txt',
        'made $(echo by substitution)',
        'EOF',
        'cat out.txt | tr a-z A-Z',
        'false || echo "after false: $?"',
      ].join('\n'),
    );
    expect(result).toEqual({ stdout: 'hi there\nMADE BY SUBSTITUTION\nafter false: 1\n', stderr: '', code: 0 });
    expect(readFileSync(join(workspace, 'out.txt'), 'utf8')).toBe('made by substitution\n');
  });

  it('has the tools the instructions name, over the real files', () => {
    expect(run('rg -n TODO src').stdout).toBe('src/app.js:2:// TODO: more\n');
    expect(run('grep -c a notes.txt').stdout).toBe('3\n');
    expect(run("sed -n '2p' notes.txt").stdout).toBe('beta\n');
    expect(run('find . -name "*.js" | sort').stdout).toBe('./src/app.js\n');
    expect(run('wc -l < notes.txt').stdout.trim()).toBe('3');
    expect(run('echo notes.txt | xargs head -n 1').stdout).toBe('alpha\n');
    expect(run("awk 'NR==3 {print toupper($0)}' notes.txt").stdout).toBe('GAMMA\n');
    expect(run('sleep 0.05 && echo slept').stdout).toBe('slept\n');
    const diff = run('printf "alpha\\nBETA\\ngamma\\n" > other.txt; diff notes.txt other.txt');
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('-beta');
    expect(diff.stdout).toContain('+BETA');
  });

  it("hands node to the real node, inside pipes and substitutions, with the shell's directory and variables", () => {
    expect(run('node -e "console.log(process.version)"').stdout.trim()).toBe(process.version);
    expect(run('cd src && export GREETING=hello && node -e "console.log(process.cwd(), process.env.GREETING)" | wc -w').stdout.trim()).toBe('2');
    expect(run('echo "$(node -p 6*7) is the answer"').stdout).toBe('42 is the answer\n');
    expect(run('printf "b\\na\\n" | node -e "process.stdin.pipe(process.stdout)" | sort').stdout).toBe('a\nb\n');
    const failing = run('node -e "process.exit(7)"; echo "exit $?"');
    expect(failing.stdout).toBe('exit 7\n');
  });

  it('runs a command line that is one program as that program, with its exit code and live output', async () => {
    expect(run('cd src && LABEL=x node -e "console.log(process.cwd().endsWith(\'src\'), process.env.LABEL)"').stdout).toBe('true x\n');
    expect(run('node -e "process.exit(5)"').code).toBe(5);
    expect(run('cd nowhere && node -e 1')).toMatchObject({ code: 1, stderr: 'bash: cd: nowhere: No such file or directory\n' });
    // Output arrives while the program still runs (a dev server never ends).
    const child = spawn(process.execPath, [toolbox.entry, '-c', 'node -e "console.log(\'first\'); setTimeout(() => {}, 60000)"'], { cwd: workspace });
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    expect(first).toBe('first\n');
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.once('close', resolve))).not.toBe(0);
  });

  it('takes the input given up front', () => {
    expect(run('tr a-z A-Z', { stdin: 'quiet\n' }).stdout).toBe('QUIET\n');
    expect(run('node -e "process.stdin.pipe(process.stdout)"', { stdin: 'to node\n' }).stdout).toBe('to node\n');
  });

  it('finds programs where they are, and says when one is nowhere', () => {
    expect(run('which node').stdout.trim()).toMatch(/\/node$/);
    expect(run('command -v grep >/dev/null && echo has-grep').stdout).toBe('has-grep\n');
    const missing = run('no-such-program --flag');
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('no-such-program: command not found');
  });

  it('stops on Ctrl-C (SIGINT), and the programs it started with it', async () => {
    const marker = join(workspace, 'still-running.txt');
    const script = `node -e "setTimeout(() => require('fs').writeFileSync('${marker}', 'x'), 1500)" | cat`;
    const child = spawn(process.execPath, [toolbox.entry, '-c', script], { cwd: workspace });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.once('close', (code) => resolve(code)))).toBe(130);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(existsSync(marker)).toBe(false);
  });

  it('gives the terminal bash and the tools as commands on the PATH', () => {
    const env = { ...process.env, PATH: `${toolbox.bin}:${process.env.PATH}` };
    const grep = spawnSync(join(toolbox.bin, 'grep'), ['-n', 'beta', 'notes.txt'], { cwd: workspace, env, encoding: 'utf8' });
    expect(grep.stdout).toBe('2:beta\n');
    const bash = spawnSync(join(toolbox.bin, 'bash'), ['-c', 'f() { echo "$1$1"; }; f ab'], { cwd: workspace, env, encoding: 'utf8' });
    expect(bash.stdout).toBe('abab\n');
    const piped = spawnSync(join(toolbox.bin, 'wc'), ['-l'], { cwd: workspace, env, input: 'one\ntwo\n', encoding: 'utf8' });
    expect(piped.stdout.trim()).toBe('2');
  });
});
