/** Per-session settings the engine reads. Changing them mid-session appends messages. */
import type { ReasoningEffort, UnsupportedFeature } from './ports';

export type ApprovalPolicy = 'untrusted' | 'on-request' | 'never';
export type SandboxMode = 'read-only' | 'workspace-write' | 'danger-full-access';

export const APPROVAL_POLICIES: readonly ApprovalPolicy[] = ['untrusted', 'on-request', 'never'];
export const SANDBOX_MODES: readonly SandboxMode[] = ['read-only', 'workspace-write', 'danger-full-access'];

export interface ModelCapabilities {
  /** Freeform custom tools (`type:"custom"`); otherwise apply_patch is a function tool. */
  customTools: boolean;
  /** Reasoning models: send `reasoning` and include encrypted reasoning content. */
  reasoning: boolean;
  /** `POST /responses/compact` exists. */
  compact: boolean;
  /** Input tokens the model accepts (see `capabilitiesFor`); absent: `DEFAULT_CONTEXT_WINDOW`. */
  contextWindow?: number;
  /** The server hosts `web_search` and the person turned it on: the hosted tool is listed. */
  webSearch?: boolean;
}

/** `capabilities` without `feature` (a server refused it); undefined when it was already off. */
export function withoutFeature(capabilities: ModelCapabilities, feature: UnsupportedFeature): ModelCapabilities | undefined {
  const key = feature === 'custom_tools' ? 'customTools' : feature === 'web_search' ? 'webSearch' : 'reasoning';
  return capabilities[key] ? { ...capabilities, [key]: false } : undefined;
}

export interface SessionConfig {
  model: string;
  capabilities: ModelCapabilities;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  /** Absolute path inside the sandbox. */
  cwd: string;
  reasoningEffort?: ReasoningEffort;
  reasoningSummary?: 'auto' | 'concise' | 'detailed';
  developerInstructions?: string;
  parallelToolCalls: boolean;
  /** IANA zone for <environment_context>. */
  timezone: string;
  /** Overrides `capabilities.contextWindow` (tokens). */
  contextWindow?: number;
  /**
   * Compact automatically once the estimated prompt reaches this many tokens. Default: 90 %
   * of the context window; capped at the window.
   */
  autoCompactLimit?: number;
}

export function defaultConfig(overrides: Partial<SessionConfig> = {}): SessionConfig {
  return {
    model: 'gpt-5.1-codex',
    capabilities: { customTools: true, reasoning: true, compact: true },
    approvalPolicy: 'on-request',
    sandboxMode: 'workspace-write',
    cwd: '/workspace',
    reasoningEffort: 'medium',
    reasoningSummary: 'auto',
    parallelToolCalls: true,
    timezone: safeTimezone(),
    ...overrides,
  };
}

function safeTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
