/** /model and /approvals: show a setting, or change it; each returns what to tell the user. */
import { APPROVAL_POLICIES, type ApprovalPolicy } from '../core/config';
import type { Settings } from './settings.svelte';

export function modelCommand(settings: Settings, args: string): string {
  if (!args) {
    const known = settings.models.length ? ` Known models: ${settings.models.slice(0, 20).join(', ')}.` : '';
    const demo = settings.usingDemo ? ' (the offline demo: add an API key in Settings to use a real model)' : '';
    return `Model: ${settings.effectiveModel}${demo}. Type /model <name> to switch.${known}`;
  }
  if (settings.usingDemo) return 'The offline demo model is in use. Add a base URL or API key in Settings first, then choose a model.';
  settings.model = args;
  return `Model set to ${settings.effectiveModel}. The conversation continues with it.`;
}

export function approvalsCommand(settings: Settings, args: string): string {
  if (!args) {
    return (
      `Approvals: ${settings.approvalPolicy} (sandbox: ${settings.sandboxMode}). untrusted asks before anything but known-safe ` +
      'commands; on-request asks when the agent wants more than the sandbox allows; never asks, and refuses what the sandbox forbids.'
    );
  }
  const policy = args.toLowerCase() as ApprovalPolicy;
  if (!APPROVAL_POLICIES.includes(policy)) return `Unknown approval policy "${args}". Choose one of: ${APPROVAL_POLICIES.join(', ')}.`;
  settings.approvalPolicy = policy;
  return `Approvals set to ${policy}. The agent is told before its next request.`;
}
