import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Bash } from 'just-bash';
import { KILLED_EXIT_CODE, NO_STDIN_MESSAGE, createJustBashPort, type JustBashLike } from '../../../src/sandbox/just-bash-port';
import { NODE_SANDBOX_ROOT, createNodeSandbox } from '../../../src/sandbox/node-bash';
import type { SandboxPort } from '../../../src/core/ports';

function memoryPort(files: Record<string, string> = {}): SandboxPort {
  const bash = new Bash({ files: { '/workspace/.keep': '', ...files }, cwd: '/workspace' });
  return createJustBashPort({ bash, root: '/workspace' });
}

async function run(port: SandboxPort, command: string, cwd = '/workspace') {
  const process = port.exec.spawn(command, { cwd });
  const chunks: string[] = [];
  process.onOutput((c) => chunks.push(c));
  const code = await process.exit;
  return { code, chunks, output: chunks.join('') };
}

describe('createJustBashPort: exec', () => {
  it('emits stdout, then stderr, then exits with the exit code', async () => {
    const port = memoryPort();
    const r = await run(port, 'echo err >&2; echo out; exit 4');
    expect(r.code).toBe(4);
    expect(r.chunks).toEqual(['out\n', 'err\n']);
  });

  it('replays output to listeners that subscribe after it arrived', async () => {
    const process = memoryPort().exec.spawn('echo late', { cwd: '/workspace' });
    await process.exit;
    const seen: string[] = [];
    process.onOutput((c) => seen.push(c));
    expect(seen).toEqual(['late\n']);
  });

  it('runs in the requested cwd and keeps here-doc indentation', async () => {
    const port = memoryPort({ '/workspace/sub/x.txt': 'x' });
    expect((await run(port, 'pwd; ls', '/workspace/sub')).output).toBe('/workspace/sub\nx.txt\n');
    const script = "cat <<'EOF' > a.py\ndef f():\n    return 1\nEOF\ncat a.py";
    expect((await run(port, script)).output).toBe('def f():\n    return 1\n');
  });

  it('reports a missing working directory clearly', async () => {
    const r = await run(memoryPort(), 'ls', '/workspace/nope');
    expect(r.code).toBe(1);
    expect(r.output).toBe('cannot run the command: working directory /workspace/nope does not exist\n');
  });

  it('a plain in-memory Bash has no node (127)', async () => {
    const r = await run(memoryPort(), 'node -v');
    expect(r.code).toBe(127);
    expect(r.output).toContain('node: command not found');
  });

  it('rejects stdin writes with a clear message', async () => {
    const process = memoryPort().exec.spawn('sleep 0.2', { cwd: '/workspace' });
    await expect(process.write('y\n')).rejects.toThrow(NO_STDIN_MESSAGE);
    await process.exit;
  });

  it('kill ends a sleeping command at once with 130 and drops later output', async () => {
    const process = memoryPort().exec.spawn('sleep 10; echo after', { cwd: '/workspace' });
    const chunks: string[] = [];
    process.onOutput((c) => chunks.push(c));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    process.kill();
    expect(await process.exit).toBe(KILLED_EXIT_CODE);
    expect(Date.now() - started).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(chunks).toEqual([]);
  });

  it('just-bash itself honours the abort signal for sleep (exit 124)', async () => {
    const bash = new Bash();
    const controller = new AbortController();
    const started = Date.now();
    const pending = bash.exec('sleep 10; echo after', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(124);
  });

  it('turns a throwing exec into output and exit 1', async () => {
    const throwing: JustBashLike = {
      fs: new Bash().fs,
      exec: () => Promise.reject(new Error('interpreter exploded')),
    };
    const port = createJustBashPort({ bash: throwing, root: '/' });
    const r = await run(port, 'anything', '/');
    expect(r).toMatchObject({ code: 1, output: 'interpreter exploded\n' });
  });

  it('describes itself', () => {
    const d = memoryPort().describe();
    expect(d).toMatchObject({ kind: 'embedded', shell: 'bash (just-bash)', root: '/workspace' });
    expect(d.notes).toMatch(/grep/);
    expect(d.notes).toMatch(/no node, npm, python or network/);
  });
});

describe('createJustBashPort: fs', () => {
  it('reads, writes (creating parents), stats, lists and removes', async () => {
    const { fs } = memoryPort({ '/workspace/a.txt': 'héllo\n' });
    expect(await fs.readFile('/workspace/a.txt')).toBe('héllo\n');
    await fs.writeFile('/workspace/deep/er/b.txt', 'bee');
    expect(await fs.readFile('/workspace/deep/er/b.txt')).toBe('bee');
    expect(await fs.stat('/workspace/a.txt')).toEqual({ isFile: true, isDirectory: false, size: 7 });
    expect(await fs.stat('/workspace/deep')).toMatchObject({ isFile: false, isDirectory: true });
    expect(await fs.stat('/workspace/missing')).toBeNull();
    await fs.mkdir('/workspace/m/n');
    await fs.mkdir('/workspace/m/n'); // exists: fine
    expect(await fs.readdir('/workspace')).toEqual(['.keep', 'a.txt', 'deep', 'm']);
    await fs.rm('/workspace/deep');
    expect(await fs.stat('/workspace/deep')).toBeNull();
  });

  it('rejects with messages that name the sandbox path', async () => {
    const { fs } = memoryPort();
    await expect(fs.readFile('/workspace/nope.txt')).rejects.toThrow('cannot read /workspace/nope.txt: no such file or directory');
    await expect(fs.readdir('/workspace/nope')).rejects.toThrow(/^cannot list \/workspace\/nope: /);
    await expect(fs.rm('/workspace/nope')).rejects.toThrow(/^cannot remove \/workspace\/nope/);
  });
});

describe('createNodeSandbox (ReadWriteFs on a real directory)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function sandbox() {
    dir = mkdtempSync(join(tmpdir(), 'unroll-sandbox-'));
    writeFileSync(join(dir, 'hello.txt'), 'from the host\n');
    return createNodeSandbox(dir);
  }

  it('mounts the directory at /workspace and writes through to disk', async () => {
    const port = sandbox();
    expect(port.describe()).toMatchObject({ kind: 'node', root: NODE_SANDBOX_ROOT, shell: 'bash (just-bash)' });
    expect(port.describe().notes).toMatch(/real project directory.*`node` is QuickJS.*no npm, python/);
    const r = await run(port, 'pwd; cat hello.txt; echo made > out.txt; mkdir -p a/b');
    expect(r).toMatchObject({ code: 0, output: '/workspace\nfrom the host\n' });
    expect(readFileSync(join(dir as string, 'out.txt'), 'utf8')).toBe('made\n');
    expect(existsSync(join(dir as string, 'a', 'b'))).toBe(true);
    await port.fs.writeFile('/workspace/src/new.ts', 'export {};\n');
    expect(readFileSync(join(dir as string, 'src', 'new.ts'), 'utf8')).toBe('export {};\n');
  });

  it('keeps `..` out of the host filesystem', async () => {
    const port = sandbox();
    const r = await run(port, 'ls ..; cat ../../etc/hostname 2>&1; cat /etc/passwd 2>&1');
    expect(r.output).not.toContain('root:');
    expect(r.output).toMatch(/No such file/);
  });

  it('answers npm and npx with a clear message and exit 127; node is QuickJS over the real directory', async () => {
    const port = sandbox();
    for (const name of ['npm install', 'npx vitest']) {
      const r = await run(port, name);
      expect(r.code, name).toBe(127);
      expect(r.output, name).toContain('npm is not available in the embedded sandbox (node here is QuickJS without npm');
    }
    const r = await run(port, `node -e "require('fs').writeFileSync('from-node.txt', require('fs').readFileSync('hello.txt', 'utf8'))"`);
    expect(r).toMatchObject({ code: 0, output: '' });
    expect(readFileSync(join(dir as string, 'from-node.txt'), 'utf8')).toBe('from the host\n');
  });

  it('has a scratch /tmp and a home directory', async () => {
    const r = await run(sandbox(), 'echo t > /tmp/x && cat /tmp/x && cd ~ && pwd');
    expect(r).toMatchObject({ code: 0, output: 't\n/home/user\n' });
  });
});
