/** Command-line options of the headless runner. */
import { parseArgs } from 'node:util';
import { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from '../src/core/config';
import type { ReasoningEffort } from '../src/core/ports';
import { isPresetId, type PresetId } from '../src/model/providers';

export interface RunnerArgs {
  prompt: string;
  baseURL?: string;
  model?: string;
  apiKey?: string;
  provider?: PresetId;
  cwd: string;
  approval: ApprovalPolicy;
  sandbox: SandboxMode;
  effort?: ReasoningEffort;
  headers: Record<string, string>;
  query: Record<string, string>;
  json: boolean;
  quiet: boolean;
  demo: boolean;
}

export const USAGE = `Usage: npm run agent -- [options] "PROMPT"

Runs one agent turn on a directory and streams the transcript.
Without an API key or base URL it runs the offline demo model.

Options:
  --base-url URL        Responses API base URL (e.g. http://localhost:11434/v1)
  --model NAME          model name
  --api-key KEY         API key (default: $OPENAI_API_KEY)
  --provider ID         openai | azure | openrouter | ollama | lmstudio | custom
  --cwd DIR             directory the agent works in (default: current directory)
  --approval POLICY     never | on-request | untrusted (default: on-request)
  --sandbox MODE        read-only | workspace-write | danger-full-access (default: workspace-write)
  --effort LEVEL        reasoning effort: minimal | low | medium | high
  --header "K: V"       extra request header (repeatable)
  --query K=V           extra query parameter (repeatable)
  --demo                use the offline demo model even when a key is set
  --json                print events as JSON lines instead of a transcript
  --quiet               print only the final message
  -h, --help            show this help`;

export function parseRunnerArgs(argv: string[], env: NodeJS.ProcessEnv): RunnerArgs | { help: true } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'base-url': { type: 'string' },
      model: { type: 'string' },
      'api-key': { type: 'string' },
      provider: { type: 'string' },
      cwd: { type: 'string' },
      approval: { type: 'string' },
      sandbox: { type: 'string' },
      effort: { type: 'string' },
      header: { type: 'string', multiple: true },
      query: { type: 'string', multiple: true },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const prompt = positionals.join(' ').trim();
  if (!prompt) throw new Error('a prompt is required (see --help)');
  const approval = (values.approval ?? 'on-request') as ApprovalPolicy;
  if (!APPROVAL_POLICIES.includes(approval)) throw new Error(`--approval must be one of ${APPROVAL_POLICIES.join(', ')}`);
  const sandbox = (values.sandbox ?? 'workspace-write') as SandboxMode;
  if (!SANDBOX_MODES.includes(sandbox)) throw new Error(`--sandbox must be one of ${SANDBOX_MODES.join(', ')}`);
  if (values.provider !== undefined && !isPresetId(values.provider)) throw new Error(`unknown --provider ${values.provider}`);
  const effort = values.effort as ReasoningEffort | undefined;
  if (effort && !['none', 'minimal', 'low', 'medium', 'high', 'xhigh'].includes(effort)) throw new Error(`unknown --effort ${effort}`);

  const apiKey = values['api-key'] ?? env.OPENAI_API_KEY;
  const baseURL = values['base-url'] ?? env.OPENAI_BASE_URL;
  return {
    prompt,
    ...(baseURL ? { baseURL } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(values.provider ? { provider: values.provider as PresetId } : {}),
    cwd: values.cwd ?? process.cwd(),
    approval,
    sandbox,
    ...(effort ? { effort } : {}),
    headers: pairs(values.header ?? [], ':', '--header'),
    query: pairs(values.query ?? [], '=', '--query'),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    demo: values.demo ?? (!apiKey && !baseURL),
  };
}

function pairs(list: string[], separator: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list) {
    const cut = entry.indexOf(separator);
    if (cut <= 0) throw new Error(`${flag} expects "name${separator}value", got "${entry}"`);
    out[entry.slice(0, cut).trim()] = entry.slice(cut + 1).trim();
  }
  return out;
}
