/** Checks for the known-safe command list (commands run without asking under "untrusted"). */
import { expect } from 'vitest';
import { isKnownSafe } from '../../src/core/tools/safe-commands';

/** Every command in `cmds` is (or is not) known safe; the failing one is named. */
export function expectSafe(cmds: string[], safe: boolean): void {
  for (const cmd of cmds) expect(isKnownSafe(cmd), cmd).toBe(safe);
}
