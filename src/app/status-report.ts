/** The rows /status shows: what the agent runs on and what the conversation has cost. */
import type { TurnUsage } from '../core/events';
import type { TokenStatus } from '../core/tokens';
import type { Sandbox } from '../sandbox/sandbox';
import type { Settings } from './settings.svelte';

export interface StatusSource {
  settings: Settings;
  sandbox: Sandbox;
  sessionId: string;
  usage: TurnUsage;
  tokens?: TokenStatus | null;
}

export function statusRows({ settings, sandbox, sessionId, usage, tokens }: StatusSource): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['Model', settings.usingDemo ? `${settings.effectiveModel} (offline demo)` : settings.effectiveModel]);
  // The endpoint is shown, the key never is: only whether one is set.
  if (!settings.usingDemo)
    rows.push([
      'Endpoint',
      `${settings.baseURL || settings.presetInfo.baseURL} (${settings.presetInfo.label}, key ${settings.apiKey ? 'set' : 'not set'})`,
    ]);
  rows.push(['Reasoning effort', settings.reasoningEffort]);
  rows.push(['Approvals', `${settings.approvalPolicy} · sandbox ${settings.sandboxMode}`]);
  rows.push(['Sandbox', `${sandbox.kind === 'webcontainer' ? 'WebContainer (Node and npm)' : 'embedded (just-bash)'} · ${sandbox.describe().root}`]);
  rows.push(['Session', sessionId]);
  rows.push(['Requests', String(usage.requests)]);
  rows.push(['Tokens', formatUsage(usage)]);
  rows.push(['Cache hits', cacheHits(usage)]);
  if (tokens) rows.push(['Context', contextLine(tokens)]);
  return rows;
}

export function formatUsage(usage: TurnUsage): string {
  const parts = [`${fmt(usage.input_tokens)} input (${fmt(usage.cached_tokens)} cached)`, `${fmt(usage.output_tokens)} output`];
  if (usage.reasoning_tokens) parts.push(`${fmt(usage.reasoning_tokens)} reasoning`);
  return parts.join(' · ');
}

function cacheHits(usage: TurnUsage): string {
  if (!usage.input_tokens) return 'no requests yet';
  const share = (100 * usage.cached_tokens) / usage.input_tokens;
  return `${share.toFixed(share >= 99.5 || share < 0.5 ? 0 : 1)} % of input tokens were served from the prompt cache`;
}

/** "12 300 of 272 000 tokens (5 %); compacts at 244 800" */
function contextLine(tokens: TokenStatus): string {
  const share = tokens.window ? Math.round((100 * tokens.used) / tokens.window) : 0;
  return `${fmt(tokens.used)} of ${fmt(tokens.window)} tokens (${share} %); compacts at ${fmt(tokens.auto_compact_at)}`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
