/**
 * Contract cases: running commands (exit codes, output, timeouts, kill, stdin). Only commands both
 * sandboxes have: jsh in a WebContainer has no `sleep` or `wc`, so waits and counts use `node -e`
 * (real Node there, QuickJS with wall-clock timers in the embedded sandbox).
 */
import { check } from './check';
import type { ContractCase } from './sandbox-contract';
import { collect, inRoot, rootOf, sleep, waitFor, within } from './support';

/** Waits 5 s doing nothing (what `sleep 5` would do where there is a sleep). */
const WAIT_5S = `node -e "setTimeout(() => {}, 5000)"`;
/** Counts the lines on stdin (what `wc -l` would do). */
const COUNT_LINES = `node -e "let t = ''; process.stdin.on('data', (c) => (t += c)); process.stdin.on('end', () => console.log(t.split('\\n').filter(Boolean).length))"`;

export const execCases: ContractCase[] = [
  {
    name: 'exec: exit codes',
    async run(sb) {
      check.equal((await sb.exec.run('true')).exitCode, 0, 'true');
      check.equal((await sb.exec.run('false')).exitCode, 1, 'false');
      const r = await sb.exec.run('echo before; exit 3');
      check.equal([r.exitCode, r.timedOut], [3, false], 'exit 3');
      check.match(r.output, /before/, 'output before exit');
    },
  },
  {
    name: 'exec: stderr is captured in the merged output',
    async run(sb) {
      const r = await sb.exec.run('echo out; echo err 1>&2');
      check.equal(r.exitCode, 0, 'exit code');
      check.match(r.output, /out/, 'stdout');
      check.match(r.output, /err/, 'stderr');
    },
  },
  {
    name: 'exec: runs in the given cwd',
    async run(sb) {
      await sb.fs.mkdir('sub/dir');
      const r = await sb.exec.run('pwd', { cwd: inRoot(sb, 'sub/dir') });
      check.equal([r.exitCode, r.output.trim()], [0, inRoot(sb, 'sub/dir')], 'pwd in sub/dir');
      check.equal((await sb.exec.run('pwd')).output.trim(), rootOf(sb), 'default cwd is the root');
    },
  },
  {
    name: 'exec: run timeout kills the command (exit 124, timedOut)',
    async run(sb) {
      const started = Date.now();
      const r = await sb.exec.run(WAIT_5S, { timeoutMs: 300 });
      check.equal([r.timedOut, r.exitCode], [true, 124], 'timed out');
      check.below(Date.now() - started, 3_000, 'ms until run returned');
    },
  },
  {
    name: 'exec: kill() ends a spawned wait promptly',
    async run(sb) {
      const p = sb.exec.spawn(WAIT_5S, { cwd: rootOf(sb) });
      await sleep(100);
      const started = Date.now();
      p.kill();
      const code = await within(p.exit, 3_000);
      check.ok(code !== 'pending', 'exit resolves within 3 s of kill()');
      check.ok(code !== 0, `a killed process does not exit 0 (got ${String(code)})`);
      check.below(Date.now() - started, 3_000, 'ms from kill to exit');
    },
  },
  {
    name: 'exec: a long-running process exits later with its later output',
    async run(sb) {
      const { process, output } = collect(sb.exec.spawn(`node -e "setTimeout(() => console.log('later'), 500)"`, { cwd: rootOf(sb) }));
      check.equal(await within(process.exit, 100), 'pending', 'exit state at ~100 ms');
      check.equal(await within(process.exit, 5_000), 0, 'exit code');
      await waitFor(() => output().includes('later'), 'the output "later"');
    },
  },
  {
    name: 'exec: stdin given up front (cat echoes it, node counts its lines)',
    async run(sb) {
      const cat = await sb.exec.run('cat', { stdin: 'alpha\nbeta\n' });
      check.equal([cat.exitCode, cat.output], [0, 'alpha\nbeta\n'], 'cat');
      const count = await sb.exec.run(COUNT_LINES, { stdin: '1\n2\n3\n' });
      check.equal([count.exitCode, count.output.trim()], [0, '3'], 'lines counted by node');
      const p = collect(sb.exec.spawn('cat', { cwd: rootOf(sb), stdin: 'via spawn\n' }));
      check.equal(await within(p.process.exit, 5_000), 0, 'spawned cat exit');
      await waitFor(() => p.output().includes('via spawn'), 'spawned cat output');
    },
  },
  {
    name: 'exec: live stdin via write() reaches a running process',
    requires: ['liveProcesses'],
    async run(sb) {
      const p = collect(sb.exec.spawn('head -n 1', { cwd: rootOf(sb) }));
      await p.process.write('hello live\n');
      check.equal(await within(p.process.exit, 5_000), 0, 'head exit');
      await waitFor(() => p.output().includes('hello live'), 'the echoed line');
    },
  },
  {
    name: 'engine port: describe() and spawn() with output, exit code and replay',
    async run(sb) {
      const d = sb.describe();
      check.equal(d.kind, sb.kind, 'describe().kind');
      check.match(d.root, /^\//, 'describe().root is absolute');
      check.ok(d.notes.length > 0 && d.shell.length > 0, 'describe() has notes and a shell');
      const p = collect(sb.exec.spawn('echo port-ok; exit 2', { cwd: d.root }));
      check.equal(await within(p.process.exit, 5_000), 2, 'exit code');
      await waitFor(() => p.output().includes('port-ok'), 'the output');
      const late: string[] = [];
      p.process.onOutput((chunk) => late.push(chunk));
      check.match(late.join(''), /port-ok/, 'output replayed to a late subscriber');
    },
  },
];
