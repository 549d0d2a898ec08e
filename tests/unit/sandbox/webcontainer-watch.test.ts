import { describe, expect, it } from 'vitest';
import type { FsChange } from '../../../src/sandbox/sandbox';
import { DEDUPE_MS, ChangeHub } from '../../../src/sandbox/webcontainer/watch';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

function hub(wc: FakeWebContainer, clock = { t: 0 }) {
  const changes = new ChangeHub({ ready: async () => ({ wc, root: ROOT }), now: () => clock.t });
  const seen: FsChange[] = [];
  const problems: string[] = [];
  const off = changes.subscribe(
    (c) => seen.push(c),
    (p) => problems.push(p),
  );
  return { changes, seen, problems, off, clock };
}

/** A watcher event for a workdir-relative path, as the runtime reports a change made elsewhere (the terminal). */
function external(wc: FakeWebContainer, event: 'rename' | 'change', key: string) {
  wc.fs.deliver(event, key);
}

/** A raw event from the root's watcher, whatever the filename. */
function fromRootWatcher(wc: FakeWebContainer, event: 'rename' | 'change', filename: string | Uint8Array) {
  for (const w of wc.fs.watchers) if (w.path === '') w.listener(event, filename);
}

describe('watch events from the runtime', () => {
  it('maps rename to create or delete by whether the path exists now, change to change', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.notify = false;
    const { changes, seen } = hub(wc);
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    wc.fs.put('src/new.ts', 'x');
    external(wc, 'rename', 'src');
    await changes.settled(); // src now has its own watcher
    expect(wc.fs.watchedPaths()).toEqual(['.', 'src (recursive)']);
    external(wc, 'rename', 'src/new.ts');
    external(wc, 'change', 'src/new.ts');
    await changes.settled();
    wc.fs.nodes.delete('src/new.ts');
    wc.fs.nodes.delete('src');
    external(wc, 'rename', 'src/new.ts');
    external(wc, 'rename', 'src');
    await changes.settled();
    expect(seen).toEqual([
      { kind: 'create', path: `${ROOT}/src`, isDirectory: true },
      { kind: 'create', path: `${ROOT}/src/new.ts`, isDirectory: false },
      { kind: 'change', path: `${ROOT}/src/new.ts`, isDirectory: false },
      { kind: 'delete', path: `${ROOT}/src/new.ts`, isDirectory: false },
      { kind: 'delete', path: `${ROOT}/src`, isDirectory: true },
    ]);
  });

  it('accepts absolute and byte filenames; ignores empty, outside and node_modules contents', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.notify = false;
    const { changes, seen } = hub(wc);
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    wc.fs.put('a.txt', 'a');
    wc.fs.put('node_modules/react/index.js', 'r');
    fromRootWatcher(wc, 'change', `${ROOT}/a.txt`);
    fromRootWatcher(wc, 'change', new TextEncoder().encode('a.txt'));
    fromRootWatcher(wc, 'rename', '');
    fromRootWatcher(wc, 'rename', '/etc/passwd');
    fromRootWatcher(wc, 'rename', '../x');
    fromRootWatcher(wc, 'rename', 'node_modules/react/index.js');
    fromRootWatcher(wc, 'rename', 'node_modules');
    await changes.settled();
    expect(seen).toEqual([
      { kind: 'change', path: `${ROOT}/a.txt`, isDirectory: false },
      { kind: 'change', path: `${ROOT}/a.txt`, isDirectory: false },
      { kind: 'create', path: `${ROOT}/node_modules`, isDirectory: true },
    ]);
  });

  it('knows a deleted path was a directory when it existed before watching began', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.notify = false;
    wc.fs.dir('old/nested');
    const { changes, seen } = hub(wc);
    await until(() => wc.fs.watchers.size === 2, 'the watchers');
    await new Promise((r) => setTimeout(r, 5)); // let it list the existing directories
    for (const key of wc.fs.paths()) wc.fs.nodes.delete(key);
    external(wc, 'rename', 'old/nested');
    await changes.settled();
    expect(seen).toEqual([{ kind: 'delete', path: `${ROOT}/old/nested`, isDirectory: true }]);
  });

  it('stops watching when the last listener leaves', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.dir('src');
    const { off } = hub(wc);
    await until(() => wc.fs.watchers.size === 2, 'the watchers');
    off();
    expect(wc.fs.watchers.size).toBe(0);
  });
});

