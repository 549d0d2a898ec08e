import { describe, expect, it } from 'vitest';
import type { FsChange } from '../../src/sandbox/sandbox';
import { DEDUPE_MS, ChangeHub } from '../../src/sandbox/webcontainer/watch';
import { createWebContainerSandbox } from '../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until } from './webcontainer-fake';

const ROOT = '/home/workspace';

function hub(wc: FakeWebContainer, clock = { t: 0 }) {
  const changes = new ChangeHub({ ready: async () => ({ wc, root: ROOT }), now: () => clock.t });
  const seen: FsChange[] = [];
  const off = changes.subscribe((c) => seen.push(c));
  return { changes, seen, off, clock };
}

/** Emits a raw watcher event, as the runtime would for a change made elsewhere (the terminal). */
function external(wc: FakeWebContainer, event: 'rename' | 'change', filename: string | Uint8Array) {
  for (const w of wc.fs.watchers) w.listener(event, filename);
}

describe('watch events from the runtime', () => {
  it('maps rename to create or delete by whether the path exists now, change to change', async () => {
    const wc = new FakeWebContainer(ROOT);
    wc.fs.notify = false;
    const { changes, seen } = hub(wc);
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    wc.fs.put('src/new.ts', 'x');
    external(wc, 'rename', 'src');
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
    external(wc, 'change', `${ROOT}/a.txt`);
    external(wc, 'change', new TextEncoder().encode('a.txt'));
    external(wc, 'rename', '');
    external(wc, 'rename', '/etc/passwd');
    external(wc, 'rename', '../x');
    external(wc, 'rename', 'node_modules/react/index.js');
    external(wc, 'rename', 'node_modules');
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
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    await new Promise((r) => setTimeout(r, 5)); // let it list the existing directories
    for (const key of wc.fs.paths()) wc.fs.nodes.delete(key);
    external(wc, 'rename', 'old/nested');
    await changes.settled();
    expect(seen).toEqual([{ kind: 'delete', path: `${ROOT}/old/nested`, isDirectory: true }]);
  });

  it('stops watching when the last listener leaves', async () => {
    const wc = new FakeWebContainer(ROOT);
    const { off } = hub(wc);
    await until(() => wc.fs.watchers.size === 1, 'the watcher');
    off();
    expect(wc.fs.watchers.size).toBe(0);
  });
});

describe('watching across a boot that timed out and was retried', () => {
  it('starts the watcher once the retried boot succeeds', async () => {
    const wc = new FakeWebContainer(ROOT);
    let resolve: (w: FakeWebContainer) => void = () => {};
    const pending = new Promise<FakeWebContainer>((r) => (resolve = r));
    const sb = createWebContainerSandbox({ bootTimeoutMs: 20 }, { boot: () => pending, environment: ISOLATED, bootSlot: {} });
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
    const sb = createWebContainerSandbox({}, { boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {}, now: () => clock.t });
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
