/**
 * The sandbox contract's filesystem, snapshot and path cases against the WebContainer
 * backend over the in-memory fake. Cases that need a real shell (jsh) run only in Chromium
 * against the real runtime (tests/browser/sandbox-contract.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { runContract, sandboxContract } from '../../contract/sandbox-contract';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { FakeWebContainer, ISOLATED, fakeBoot } from '../../support/webcontainer-fake';

const WITHOUT_A_SHELL =
  /^(fs:|snapshot:|status:|events: writes through the fs API|paths: (unicode and spaces through the fs API|every fs method|a working directory))/;

describe('sandbox contract (no-shell cases) on the WebContainer backend with a fake runtime', () => {
  it('passes every case that does not need jsh', async () => {
    const wc = new FakeWebContainer();
    const sb = createWebContainerSandbox({}, { toolbox: null, boot: fakeBoot(wc), environment: ISOLATED, bootSlot: {} });
    const results = await runContract(() => sb, { filter: (c) => WITHOUT_A_SHELL.test(c.name), timeoutMs: 5_000 });
    expect(results.length).toBe(sandboxContract.filter((c) => WITHOUT_A_SHELL.test(c.name)).length);
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((r) => r.status !== 'passed')).toEqual([]);
  });
});
