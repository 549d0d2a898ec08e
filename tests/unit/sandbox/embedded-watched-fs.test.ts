import { describe, expect, it } from 'vitest';
import { Bash, InMemoryFs, type FsStat } from 'just-bash';
import { WatchedFs } from '../../../src/sandbox/embedded/watched-fs';
import type { FsChange } from '../../../src/sandbox/sandbox';

/** An in-memory filesystem that counts lstat calls (to see when bookkeeping happens). */
class CountingFs extends InMemoryFs {
  lstats = 0;
  override lstat(path: string): Promise<FsStat> {
    this.lstats++;
    return super.lstat(path);
  }
}

function setup() {
  const inner = new CountingFs();
  inner.mkdirSync('/workspace', { recursive: true });
  inner.mkdirSync('/tmp', { recursive: true });
  const fs = new WatchedFs(inner, '/workspace');
  const events: string[] = [];
  const stop = fs.watch((c: FsChange) => events.push(`${c.kind} ${c.path}${c.isDirectory ? '/' : ''}`));
  /** The events since the last call. */
  const take = () => events.splice(0);
  return { inner, fs, take, stop };
}

describe('WatchedFs: events for each mutation', () => {
  it('writeFile and appendFile: create, then change; new parents first', async () => {
    const { fs, take } = setup();
    await fs.writeFile('/workspace/a.txt', 'a');
    expect(take()).toEqual(['create /workspace/a.txt']);
    await fs.writeFile('/workspace/a.txt', 'b');
    await fs.appendFile('/workspace/a.txt', 'c');
    expect(take()).toEqual(['change /workspace/a.txt', 'change /workspace/a.txt']);
    await fs.appendFile('/workspace/log.txt', 'x');
    expect(take()).toEqual(['create /workspace/log.txt']);
    await fs.writeFile('/workspace/new/deep/f.txt', 'f'); // InMemoryFs makes the parents
    expect(take()).toEqual(['create /workspace/new/', 'create /workspace/new/deep/', 'create /workspace/new/deep/f.txt']);
  });

  it('mkdir: each directory made, outermost first; nothing for one that exists', async () => {
    const { fs, take } = setup();
    await fs.mkdir('/workspace/a/b/c', { recursive: true });
    expect(take()).toEqual(['create /workspace/a/', 'create /workspace/a/b/', 'create /workspace/a/b/c/']);
    await fs.mkdir('/workspace/a/b', { recursive: true });
    await fs.mkdir('/workspace/a/x');
    expect(take()).toEqual(['create /workspace/a/x/']);
  });

  it('rm -r: the whole subtree, children before parents', async () => {
    const { fs, take } = setup();
    await fs.writeFile('/workspace/t/a/f.txt', 'f');
    await fs.writeFile('/workspace/t/b.txt', 'b');
    take();
    await fs.rm('/workspace/t', { recursive: true });
    expect(take()).toEqual(['delete /workspace/t/b.txt', 'delete /workspace/t/a/f.txt', 'delete /workspace/t/a/', 'delete /workspace/t/']);
    await fs.rm('/workspace/missing', { force: true });
    expect(take()).toEqual([]);
  });

  it('mv: delete the source tree, then create the target tree; a replaced file is a change', async () => {
    const { fs, take } = setup();
    await fs.writeFile('/workspace/d/x.txt', 'x');
    await fs.writeFile('/workspace/old.txt', 'o');
    await fs.writeFile('/workspace/target.txt', 't');
    take();
    await fs.mv('/workspace/d', '/workspace/e');
    expect(take()).toEqual(['delete /workspace/d/x.txt', 'delete /workspace/d/', 'create /workspace/e/', 'create /workspace/e/x.txt']);
    await fs.mv('/workspace/old.txt', '/workspace/target.txt');
    expect(take()).toEqual(['delete /workspace/old.txt', 'change /workspace/target.txt']);
  });

  it('cp: creates for the copied tree; symlink and link: create; chmod and utimes: nothing', async () => {
    const { fs, take } = setup();
    await fs.writeFile('/workspace/src/a.txt', 'a');
    take();
    await fs.cp('/workspace/src', '/workspace/copy', { recursive: true });
    expect(take()).toEqual(['create /workspace/copy/', 'create /workspace/copy/a.txt']);
    await fs.symlink('src/a.txt', '/workspace/link');
    await fs.link('/workspace/src/a.txt', '/workspace/hard');
    expect(take()).toEqual(['create /workspace/link', 'create /workspace/hard']);
    await fs.chmod('/workspace/src/a.txt', 0o755);
    await fs.utimes('/workspace/src/a.txt', new Date(), new Date());
    expect(take()).toEqual([]);
  });

  it('reports only paths inside the root, never the root itself, which always exists', async () => {
    const { fs, take } = setup();
    await fs.writeFile('/tmp/scratch.txt', 's');
    await fs.writeFile('/workspace2.txt', 'not inside');
    expect(take()).toEqual([]);
    await fs.mv('/tmp/scratch.txt', '/workspace/in.txt');
    expect(take()).toEqual(['create /workspace/in.txt']);
    await fs.mv('/workspace/in.txt', '/tmp/out.txt');
    expect(take()).toEqual(['delete /workspace/in.txt']);
    await fs.writeFile('/workspace/f.txt', 'f');
    take();
    await fs.rm('/workspace', { recursive: true });
    expect(take()).toEqual(['delete /workspace/f.txt']);
    expect((await fs.stat('/workspace')).isDirectory).toBe(true);
    expect(await fs.readdir('/workspace')).toEqual([]);
  });

  it('a failing operation emits nothing and rejects as before', async () => {
    const { fs, take } = setup();
    await expect(fs.rm('/workspace/nope')).rejects.toThrow(/ENOENT/);
    await expect(fs.mkdir('/workspace/a/b')).rejects.toThrow();
    expect(take()).toEqual([]);
  });

  it('a throwing listener does not fail the write or starve other listeners', async () => {
    const { fs, take } = setup();
    fs.watch(() => {
      throw new Error('listener bug');
    });
    const original = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => logged.push(args[0]);
    try {
      await fs.writeFile('/workspace/a.txt', 'a');
    } finally {
      console.error = original;
    }
    expect(take()).toEqual(['create /workspace/a.txt']);
    expect(logged).toEqual(['fs change listener failed']);
  });

  it('skips its bookkeeping while nobody listens, and unsubscribing stops events', async () => {
    const { inner, fs, take, stop } = setup();
    stop();
    inner.lstats = 0;
    await fs.writeFile('/workspace/quiet.txt', 'q');
    await fs.mkdir('/workspace/q/r', { recursive: true });
    await fs.rm('/workspace/q', { recursive: true });
    expect(inner.lstats).toBe(0);
    expect(take()).toEqual([]);
  });
});

