/** The sandbox contract against the embedded backend, one fresh sandbox per case. */
import { describe, expect, it } from 'vitest';
import { createEmbeddedSandbox, EMBEDDED_CAPABILITIES } from '../../../src/sandbox/embedded';
import { prepare, runContract, sandboxContract, skipReason } from '../../contract/sandbox-contract';

describe('sandbox contract: embedded', () => {
  for (const contractCase of sandboxContract) {
    const reason = skipReason(contractCase, EMBEDDED_CAPABILITIES);
    if (reason) {
      console.log(`[contract] embedded: skipped "${contractCase.name}" — ${reason}`);
      it.skip(`${contractCase.name} (skipped: ${reason})`, () => {});
      continue;
    }
    it(contractCase.name, async () => {
      const sb = createEmbeddedSandbox();
      try {
        await contractCase.run(await prepare(sb));
      } finally {
        await sb.dispose();
      }
    });
  }

  it('runContract reports every case, skipped ones with their reason', async () => {
    const results = await runContract(() => createEmbeddedSandbox(), {
      filter: (c) => c.requires !== undefined || c.name.startsWith('exec: exit codes'),
      release: (sb) => sb.dispose(),
    });
    const summary = results.map((r) => [r.name, r.status, r.status === 'skipped' ? r.error : undefined]);
    const expected = sandboxContract
      .filter((c) => c.requires !== undefined || c.name.startsWith('exec: exit codes'))
      .map((c) => [c.name, c.requires ? 'skipped' : 'passed', c.requires ? skipReason(c, EMBEDDED_CAPABILITIES) : undefined]);
    expect(summary).toEqual(expected);
    expect(expected.some(([, status]) => status === 'skipped')).toBe(true);
  });
});
