/**
 * The session's move to a WebContainer that boots beside the embedded sandbox, in Chromium:
 * the real session (ChatSession, the loop, the offline demo model) runs demo turns back to back
 * on the app's SwitchableSandbox while a fake WebContainer (tests/support/webcontainer-fake.ts,
 * booting as the real one does: the frame answers, then the instance is ready) becomes ready
 * after `bootMs`. Records each turn, when WebContainer was ready and when the session moved.
 * Driven by bench/browser-switch.ts through `window.switchBench`.
 */
/// <reference types="vite/client" />
import { ChatSession } from '../../src/app/chat.svelte';
import { SandboxUpgrade } from '../../src/app/sandbox-upgrade.svelte';
import { Settings } from '../../src/app/settings.svelte';
import { createEmbeddedSandbox } from '../../src/sandbox/embedded';
import { SwitchableSandbox } from '../../src/sandbox/switchable';
import { createWebContainerSandbox } from '../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, frameBoot } from '../../tests/support/webcontainer-fake';

export interface SwitchRun {
  readyMs: number;
  movedMs: number;
  turns: { startMs: number; endMs: number; on: string }[];
}

const ROOT = '/home/workspace';

async function run(bootMs: number, maxMs: number): Promise<SwitchRun> {
  const t0 = performance.now();
  const at = () => performance.now() - t0;
  const sandbox = new SwitchableSandbox(createEmbeddedSandbox({ root: ROOT }));
  const wc = new FakeWebContainer(ROOT);
  wc.onSpawn = (proc) => {
    proc.print('ran in the WebContainer\r\n');
    proc.end(0);
  };
  const container = createWebContainerSandbox(
    { deadline: { firstSignMs: 15_000, afterSignMs: 45_000 } },
    { toolbox: null, boot: frameBoot(wc, { aliveAfterMs: 300, readyAfterMs: bootMs }), environment: ISOLATED, bootSlot: {} },
  );
  const chat = new ChatSession(sandbox, new Settings({ local: null, session: null }));
  let readyMs = Number.NaN;
  let movedMs = Number.NaN;
  sandbox.onSwitch(() => (movedMs = at()));
  const upgrade = new SandboxUpgrade({
    sandbox,
    boot: async () => {
      await container.boot();
      readyMs = at();
      return container;
    },
    busy: () => chat.running,
  });
  void upgrade.start();
  const turns: SwitchRun['turns'] = [];
  // One turn after another, as fast as they end, until one ran on WebContainer.
  while (at() < maxMs) {
    const startMs = at();
    await chat.submit('Give me the hello demo');
    turns.push({ startMs, endMs: at(), on: sandbox.kind });
    if (sandbox.kind === 'webcontainer') break;
  }
  upgrade.dispose();
  return { readyMs, movedMs, turns };
}

declare global {
  interface Window {
    switchBench: { run: typeof run };
  }
}

window.switchBench = { run };