describe('WatchedFs under just-bash: shell commands produce events', () => {
  it('echo >, >>, mkdir -p, touch, mv, cp -r, rm -r, sed -i', async () => {
    const { fs, take } = setup();
    const bash = new Bash({ fs, cwd: '/workspace' });
    const run = async (cmd: string) => {
      const r = await bash.exec(cmd, { cwd: '/workspace' });
      expect(r.exitCode, `${cmd}: ${r.stderr}`).toBe(0);
      return take();
    };
    expect((await run('echo hi > a.txt'))[0]).toBe('create /workspace/a.txt');
    expect(await run('echo more >> a.txt')).toContain('change /workspace/a.txt');
    expect(await run('mkdir -p d/e')).toEqual(['create /workspace/d/', 'create /workspace/d/e/']);
    expect(await run('touch d/e/f')).toEqual(['create /workspace/d/e/f']);
    expect(await run('mv a.txt d/b.txt')).toEqual(['delete /workspace/a.txt', 'create /workspace/d/b.txt']);
    expect(await run('cp -r d c')).toEqual([
      'create /workspace/c/',
      'create /workspace/c/b.txt',
      'create /workspace/c/e/',
      'create /workspace/c/e/f',
    ]);
    expect(await run('sed -i s/hi/ho/ c/b.txt')).toEqual(['change /workspace/c/b.txt']);
    expect(await run('rm -r d')).toEqual(['delete /workspace/d/e/f', 'delete /workspace/d/e/', 'delete /workspace/d/b.txt', 'delete /workspace/d/']);
    expect(await run('echo scratch > /tmp/x; cat /tmp/x > /dev/null')).toEqual([]);
  });
});
