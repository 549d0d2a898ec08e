/** The `<permissions instructions>` section: sandbox mode, approval policy, sandbox facts. */
import type { ApprovalPolicy, SandboxMode } from '../config';
import type { SandboxDescription } from '../ports';

export const PERMISSIONS_OPEN = '<permissions instructions>';
export const PERMISSIONS_CLOSE = '</permissions instructions>';

const MODE_TEXT: Record<SandboxMode, string> = {
  'read-only':
    'The sandbox is read-only: you may read files and run commands that only inspect, but writing files needs the person\'s approval.',
  'workspace-write':
    'You may read and write files anywhere in the workspace and run commands there. Paths outside the workspace are refused.',
  'danger-full-access':
    'You have full access: files anywhere in the sandbox and the network, where the sandbox offers it.',
};

const POLICY_TEXT: Record<ApprovalPolicy, string> = {
  untrusted:
    'Only known read-only commands (ls, cat, grep, rg, find, git status, …) run without asking; every other command and every patch waits for the person to approve it.',
  'on-request':
    'Commands and patches run without asking. When a command needs more than the sandbox mode allows, set `sandbox_permissions` to `require_escalated` with a one-sentence `justification`, and the person will be asked.',
  never:
    'The person is never asked. Anything the sandbox mode does not allow is refused; work around it rather than asking.',
};

/** Parseable headline lines; `readRecordedPermissions` depends on their shape. */
export function permissionsText(mode: SandboxMode, policy: ApprovalPolicy, sandbox: SandboxDescription): string {
  return [
    PERMISSIONS_OPEN,
    `Sandbox mode: \`${mode}\`. ${MODE_TEXT[mode]}`,
    `Approval policy: \`${policy}\`. ${POLICY_TEXT[policy]}`,
    `Sandbox: ${sandbox.notes}`,
    PERMISSIONS_CLOSE,
  ].join('\n');
}

/** The mode and policy stated in a permissions text, or null if it is not one. */
export function readPermissions(text: string): { mode: SandboxMode; policy: ApprovalPolicy } | null {
  if (!text.startsWith(PERMISSIONS_OPEN)) return null;
  const mode = /^Sandbox mode: `([a-z-]+)`/m.exec(text)?.[1];
  const policy = /^Approval policy: `([a-z-]+)`/m.exec(text)?.[1];
  if (!mode || !policy) return null;
  return { mode: mode as SandboxMode, policy: policy as ApprovalPolicy };
}
