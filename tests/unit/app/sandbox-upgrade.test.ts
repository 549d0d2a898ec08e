/**
 * The session's move from the embedded sandbox to WebContainer booted beside it: real
 * embedded sandboxes, the WebContainer backend over the fake runtime, the real move.
 */
import { describe, expect, it } from 'vitest';
import { ChatSession } from '../../../src/app/chat.svelte';
import { SandboxUpgrade } from '../../../src/app/sandbox-upgrade.svelte';
import { Settings } from '../../../src/app/settings.svelte';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { BesideFailure, LOST_WITHOUT_WEBCONTAINER } from '../../../src/sandbox/select';
import type { Sandbox } from '../../../src/sandbox/sandbox';
import { SwitchableSandbox } from '../../../src/sandbox/switchable';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

function setup(options: { busy?: { value: boolean }; boot?: (progress: (text: string) => void) => Promise<Sandbox> } = {}) {
  const embedded = createEmbeddedSandbox({ root: ROOT, files: { 'index.html': '<h1>hi</h1>\n' } });
  const sandbox = new SwitchableSandbox(embedded);
  const wc = new FakeWebContainer(ROOT);
  const container = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
  const busy = options.busy ?? { value: false };
  const boot =
    options.boot ??
    (async (progress: (text: string) => void) => {
      progress('Booting…');
      await container.boot();
      return container;
    });
  const upgrade = new SandboxUpgrade({ sandbox, boot, busy: () => busy.value, pollMs: 5 });
  return { upgrade, sandbox, embedded, container, wc, busy };
}

describe('SandboxUpgrade', () => {
  it('moves the session at once when no turn runs, files included', async () => {
    const { upgrade, sandbox, wc } = setup();
    await upgrade.start();
    await until(() => upgrade.phase === 'moved', 'the move');
    expect(sandbox.kind).toBe('webcontainer');
    expect(new TextDecoder().decode(await wc.fs.readFile('index.html'))).toBe('<h1>hi</h1>\n');
    expect(upgrade.movedAt).not.toBeNull();
  });

  it('waits for the running turn to end before moving', async () => {
    const busy = { value: true };
    const { upgrade, sandbox } = setup({ busy });
    await upgrade.start();
    expect(upgrade.phase).toBe('waiting');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sandbox.kind).toBe('embedded');
    busy.value = false;
    await until(() => upgrade.phase === 'moved', 'the move after the turn');
    expect(sandbox.kind).toBe('webcontainer');
  });

  it('stays on embedded when asked while booting, and moves later when asked to', async () => {
    const { upgrade, sandbox } = setup();
    const starting = upgrade.start();
    upgrade.stay();
    await starting;
    expect(upgrade.phase).toBe('declined');
    expect(sandbox.kind).toBe('embedded');
    upgrade.useWebContainer();
    await until(() => upgrade.phase === 'moved', 'the move');
    expect(sandbox.kind).toBe('webcontainer');
  });

  it('goes back to embedded after the move, with what was made on WebContainer', async () => {
    const { upgrade, sandbox, embedded } = setup();
    await upgrade.start();
    await until(() => upgrade.phase === 'moved', 'the move');
    await sandbox.fs.writeFile(`${ROOT}/made-there.txt`, 'made on WebContainer');
    upgrade.stay();
    await until(() => upgrade.phase === 'declined', 'the move back');
    expect(sandbox.kind).toBe('embedded');
    expect(await embedded.fs.readFile(`${ROOT}/made-there.txt`)).toBe('made on WebContainer');
  });

  it('reports why WebContainer did not come, and leaves the session where it was', async () => {
    const fallback = { reason: 'StackBlitz did not answer within 15 s.', lost: LOST_WITHOUT_WEBCONTAINER, cause: 'failed' as const };
    const { upgrade, sandbox } = setup({ boot: () => Promise.reject(new BesideFailure(fallback)) });
    await upgrade.start();
    expect(upgrade.phase).toBe('failed');
    expect(upgrade.failure).toEqual(fallback);
    expect(sandbox.kind).toBe('embedded');
  });
});

describe('the move at a turn boundary, with a real session', () => {
  it('is made before the next turn starts; the model is told by an appended permissions message', async () => {
    const busy = { value: true };
    const { upgrade, sandbox, wc } = setup({ busy });
    wc.onSpawn = (proc) => {
      proc.print('ran in the WebContainer\r\n');
      proc.end(0);
    };
    const chat = new ChatSession(sandbox, new Settings({ local: null, session: null }));
    await chat.submit('Give me the hello demo');
    expect(wc.spawned).toEqual([]);
    const before = chat.history.length;
    await upgrade.start();
    expect(upgrade.phase).toBe('waiting');
    // A message queued behind the running turn starts at once when it ends: the poll never
    // sees the session idle, so the turn itself makes the move first.
    await chat.submit('Give me the hello demo');
    expect(upgrade.phase).toBe('moved');
    expect(wc.spawned.length).toBeGreaterThan(0);
    const added = chat.history.slice(before);
    const developer = added.filter((item) => item.type === 'message' && item.role === 'developer');
    expect(developer).toHaveLength(1);
    expect(JSON.stringify(developer[0])).toContain('You are in a WebContainer');
    // What the model was sent before is untouched: the first turn's permissions still name the embedded sandbox.
    expect(JSON.stringify(chat.history.slice(0, before))).toContain('embedded sandbox');
  });
});

describe('readiness', () => {
  it('is known apart from the phase: staying on embedded while it boots, it becomes ready later', async () => {
    const { upgrade } = setup();
    const starting = upgrade.start();
    upgrade.stay();
    expect(upgrade.ready).toBe(false);
    await starting;
    expect(upgrade.ready).toBe(true);
    expect(upgrade.phase).toBe('declined');
  });
});
