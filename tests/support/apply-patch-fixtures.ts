/** Patches and apply_patch calls for the apply_patch tests, on a workspace at /workspace. */
import { expect } from 'vitest';
import type { ApprovalPolicy, SandboxMode } from '../../src/core/config';
import type { ApprovalDecision } from '../../src/core/events';
import type { SandboxFs } from '../../src/core/ports';
import { applyPatch } from '../../src/core/tools/apply-patch/apply';
import { PatchError, parsePatch } from '../../src/core/tools/apply-patch/parse';
import { makeContext } from './fake-process';

export const ROOT = '/workspace';

export const lines = (...l: string[]) => l.join('\n');
/** A patch of `body` lines, between `*** Begin Patch` and `*** End Patch`. */
export const wrap = (...body: string[]) => lines('*** Begin Patch', ...body, '*** End Patch');

export async function apply(fs: SandboxFs, text: string, cwd = ROOT) {
  return applyPatch(parsePatch(text), fs, { cwd, root: ROOT });
}

/** Applies `text`, which must fail with a PatchError; returns it. */
export async function applyError(fs: SandboxFs, text: string, cwd = ROOT): Promise<PatchError> {
  try {
    await apply(fs, text, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchError);
    return err as PatchError;
  }
  throw new Error('expected the patch to fail');
}

/**
 * The context of an apply_patch call over `fs`, in a sandbox that runs no commands: policy
 * on-request and a writable workspace unless told; every approval asked is answered with
 * `decision` (approve by default) and kept in `approvals`.
 */
export function patchToolContext(fs: SandboxFs, options: { policy?: ApprovalPolicy; mode?: SandboxMode; decision?: ApprovalDecision } = {}) {
  const sandbox = {
    fs,
    exec: {
      spawn: () => {
        throw new Error('not used');
      },
    },
    describe: () => ({ kind: 'node' as const, shell: 'bash', root: ROOT, notes: '' }),
  };
  return makeContext({
    sandbox,
    approvalPolicy: options.policy ?? 'on-request',
    sandboxMode: options.mode ?? 'workspace-write',
    decide: () => options.decision ?? 'approve',
  });
}
