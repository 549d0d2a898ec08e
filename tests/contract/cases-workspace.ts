/** Contract cases: snapshots, awkward and hostile paths, status, the interactive shell. */
import type { Snapshot } from '../../src/sandbox/snapshot';
import { check } from './check';
import type { ContractCase } from './sandbox-contract';
import { emptyWorkspace, inRoot, rootOf, waitFor, within } from './support';

const ODD_DIR = 'dir with space';
const ODD_FILE = 'ünïcødé 文件.txt';

export const workspaceCases: ContractCase[] = [
  {
    name: 'snapshot: export → wipe → restore round-trip (text, binary, empty dir, odd names; node_modules left out)',
    async run(sb) {
      const binary = new Uint8Array([0, 1, 2, 127, 128, 254, 255]);
      await sb.fs.writeFile('src/main.txt', 'hello\n');
      await sb.fs.writeFile('assets/data.bin', binary);
      await sb.fs.mkdir('empty/inner');
      await sb.fs.writeFile(`${ODD_DIR}/${ODD_FILE}`, 'naïve ✓\n');
      await sb.fs.writeFile('node_modules/pkg/index.js', 'module.exports = 1;\n');

      const snap = await sb.snapshot();
      check.equal(snap.files['src/main.txt'], 'hello\n', 'text file in the snapshot');
      check.equal(snap.files[`${ODD_DIR}/${ODD_FILE}`], 'naïve ✓\n', 'unicode file in the snapshot');
      check.ok(typeof snap.binary['assets/data.bin'] === 'string', 'binary file stored as base64');
      check.ok(snap.dirs.includes('empty/inner'), `empty directory listed (dirs: ${JSON.stringify(snap.dirs)})`);
      const all = [...Object.keys(snap.files), ...Object.keys(snap.binary), ...snap.dirs];
      check.equal(
        all.filter((p) => p.split('/').includes('node_modules')),
        [],
        'node_modules paths',
      );

      const copy = JSON.parse(JSON.stringify(snap)) as Snapshot;
      await emptyWorkspace(sb);
      await sb.fs.writeFile('stray.txt', 'not in the snapshot');
      await sb.restore(copy);
      check.equal(await sb.fs.readFile('src/main.txt'), 'hello\n', 'restored text');
      check.equal(await sb.fs.readFileBytes('assets/data.bin'), binary, 'restored bytes');
      check.equal(await sb.fs.readFile(`${ODD_DIR}/${ODD_FILE}`), 'naïve ✓\n', 'restored unicode file');
      check.equal((await sb.fs.stat('empty/inner'))?.isDirectory, true, 'restored empty directory');
      check.equal(await sb.fs.stat('stray.txt'), null, 'a file not in the snapshot is gone');
      check.equal(await sb.fs.stat('node_modules'), null, 'node_modules not restored');
    },
  },
  {
    name: 'snapshot: restore refuses an invalid snapshot and changes nothing',
    async run(sb) {
      await sb.fs.writeFile('keep.txt', 'still here');
      const hostile = { format: 'unroll-workspace', version: 1, files: { '../escape.txt': 'x' }, binary: {}, dirs: [] };
      await check.rejects(sb.restore(hostile as unknown as Snapshot), /relative|leaves the workspace/, 'restore of ../escape.txt');
      await check.rejects(sb.restore({ format: 'zip' } as unknown as Snapshot), /snapshot/, 'restore of a non-snapshot');
      check.equal(await sb.fs.readFile('keep.txt'), 'still here', 'workspace untouched');
    },
  },
  {
    name: 'paths: unicode and spaces through the fs API',
    async run(sb) {
      await sb.fs.writeFile(`${ODD_DIR}/${ODD_FILE}`, 'naïve ✓\n');
      check.equal(await sb.fs.list(ODD_DIR), [{ name: ODD_FILE, isDirectory: false, isFile: true }], 'list');
      check.equal(await sb.fs.readFile(inRoot(sb, `${ODD_DIR}/${ODD_FILE}`)), 'naïve ✓\n', 'read back');
      await sb.fs.rename(`${ODD_DIR}/${ODD_FILE}`, `${ODD_DIR}/пробел файл.txt`);
      check.equal(await sb.fs.readdir(ODD_DIR), ['пробел файл.txt'], 'renamed');
    },
  },
  {
    name: 'paths: unicode and spaces through the shell',
    async run(sb) {
      await sb.fs.writeFile(`${ODD_DIR}/${ODD_FILE}`, 'naïve ✓\n');
      const cat = await sb.exec.run(`cat "${ODD_DIR}/${ODD_FILE}"`);
      check.equal([cat.exitCode, cat.output], [0, 'naïve ✓\n'], 'cat');
      const ls = await sb.exec.run(`ls "${ODD_DIR}"`);
      check.match(ls.output, new RegExp(ODD_FILE.replace('.', '\\.')), 'ls');
      const made = await sb.exec.run('mkdir -p "другой каталог" && echo ok > "другой каталог/файл с пробелом.txt"');
      check.equal(made.exitCode, 0, 'shell write exit');
      check.equal(await sb.fs.readFile('другой каталог/файл с пробелом.txt'), 'ok\n', 'shell-written file read by the fs API');
    },
  },
  {
    name: 'paths: every fs method refuses paths outside the workspace',
    async run(sb) {
      await sb.fs.writeFile('inside.txt', 'in');
      const outside = ['../../etc/passwd', '/etc/passwd', `${rootOf(sb)}/../etc`];
      const refused = /outside the workspace/;
      for (const p of outside) {
        await check.rejects(sb.fs.readFile(p), refused, `readFile(${p})`);
        await check.rejects(sb.fs.readFileBytes(p), refused, `readFileBytes(${p})`);
        await check.rejects(sb.fs.writeFile(`${p}/x.txt`, 'x'), refused, `writeFile(${p}/x.txt)`);
        await check.rejects(sb.fs.list(p), refused, `list(${p})`);
        await check.rejects(sb.fs.readdir(p), refused, `readdir(${p})`);
        await check.rejects(sb.fs.stat(p), refused, `stat(${p})`);
        await check.rejects(sb.fs.mkdir(`${p}/d`), refused, `mkdir(${p}/d)`);
        await check.rejects(sb.fs.rm(p), refused, `rm(${p})`);
        await check.rejects(sb.fs.rename('inside.txt', `${p}/moved.txt`), refused, `rename(inside.txt, ${p}/moved.txt)`);
        await check.rejects(sb.fs.rename(p, 'stolen'), refused, `rename(${p}, stolen)`);
      }
      check.equal(await sb.fs.readFile('inside.txt'), 'in', 'the file inside is untouched');
    },
  },
  {
    name: 'paths: a working directory outside the workspace is refused',
    async run(sb) {
      for (const cwd of ['/etc', `${rootOf(sb)}/..`, '../..']) {
        const r = await sb.exec.run('pwd', { cwd });
        check.ok(r.exitCode !== 0, `run with cwd ${cwd} fails (exit ${r.exitCode}, output ${JSON.stringify(r.output)})`);
        check.match(r.output, /outside the workspace/, `run with cwd ${cwd}: output`);
      }
      const p = sb.exec.spawn('pwd', { cwd: '/etc' });
      const code = await within(p.exit, 5_000);
      check.ok(code !== 'pending' && code !== 0, `spawn with cwd /etc fails (exit ${String(code)})`);
    },
  },
  {
    name: 'status: ready after boot; previews match the capabilities',
    async run(sb) {
      await sb.boot();
      await sb.boot(); // idempotent
      check.equal(sb.status.state, 'ready', 'status');
      if (!sb.capabilities.previews) check.equal(sb.previews(), [], 'previews without the capability');
      check.equal(typeof sb.onPreview(() => {}), 'function', 'onPreview returns an unsubscribe function');
    },
  },
  {
    name: 'shell: the interactive shell runs a command and exits',
    async run(sb) {
      const shell = sb.openShell({ cols: 80, rows: 24 });
      let screen = '';
      shell.onOutput((data) => {
        screen += data;
      });
      shell.resize(100, 30);
      // The quotes keep the typed-in echo of the line from matching the command's output.
      shell.write('echo shell-"ok"\r');
      await waitFor(() => /shell-ok/.test(screen), 'the command output in the shell');
      shell.write('exit\r');
      const code = await within(shell.exit, 5_000);
      check.ok(code !== 'pending', 'the shell ends after `exit`');
    },
  },
];
