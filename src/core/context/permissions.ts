/**
 * The `<permissions instructions>` section: sandbox mode, approval policy, sandbox facts.
 * The texts describe what exec_command and apply_patch actually enforce (see their
 * approval checks); keep them in step when that changes.
 */
import { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from '../config';
import type { SandboxDescription } from '../ports';

export const PERMISSIONS_OPEN = '<permissions instructions>';
export const PERMISSIONS_CLOSE = '</permissions instructions>';

// What the mode allows on its own; what happens beyond that is the policy's sentence.
const MODE_TEXT: Record<SandboxMode, string> = {
  'read-only':
    'You may read files and run commands that only inspect (ls, cat, grep, rg, find, git status/diff/log, …). ' +
    'Commands that may change files, and every patch, go beyond this mode.',
  'workspace-write': 'You may read and change files in the workspace and run commands there.',
  'danger-full-access': 'Commands may do anything the environment itself allows.',
};

const POLICY_TEXT: Record<ApprovalPolicy, string> = {
  untrusted: 'Only known read-only commands run without asking; every other command and every patch waits for the person to approve it.',
  'on-request':
    'What the sandbox mode allows runs without asking; commands and patches beyond it are sent to the person for approval first. ' +
    'When a command needs more than the mode allows, set its `sandbox_permissions` to `require_escalated` with a one-sentence `justification`, and the person will be asked.',
  never: 'The person is never asked: anything the sandbox mode does not allow is refused. Work around it instead of asking.',
};

/** Where MCP tools stand (Codex says so too): the mode binds only the shell and patches. */
const MCP_TEXT = 'Tools named `mcp__…` run on their MCP servers, outside this sandbox and its mode.';

/**
 * The section text. Its two headline lines ("Sandbox mode: `…`." and "Approval policy:
 * `…`.") are what `readPermissions` parses back, so their shape is a contract.
 */
export function permissionsText(mode: SandboxMode, policy: ApprovalPolicy, sandbox: SandboxDescription): string {
  return [
    PERMISSIONS_OPEN,
    `Sandbox mode: \`${mode}\`. ${MODE_TEXT[mode]}`,
    `Approval policy: \`${policy}\`. ${POLICY_TEXT[policy]}`,
    MCP_TEXT,
    sandboxStatement(sandbox),
    PERMISSIONS_CLOSE,
  ].join('\n');
}

/** The mode and policy stated in a permissions text, or null if it is not one (or names unknown values). */
export function readPermissions(text: string): { mode: SandboxMode; policy: ApprovalPolicy } | null {
  if (!text.startsWith(PERMISSIONS_OPEN)) return null;
  const mode = SANDBOX_MODES.find((m) => m === /^Sandbox mode: `([^`\n]*)`/m.exec(text)?.[1]);
  const policy = APPROVAL_POLICIES.find((p) => p === /^Approval policy: `([^`\n]*)`/m.exec(text)?.[1]);
  if (mode === undefined || policy === undefined) return null;
  return { mode, policy };
}

/** The section's lines about the sandbox itself: where the workspace is and what the sandbox has. */
export function sandboxStatement(sandbox: SandboxDescription): string {
  return [`Workspace: \`${sandbox.root}\`. Command working directories and patch paths must stay inside it.`, `Sandbox: ${sandbox.notes}`].join('\n');
}

/**
 * The sandbox lines of a permissions text (see `sandboxStatement`), or null if it has none:
 * when they differ from the sandbox's own, the session moved to another sandbox.
 */
export function readSandboxStatement(text: string): string | null {
  if (!text.startsWith(PERMISSIONS_OPEN)) return null;
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Workspace: `'));
  const end = lines.findIndex((line, i) => i > start && line === PERMISSIONS_CLOSE);
  return start < 0 || end < 0 ? null : lines.slice(start, end).join('\n');
}