describe('which folders are watched', () => {
  it('watches the root alone and each top-level folder recursively, never node_modules or .git', async () => {
    const wc = new FakeWebContainer(ROOT);
    for (const dir of ['src/lib', 'public', 'node_modules/react', '.git/objects', 'dist', '.vite']) wc.fs.dir(dir);
    wc.fs.put('package.json', '{}');
    const { changes } = hub(wc);
    await until(() => wc.fs.watchers.size > 1, 'the folder watchers');
    await changes.settled();
    expect(wc.fs.watchedPaths()).toEqual(['.', 'public (recursive)', 'src (recursive)']);
  });

  it('reports changes deep in a folder and at the top level, but nothing an install does inside node_modules', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.dir('src');
    const { changes, seen } = hub(wc);
    await until(() => wc.fs.watchers.size === 2, 'the watchers');
    await wc.fs.mkdir('node_modules/react', { recursive: true });
    await wc.fs.writeFile('node_modules/react/index.js', 'r');
    await wc.fs.writeFile('src/deep.ts', 'x');
    await wc.fs.writeFile('README.md', '#');
    await changes.settled();
    expect(seen).toEqual([
      { kind: 'create', path: `${ROOT}/node_modules`, isDirectory: true },
      { kind: 'create', path: `${ROOT}/src/deep.ts`, isDirectory: false },
      { kind: 'create', path: `${ROOT}/README.md`, isDirectory: false },
    ]);
    expect(wc.fs.watchedPaths()).toEqual(['.', 'src (recursive)']);
  });

  it('opens a watcher for a top-level folder that appears and closes the one of a folder that goes', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.dir('old');
    const { changes, seen } = hub(wc);
    await until(() => wc.fs.watchers.size === 2, 'the watchers');
    await wc.fs.mkdir('app', { recursive: true });
    await changes.settled();
    expect(wc.fs.watchedPaths()).toEqual(['.', 'app (recursive)', 'old (recursive)']);
    await wc.fs.mkdir('app/src', { recursive: true });
    await wc.fs.writeFile('app/src/main.ts', 'x');
    await wc.fs.rm('old', { recursive: true });
    await changes.settled();
    expect(wc.fs.watchedPaths()).toEqual(['.', 'app (recursive)']);
    expect(seen.map((c) => `${c.kind} ${c.path}`)).toEqual([
      `create ${ROOT}/app`,
      `create ${ROOT}/app/src`,
      `create ${ROOT}/app/src/main.ts`,
      `delete ${ROOT}/old`,
    ]);
  });

  it('reports a watcher the runtime refuses to the subscribers, also to one that comes later', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.dir('src');
    wc.fs.dir('docs');
    wc.fs.refuseWatch = (path) => (path === 'src' ? new Error('Proxy has been released') : undefined);
    const { changes, problems, seen } = hub(wc);
    await until(() => problems.length > 0, 'the problem');
    await changes.settled();
    expect(problems).toEqual(['Changes made in the terminal may not show in the file tree: watching src failed (Proxy has been released).']);
    expect(wc.fs.watchedPaths()).toEqual(['.', 'docs (recursive)']);
    await wc.fs.writeFile('docs/a.md', 'a');
    await changes.settled();
    expect(seen).toEqual([{ kind: 'create', path: `${ROOT}/docs/a.md`, isDirectory: false }]);
    const late: string[] = [];
    changes.subscribe(
      () => undefined,
      (p) => late.push(p),
    );
    expect(late).toEqual(problems);
  });

  it('reports a root watcher the runtime refuses through the sandbox', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.refuseWatch = () => new Error('the runtime is gone');
    const sb = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
    const problems: string[] = [];
    sb.fs.watch(
      () => undefined,
      (p) => problems.push(p),
    );
    await sb.boot();
    await until(() => problems.length === 1, 'the problem');
    expect(problems[0]).toBe('Changes made in the terminal may not show in the file tree: watching the workspace failed (the runtime is gone).');
  });
});

