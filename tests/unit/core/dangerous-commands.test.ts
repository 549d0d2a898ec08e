import { describe, expect, it } from 'vitest';
import {
  DANGEROUS_REASON,
  execApprovalRequirement,
  NEVER_READ_ONLY_REFUSAL,
  READ_ONLY_REASON,
  UNTRUSTED_REASON,
  type ExecApprovalInput,
} from '../../../src/core/approvals';
import type { ApprovalPolicy, SandboxMode } from '../../../src/core/config';
import { SANDBOX_MODES } from '../../../src/core/config';
import { commandMightBeDangerous } from '../../../src/core/tools/dangerous-commands';

describe('commandMightBeDangerous (Codex: is_dangerous_command.rs)', () => {
  it('rm_rf_is_dangerous', () => {
    expect(commandMightBeDangerous('rm -rf /')).toBe(true);
  });

  it('rm_f_is_dangerous', () => {
    expect(commandMightBeDangerous('rm -f /')).toBe(true);
  });

  it('every spelling of rm --force counts, before or after the names', () => {
    for (const cmd of [
      'rm -fr build',
      'rm -Rf build',
      'rm -fR build',
      'rm -r -f build',
      'rm -rfv build',
      'rm --force x',
      'rm --recursive --force x',
      'rm --forc x',
      'rm x -f',
      '/bin/rm -rf x',
    ]) {
      expect(commandMightBeDangerous(cmd), cmd).toBe(true);
    }
  });

  it('sudo, chains and bash -lc scripts are looked into', () => {
    for (const cmd of [
      'sudo rm -rf /',
      'ls && rm -rf build',
      'cd dist; rm -f *.js',
      "bash -lc 'rm -rf build'",
      'rm -rf build 2>/dev/null',
      'true\nrm -f x',
    ]) {
      expect(commandMightBeDangerous(cmd), cmd).toBe(true);
    }
  });

  it('git is not dangerous (Codex: git_reset_is_not_dangerous, git_push_force_is_not_dangerous, …)', () => {
    for (const cmd of [
      'git reset',
      "bash -lc 'git reset --hard'",
      "zsh -lc 'git reset --hard'",
      'sudo git reset --hard',
      '/usr/bin/git reset --hard',
      'git branch -D feature',
      'git push --force origin main',
      'git push origin :feature',
      'git clean -fdx',
      'git status',
    ]) {
      expect(commandMightBeDangerous(cmd), cmd).toBe(false);
    }
  });

  it('rm without force, a quoted or escaped -f operand, and lines that are not plain commands are not', () => {
    for (const cmd of ['rm x', 'rm -r build', 'rm -i x', 'rm -- -f', 'echo rm -rf /', 'grep -f pats rm', 'rm -rf "$DIR"', 'ls', 'rmdir -f x']) {
      expect(commandMightBeDangerous(cmd), cmd).toBe(false);
    }
  });
});

function requirement(cmd: string, approvalPolicy: ApprovalPolicy, sandboxMode: SandboxMode, extra: Partial<ExecApprovalInput> = {}) {
  return execApprovalRequirement({ cmd, approvalPolicy, sandboxMode, sandboxPermissions: 'use_default', ...extra });
}

describe('execApprovalRequirement (Codex: render_decision_for_unmatched_command)', () => {
  it('a dangerous command asks under on-request and untrusted in every sandbox mode', () => {
    for (const mode of SANDBOX_MODES) {
      for (const policy of ['on-request', 'untrusted'] as const) {
        expect(requirement('rm -rf build', policy, mode), `${policy} ${mode}`).toEqual({ kind: 'needs_approval', reason: DANGEROUS_REASON });
      }
    }
  });

  it('a dangerous command is refused under never in every sandbox mode, in Codex words', () => {
    for (const mode of SANDBOX_MODES) {
      expect(requirement('rm -rf build', 'never', mode), mode).toEqual({ kind: 'forbidden', reason: '`rm -rf build` rejected: blocked by policy' });
    }
    expect(requirement('rm -f a', 'never', 'workspace-write', { sandboxPermissions: 'require_escalated', justification: 'x' })).toEqual({
      kind: 'forbidden',
      reason: '`rm -f a` rejected: blocked by policy',
    });
  });

  it('an escalation request keeps its justification as the reason', () => {
    expect(
      requirement('rm -rf build', 'on-request', 'workspace-write', { sandboxPermissions: 'require_escalated', justification: ' clean up ' }),
    ).toEqual({
      kind: 'needs_approval',
      reason: 'clean up',
    });
  });

  it('everything else is decided as before', () => {
    expect(requirement('touch a', 'on-request', 'workspace-write')).toEqual({ kind: 'skip' });
    expect(requirement('rm a', 'on-request', 'danger-full-access')).toEqual({ kind: 'skip' });
    expect(requirement('touch a', 'on-request', 'read-only')).toEqual({ kind: 'needs_approval', reason: READ_ONLY_REASON });
    expect(requirement('ls', 'on-request', 'read-only')).toEqual({ kind: 'skip' });
    expect(requirement('ls', 'untrusted', 'workspace-write')).toEqual({ kind: 'skip' });
    expect(requirement('rm a', 'untrusted', 'workspace-write')).toEqual({ kind: 'needs_approval', reason: UNTRUSTED_REASON });
    expect(requirement('rm a', 'never', 'workspace-write')).toEqual({ kind: 'skip' });
    expect(requirement('rm a', 'never', 'read-only')).toEqual({ kind: 'forbidden', reason: NEVER_READ_ONLY_REFUSAL });
    expect(requirement('cat a', 'never', 'read-only')).toEqual({ kind: 'skip' });
  });
});
