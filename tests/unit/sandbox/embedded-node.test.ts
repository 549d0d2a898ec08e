/** `node` in the just-bash sandboxes: real QuickJS through real just-bash, no mocks. */
import { Bash, createCommandContext, InMemoryFs } from 'just-bash';
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { createNodeCommand } from '../../../src/sandbox/embedded/node-command';
import type { FsChange } from '../../../src/sandbox/sandbox';

const FILES = {
  'hello.js': "console.log('Hello, world!');\nconsole.log(process.argv.slice(1));\n",
  'lib/math.js': 'exports.add = (a, b) => a + b;\nexports.where = __filename;\n',
  'lib/index.js': "module.exports = { name: 'lib-index' };\n",
  'config.json': '{ "name": "unroll", "tags": ["a", "b"] }\n',
  'app/main.js':
    "const { add, where } = require('../lib/math');\nconst lib = require('../lib');\nconst config = require('../config.json');\n" +
    "console.log(add(2, 3), where, lib.name, config.tags.join('+'), require('./../lib/math.js') === require('../lib/math'));\n",
};

/** stdout, stderr and exit code of one command in a fresh embedded sandbox. */
async function run(command: string, files: Record<string, string> = {}) {
  const sb = createEmbeddedSandbox({ files: { ...FILES, ...files } });
  const { stdout, stderr, exitCode } = await sb.bash.exec(command);
  return { stdout, stderr, exitCode };
}

/** A bare just-bash with a node whose limits the test chooses. */
function bashWith(options: Parameters<typeof createNodeCommand>[0], files: Record<string, string> = {}) {
  const fs = new InMemoryFs();
  fs.mkdirSync('/w', { recursive: true });
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(`/w/${name}`, content);
  return new Bash({ fs, cwd: '/w', customCommands: [createNodeCommand(options)] });
}

describe('embedded node: running scripts', () => {
  it('runs a file relative to the cwd with its arguments', async () => {
    expect(await run('node hello.js one "two words"')).toEqual({
      stdout: "Hello, world!\n[ '/workspace/hello.js', 'one', 'two words' ]\n",
      stderr: '',
      exitCode: 0,
    });
    expect((await run('cd lib && node ../hello.js')).stdout).toContain("[ '/workspace/hello.js' ]");
    expect((await run('node hello')).stdout).toContain('Hello, world!');
  });

  it('-e runs code, -p prints the value, --version says QuickJS', async () => {
    expect(await run(`node -e "console.log(6 * 7)"`)).toMatchObject({ stdout: '42\n', exitCode: 0 });
    expect((await run(`node -p "'a' + 'b'"`)).stdout).toBe('ab\n');
    expect((await run(`node -p "({ n: [1, 2], s: 'x' })"`)).stdout).toBe("{ n: [ 1, 2 ], s: 'x' }\n");
    expect((await run(`node -e "console.log(process.argv)" x y`)).stdout).toBe("[ 'node', 'x', 'y' ]\n");
    expect(await run('node --version')).toMatchObject({ stdout: 'v20.0.0-quickjs\n', exitCode: 0 });
    expect((await run(`node -p "process.versions.quickjs"`)).stdout).toMatch(/^\d{4}-\d\d-\d\d\n$/);
  });

  it('runs stdin; with no script and no stdin prints usage and exits 1 (no REPL)', async () => {
    expect((await run(`echo "console.log('from stdin')" | node`)).stdout).toBe('from stdin\n');
    const bare = await run('node');
    expect(bare.exitCode).toBe(1);
    expect(bare.stderr).toMatch(/^Usage: node .*\n[\s\S]*no REPL/);
    expect((await run(`printf 'a\\nb\\n' | node -e "console.log(require('fs').readFileSync(0, 'utf8').split('\\n').length)"`)).stdout).toBe('3\n');
  });

  it('sees the shell environment and cwd', async () => {
    const r = await run(`export GREETING=hi; cd lib; node -e "console.log(process.env.GREETING, process.env.HOME, process.cwd(), process.platform)"`);
    expect(r.stdout).toBe('hi /home/user /workspace/lib linux\n');
  });

  it('requires relative modules, directories and JSON, cached once', async () => {
    expect(await run('node app/main.js')).toEqual({ stdout: '5 /workspace/lib/math.js lib-index a+b true\n', stderr: '', exitCode: 0 });
  });

  it('imports ES modules (.mjs, import/export syntax) with built-ins, JSON and CommonJS files', async () => {
    const r = await run('node app/esm.mjs', {
      'app/esm.mjs':
        "import fs, { existsSync } from 'node:fs';\nimport path from 'path';\nimport { twice } from './twice.js';\n" +
        "import config from '../config.json';\nimport math from '../lib/math.js';\n" +
        "await Promise.resolve();\nconsole.log(twice(4), config.name, math.add(1, 1), existsSync('hello.js'), typeof fs.readFileSync, path.basename('/a/b.txt'));\n" +
        'console.log(import.meta.url, import.meta.dirname);\n',
      'app/twice.js': 'export function twice(n) {\n  return n * 2;\n}\n',
    });
    expect(r).toEqual({ stdout: '8 unroll 2 true function b.txt\nfile:///workspace/app/esm.mjs /workspace/app\n', stderr: '', exitCode: 0 });
  });
});