describe('watching across a boot that timed out and was retried', () => {
  it('starts the watcher once the retried boot succeeds', async () => {
    const wc = new FakeWebContainer(ROOT);
    let resolve: (w: FakeWebContainer) => void = () => {};
    const pending = new Promise<FakeWebContainer>((r) => (resolve = r));
    const sb = createWebContainerSandbox({ bootTimeoutMs: 20 }, { toolbox: null, boot: () => pending, environment: ISOLATED, bootSlot: {} });
    const seen: FsChange[] = [];
    sb.fs.watch((c) => seen.push(c));
    await expect(sb.boot()).rejects.toThrow(/did not start/);
    resolve(wc);
    await sb.boot();
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    wc.fs.put('late.txt', 'x');
    external(wc, 'rename', 'late.txt');
    await until(() => seen.length === 1, 'the event');
    expect(seen[0]).toEqual({ kind: 'create', path: `${ROOT}/late.txt`, isDirectory: false });
  });
});

describe('change events from our own fs methods', () => {
  async function sandbox(clock: { t: number }) {
    const wc = new FakeWebContainer(ROOT);
    const sb = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {}, now: () => clock.t });
    await sb.boot();
    const seen: FsChange[] = [];
    sb.fs.watch((c) => seen.push(c));
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    return { sb, wc, seen };
  }

  it('are reported at once, and the watcher echo of the same change is dropped', async () => {
    const clock = { t: 1000 };
    const { sb, seen } = await sandbox(clock);
    await sb.fs.writeFile('dir/a.txt', 'one');
    expect(seen).toEqual([
      { kind: 'create', path: `${ROOT}/dir`, isDirectory: true },
      { kind: 'create', path: `${ROOT}/dir/a.txt`, isDirectory: false },
    ]);
    await sb.fs.writeFile('dir/a.txt', 'two');
    await sb.fs.rename('dir/a.txt', 'b.txt');
    await sb.fs.mkdir('e/f');
    await sb.fs.rm('e');
    await new Promise((r) => setTimeout(r, 5));
    expect(seen.slice(2)).toEqual([
      { kind: 'change', path: `${ROOT}/dir/a.txt`, isDirectory: false },
      { kind: 'delete', path: `${ROOT}/dir/a.txt`, isDirectory: false },
      { kind: 'create', path: `${ROOT}/b.txt`, isDirectory: false },
      { kind: 'create', path: `${ROOT}/e`, isDirectory: true },
      { kind: 'create', path: `${ROOT}/e/f`, isDirectory: true },
      { kind: 'delete', path: `${ROOT}/e/f`, isDirectory: true },
      { kind: 'delete', path: `${ROOT}/e`, isDirectory: true },
    ]);
  });

  it('a watcher event for the same path after the window is a new change', async () => {
    const clock = { t: 1000 };
    const { sb, wc, seen } = await sandbox(clock);
    await sb.fs.writeFile('a.txt', 'one');
    clock.t += DEDUPE_MS + 1;
    external(wc, 'change', 'a.txt');
    await until(() => seen.length === 2, 'the second event');
    expect(seen).toEqual([
      { kind: 'create', path: `${ROOT}/a.txt`, isDirectory: false },
      { kind: 'change', path: `${ROOT}/a.txt`, isDirectory: false },
    ]);
  });

  it('a listener that throws does not stop the others', async () => {
    const clock = { t: 0 };
    const { sb, seen } = await sandbox(clock);
    sb.fs.watch(() => {
      throw new Error('boom');
    });
    await sb.fs.writeFile('x', 'x');
    expect(seen).toHaveLength(1);
  });
});
