/**
 * The session's move from the embedded sandbox to WebContainer booted beside it: real
 * embedded sandboxes, the WebContainer backend over the fake runtime, the real move.
 */
import { describe, expect, it } from 'vitest';
import { SandboxUpgrade } from '../../src/app/sandbox-upgrade.svelte';
import { createEmbeddedSandbox } from '../../src/sandbox/embedded';
import { BesideFailure, LOST_WITHOUT_WEBCONTAINER } from '../../src/sandbox/select';
import type { Sandbox } from '../../src/sandbox/sandbox';
import { SwitchableSandbox } from '../../src/sandbox/switchable';
import { createWebContainerSandbox } from '../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot, until } from './webcontainer-fake';

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