describe('embedded node: built-ins', () => {
  it('fs writes go through the sandbox filesystem and fire its change events', async () => {
    const sb = createEmbeddedSandbox({ files: FILES });
    const changes: string[] = [];
    sb.fs.watch((c: FsChange) => changes.push(`${c.kind} ${c.path}`));
    const script =
      "const fs = require('fs');\nfs.mkdirSync('out/deep', { recursive: true });\nfs.writeFileSync('out/deep/a.txt', 'one\\n');\n" +
      "fs.appendFileSync('out/deep/a.txt', 'two\\n');\nconsole.log(fs.readdirSync('out'), fs.statSync('out/deep/a.txt').size, fs.existsSync('nope'));\n" +
      "fs.promises.readFile('out/deep/a.txt', 'utf8').then((t) => { fs.unlinkSync('config.json'); console.log(t.trim().split('\\n')); });\n";
    await sb.fs.writeFile('write.js', script);
    changes.length = 0;
    const r = await sb.bash.exec('node write.js');
    expect(r).toMatchObject({ stdout: "[ 'deep' ] 8 false\n[ 'one', 'two' ]\n", stderr: '', exitCode: 0 });
    expect(await sb.fs.readFile('out/deep/a.txt')).toBe('one\ntwo\n');
    expect(changes).toEqual([
      'create /workspace/out',
      'create /workspace/out/deep',
      'create /workspace/out/deep/a.txt',
      'change /workspace/out/deep/a.txt',
      'delete /workspace/config.json',
    ]);
  });

  it('fs errors look like Node’s', async () => {
    const r = await run(`node -e "try { require('fs').readFileSync('missing.txt') } catch (e) { console.log(e.code, e.syscall, e.message) }"`);
    expect(r.stdout).toBe("ENOENT open ENOENT: no such file or directory, open '/workspace/missing.txt'\n");
    const parent = await run(`node -e "require('fs').writeFileSync('no/dir/x.txt', 'x')"`);
    expect(parent.exitCode).toBe(1);
    expect(parent.stderr).toContain("ENOENT: no such file or directory, open '/workspace/no/dir/x.txt'");
  });

  it('path, os, util and assert', async () => {
    const script = [
      "const path = require('node:path'), os = require('os'), util = require('util'), assert = require('assert');",
      "console.log(path.join('a', '../b', 'c.txt'), path.resolve('x'), path.relative('/a/b', '/a/c/d'), path.extname('f.tar.gz'), path.sep);",
      "console.log(os.EOL === '\\n', os.platform(), util.format('%s=%d %j', 'n', 5, { a: 1 }), util.inspect('q'));",
      'assert.strictEqual(1, 1); assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }); assert.ok(true);',
      "assert.throws(() => { throw new TypeError('bad'); }, TypeError);",
      'try { assert.strictEqual(1, 2); } catch (e) { console.log(e.name, e.code, JSON.stringify(e.message)); }',
      'try { assert.deepStrictEqual([1], [2]); } catch (e) { console.log(e.code); }',
    ].join('\n');
    const r = await run('node check.js', { 'check.js': script });
    expect(r).toEqual({
      stdout:
        'b/c.txt /workspace/x ../c/d .gz /\ntrue linux n=5 {"a":1} \'q\'\n' +
        'AssertionError ERR_ASSERTION "Expected values to be strictly equal:\\n\\n1 !== 2\\n"\nERR_ASSERTION\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('console formats values the way Node does for the common cases', async () => {
    const script = [
      "console.log('s', 1, -0, 10n, true, null, undefined, [1, 'two'], { a: { b: { c: { d: 1 } } } });",
      "console.log(new Map([['k', 1]]), new Set(['v']), function named() {}, class K {}, Symbol('s'), [ , 1]);",
      'const o = { name: "x" }; o.self = o; console.log(o);',
      "console.log('%s is %d years', 'Ann', 42.5, 'extra');",
      "console.error('to', 'stderr');",
      'console.log(Array.from({ length: 8 }, (_, i) => i * 100));',
    ].join('\n');
    const r = await run('node fmt.js', { 'fmt.js': script });
    expect(r.stdout).toBe(
      "s 1 -0 10n true null undefined [ 1, 'two' ] { a: { b: { c: [Object] } } }\n" +
        "Map(1) { 'k' => 1 } Set(1) { 'v' } [Function: named] [class K] Symbol(s) [ <1 empty item>, 1 ]\n" +
        "{ name: 'x', self: [Circular *1] }\n" +
        'Ann is 42.5 years extra\n' +
        '[\n    0, 100, 200, 300,\n  400, 500, 600, 700\n]\n',
    );
    expect(r.stderr).toBe('to stderr\n');
  });

  it('sees the workspace, /tmp and home; refuses elsewhere and node_modules clearly', async () => {
    const r = await run(
      `mkdir -p node_modules/pkg && echo 'module.exports = 1' > node_modules/pkg/index.js && echo tmp > /tmp/t.txt && ` +
        `node -e "const fs = require('fs'); console.log(fs.readFileSync('/tmp/t.txt', 'utf8').trim(), fs.readdirSync('.').includes('node_modules')); ` +
        `for (const p of ['/etc/hostname', 'node_modules/pkg/index.js']) try { fs.readFileSync(p) } catch (e) { console.log(e.code, e.message) }"`,
    );
    expect(r.stdout).toBe(
      'tmp true\n' +
        "EACCES EACCES: permission denied, open '/etc/hostname' (the embedded node sees /workspace, /tmp, /home/user)\n" +
        "EACCES EACCES: permission denied, open '/workspace/node_modules/pkg/index.js' (the embedded node does not load /workspace/node_modules)\n",
    );
  });

  it('an unknown module says what exists', async () => {
    const r = await run(`node -e "require('express')"`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      "Error: Cannot find module 'express' (the embedded sandbox's node runs on QuickJS with fs, path, os, util, buffer, timers and assert; " +
        'use the WebContainer sandbox for npm packages)',
    );
    expect((await run(`node -e "require('./nope')"`)).stderr).toContain("Cannot find module './nope'");
  });
});

describe('embedded node: the event loop and exit', () => {
  it('runs microtasks, then timers by due time and creation order', async () => {
    const script = [
      'const log = [];',
      "setTimeout(() => log.push('t200'), 200);",
      "setTimeout(() => log.push('t75'), 75);",
      "setTimeout(() => log.push('t0-a'));",
      "setTimeout(() => log.push('t0-b'), 0);",
      "setImmediate(() => log.push('immediate'));",
      "const cancelled = setTimeout(() => log.push('never'), 5); clearTimeout(cancelled);",
      "let n = 0; const iv = setInterval(() => { log.push('iv' + ++n); if (n === 2) clearInterval(iv); }, 50);",
      "Promise.resolve().then(() => log.push('micro'));",
      "process.nextTick(() => log.push('tick'));",
      "queueMicrotask(() => log.push('queued'));",
      "log.push('sync');",
      "process.on('exit', (code) => console.log(log.join(' '), code));",
    ].join('\n');
    const r = await run('node timers.js', { 'timers.js': script });
    expect(r).toMatchObject({ stdout: 'sync micro tick queued immediate t0-a t0-b iv1 t75 iv2 t200 0\n', exitCode: 0 });
  });

  it('process.exit stops at once with its code; process.exitCode is the default', async () => {
    expect(
      await run('node exit.js; echo "status $?"', { 'exit.js': "console.log('before');\nprocess.exit(3);\nconsole.log('after');\n" }),
    ).toMatchObject({
      stdout: 'before\nstatus 3\n',
      exitCode: 0,
    });
    expect((await run(`node -e "try { process.exit(4) } catch (e) {} console.log('caught')"; echo $?`)).stdout).toBe('4\n');
    expect((await run(`node -e "process.exitCode = 5; setTimeout(() => console.log('late'), 1)"; echo $?`)).stdout).toBe('late\n5\n');
  });

  it('an uncaught error prints file:line, the line, the error and its stack; exit 1', async () => {
    const r = await run('node boom.js', {
      'boom.js': "function explode() {\n  throw new Error('boom');\n}\nexplode();\nconsole.log('unreached');\n",
    });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^\/workspace\/boom\.js:2\n {2}throw new Error\('boom'\);\n {8,}\^\n\nError: boom\n {4}at explode \(\/workspace\/boom\.js:2:\d+\)/,
    );
    const inTimer = await run(`node -e "setTimeout(() => { null.x }, 1); setTimeout(() => console.log('unreached'), 2)"`);
    expect(inTimer.exitCode).toBe(1);
    expect(inTimer.stderr).toContain('TypeError: cannot read property');
    expect(inTimer.stdout).toBe('');
    const rejected = await run('node reject.mjs', { 'reject.mjs': "await Promise.reject(new RangeError('nope'));\n" });
    expect(rejected).toMatchObject({ exitCode: 1 });
    expect(rejected.stderr).toContain('RangeError: nope');
  });

  it('a syntax error points at the line; exit 1', async () => {
    const r = await run('node bad.js', { 'bad.js': 'const ok = 1;\nlet x = ;\n' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^\/workspace\/bad\.js:2\nlet x = ;\n {8}\^\n\nSyntaxError: /);
  });

  it('a missing script fails like Node', async () => {
    expect(await run('node nope.js')).toEqual({ stdout: '', stderr: "Error: Cannot find module '/workspace/nope.js'\n", exitCode: 1 });
  });
});

describe('embedded node: limits', () => {
  it('an infinite loop is stopped by the computing limit with exit 124', async () => {
    const bash = bashWith({ timeoutMs: 300 }, { 'loop.js': 'let i = 0;\nwhile (true) { i++; }\n' });
    const r = await bash.exec('node loop.js; echo "status $?"');
    expect(r.stdout).toBe('status 124\n');
    expect(r.stderr).toBe("node: stopped after 0.3 s of computing (the embedded sandbox's limit here; waiting on timers does not count)\n");
  });

  it('waiting on timers does not count against the computing limit; an abort stops the wait and keeps the output', async () => {
    const command = createNodeCommand({ timeoutMs: 200 });
    const controller = new AbortController();
    const ctx = createCommandContext({ fs: new InMemoryFs(), cwd: '/', signal: controller.signal });
    const pending = command.execute(['-e', "console.log('waiting'); setInterval(() => {}, 100)"], ctx);
    // Far longer than the computing limit: only the abort may end this run.
    setTimeout(() => controller.abort(), 900);
    expect(await pending).toMatchObject({ stdout: 'waiting\n', stderr: 'node: interrupted\n', exitCode: 130 });
  });

  it('an aborted command stops with 130', async () => {
    const command = createNodeCommand();
    const controller = new AbortController();
    const fs = new InMemoryFs();
    const ctx = createCommandContext({ fs, cwd: '/', signal: controller.signal });
    const pending = command.execute(['-e', "let n = 0; setInterval(() => { n++; }, 1); console.log('running')"], ctx);
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ stdout: 'running\n', stderr: 'node: interrupted\n', exitCode: 130 });
  });

  it('the heap limit ends a runaway allocation with a clear message', async () => {
    const bash = bashWith({ memoryLimitBytes: 8 * 1024 * 1024 });
    const r = await bash.exec(`node -e "const a = []; for (;;) a.push({ n: a.length, list: [1, 2, 3] })"`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('node: JavaScript heap out of memory (the embedded sandbox gives node 8 MB)\n');
    // ArrayBuffers are outside QuickJS's heap count; the engine's capped memory stops them.
    const buffers = await bash.exec(`node -e "const a = []; for (;;) a.push(new Uint8Array(1 << 20))"`);
    expect(buffers.exitCode).toBe(1);
    expect(buffers.stderr).toContain('out of memory');
    expect((await bash.exec(`node -e "throw null"`)).stderr).toBe('Uncaught null\n');
    expect((await bash.exec('node -p 1+1')).stdout).toBe('2\n');
  });

  it('deep recursion is a catchable error, not a crash, and the next run works', async () => {
    const bash = bashWith({});
    // A hot loop first: V8 then optimises the engine, which is when the asyncify build's frames
    // overflowed the host stack after ~25 nested calls.
    const warm = await bash.exec(
      `node -e "function g(n) { return n ? g(n - 1) : 0 } let s = 0; for (let i = 0; i < 200000; i++) s += g(5); console.log(s)"`,
    );
    expect(warm).toMatchObject({ stdout: '0\n', exitCode: 0 });
    expect((await bash.exec(`node -e "function d(n) { return n ? d(n - 1) + 1 : 0 } console.log(d(1000))"`)).stdout).toBe('1000\n');
    const r = await bash.exec(`node -e "function f(n) { return f(n + 1) + 1 } try { f(0) } catch (e) { console.log(e.name, e.message) }"`);
    expect(r).toMatchObject({ stdout: 'InternalError stack overflow\n', exitCode: 0 });
    expect((await bash.exec(`node -e "function f() { f() } f()"`)).stderr).toContain('stack overflow');
    expect((await bash.exec('node -p 1+1')).stdout).toBe('2\n');
  });

  it('two runs at once each get their own engine', async () => {
    const bash = bashWith(
      {},
      {
        'slow.js':
          "const fs = require('fs');\nfor (let i = 0; i < 20; i++) fs.writeFileSync('f' + process.argv[2], String(i));\nconsole.log(process.argv[2], fs.readFileSync('f' + process.argv[2], 'utf8'));\n",
      },
    );
    const [a, b] = await Promise.all([bash.exec('node slow.js a'), bash.exec('node slow.js b')]);
    expect([a.stdout, b.stdout]).toEqual(['a 19\n', 'b 19\n']);
  });
});

describe('embedded node: timers and Node globals', () => {
  it('timers wait on the wall clock, in due order, and a script may wait longer than the computing limit', async () => {
    const bash = bashWith({ timeoutMs: 200 });
    const script =
      'const t0 = Date.now(); const seen = [];' +
      'setTimeout(() => seen.push("b"), 120); setTimeout(() => seen.push("a"), 60);' +
      'setTimeout(() => console.log(seen.join(""), Date.now() - t0 >= 400), 400);';
    expect(await bash.exec(`node -e '${script}'`)).toMatchObject({ stdout: 'ab true\n', exitCode: 0 });
    await bash.exec(`echo 'await new Promise((r) => setTimeout(r, 250)); console.log("done")' > wait.mjs`);
    expect(await bash.exec('node wait.mjs')).toMatchObject({ stdout: 'done\n', exitCode: 0 });
  });

  it('has Buffer with the usual encodings, TextEncoder/TextDecoder, atob/btoa', async () => {
    const bash = bashWith({});
    const script = [
      "const b = Buffer.from('héllo ✓');",
      "console.log(b.length, b.toString('hex'), b.toString('base64'), Buffer.from(b.toString('base64'), 'base64').toString());",
      "console.log(Buffer.concat([Buffer.from('ab'), Buffer.alloc(2, 'z')]).toString(), Buffer.isBuffer(b), b instanceof Uint8Array);",
      "console.log(Buffer.from('hi'), Buffer.byteLength('✓'), Buffer.from([1, 2, 3]).equals(Buffer.from('010203', 'hex')));",
      "console.log(new TextDecoder().decode(new TextEncoder().encode('✓ ok')), btoa('hi'), atob('aGk='), require('buffer').Buffer === Buffer);",
    ].join('\n');
    const r = await bash.exec(`node -e "$(cat)"`, { stdin: script });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '10 68c3a96c6c6f20e29c93 aMOpbGxvIOKckw== héllo ✓\n' + 'abzz true true\n' + '<Buffer 68 69> 3 true\n' + '✓ ok aGk= hi true\n',
    );
  });

  it('readFileSync answers a Buffer without an encoding, so binary files round-trip', async () => {
    const bash = bashWith({});
    const script =
      "const fs = require('fs'); fs.writeFileSync('bin.dat', Buffer.from([0, 255, 128, 10]));" +
      "const back = fs.readFileSync('bin.dat'); console.log(Buffer.isBuffer(back), Array.from(back).join(','), typeof fs.readFileSync('bin.dat', 'utf8'));" +
      "console.log(JSON.parse(fs.readFileSync('p.json')).n);";
    await bash.exec(`echo '{"n": 7}' > p.json`);
    const r = await bash.exec(`node -e "${script}"`);
    expect(r).toMatchObject({ stdout: 'true 0,255,128,10 string\n7\n', exitCode: 0 });
    expect(Array.from(await bash.fs.readFileBuffer('/w/bin.dat'))).toEqual([0, 255, 128, 10]);
  });

  it('process.stdout.write, process.exit, process.argv and process.env behave as in Node', async () => {
    const bash = bashWith({});
    const r = await bash.exec(
      `GREETING=hey node -e "process.stdout.write('no newline'); process.stdout.write(' ' + process.env.GREETING + ' ' + process.argv.slice(1).join('|')); process.exit(3); console.log('never')" a b`,
    );
    expect(r).toMatchObject({ stdout: 'no newline hey a|b', exitCode: 3 });
  });
});
