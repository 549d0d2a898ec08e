/**
 * Command-line options of the headless runner. `parseRunnerArgs` throws an Error whose
 * message is meant for the user (the caller prints it and exits with status 2).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from '../src/core/config';
import type { ReasoningEffort } from '../src/core/ports';
import { parseMcpSpec, type McpServerConfig } from '../src/mcp/config';
import { getPreset, PRESET_IDS, type PresetId } from '../src/model/providers';

export interface RunnerArgs {
  prompt: string;
  baseURL?: string;
  model?: string;
  apiKey?: string;
  provider?: PresetId;
  /** Absolute path of an existing directory. */
  cwd: string;
  approval: ApprovalPolicy;
  sandbox: SandboxMode;
  effort?: ReasoningEffort;
  headers: Record<string, string>;
  query: Record<string, string>;
  json: boolean;
  quiet: boolean;
  demo: boolean;
  /** Tokens; overrides the model's known window. */
  contextWindow?: number;
  /** Tokens; compact automatically from here (default 90 % of the window). */
  autoCompactLimit?: number;
  /** MCP servers (`--mcp`), with their bearer tokens; absent when none is given. */
  mcp?: McpServerConfig[];
}

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

export const USAGE = `Usage: npm run agent -- [options] "PROMPT"

Runs one agent turn on a directory and streams the transcript.
Without an API key or base URL it runs the offline demo model.

Options:
  --base-url URL        Responses API base URL (e.g. http://localhost:11434/v1; default: $OPENAI_BASE_URL)
  --model NAME          model name (default: the provider's default, or the first model the server lists)
  --api-key KEY         API key (default: $OPENAI_API_KEY)
  --provider ID         ${PRESET_IDS.join(' | ')} (default: guessed from the base URL)
  --cwd DIR             directory the agent works in (default: current directory)
  --approval POLICY     ${APPROVAL_POLICIES.join(' | ')} (default: on-request)
  --sandbox MODE        ${SANDBOX_MODES.join(' | ')} (default: workspace-write)
  --effort LEVEL        reasoning effort: ${EFFORTS.join(' | ')}
  --context-window N    context window in tokens (default: known per model, else 128000;
                        32768 for Ollama and LM Studio)
  --auto-compact-limit N
                        compact the conversation at N tokens (default: 90% of the window)
  --mcp NAME=URL        connect an MCP server (Streamable HTTP) and offer its tools as
                        mcp__NAME__TOOL (repeatable; NAME: letters, digits, _ and -)
  --mcp-token NAME=TOKEN
                        bearer token for that server (default: $UNROLL_MCP_TOKEN_<NAME>,
                        NAME upper-cased with - as _; the variable keeps it out of ps)
  --header "K: V"       extra request header (repeatable)
  --query K=V           extra query parameter (repeatable)
  --demo                use the offline demo model even when a key is set
  --json                print events as JSON lines instead of a transcript
  --quiet               print only the final message
  -h, --help            show this help

Approvals are asked on the terminal; without one (stdin not a TTY) every request is denied.
Exit status: 0 when the turn ends with an answer, 1 when it fails, 2 for bad options, 130 when interrupted.`;

/** Shown after an option error, so the user knows where the full list is. */
export const USAGE_HINT = 'Run with --help for the list of options.';

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
      'context-window': { type: 'string' },
      'auto-compact-limit': { type: 'string' },
      header: { type: 'string', multiple: true },
      mcp: { type: 'string', multiple: true },
      'mcp-token': { type: 'string', multiple: true },
      query: { type: 'string', multiple: true },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const prompt = positionals.join(' ').trim();
  if (!prompt) throw new Error('a prompt is required, e.g. npm run agent -- "Write a hello program and run it"');
  const approval = oneOf('--approval', values.approval ?? 'on-request', APPROVAL_POLICIES);
  const sandbox = oneOf('--sandbox', values.sandbox ?? 'workspace-write', SANDBOX_MODES);
  const effort = values.effort === undefined ? undefined : oneOf('--effort', values.effort, EFFORTS);
  const provider = values.provider === undefined ? undefined : oneOf('--provider', values.provider, PRESET_IDS);
  if (values.json && values.quiet) throw new Error('--json and --quiet cannot be combined');
  const contextWindow = tokenCount('--context-window', values['context-window']);
  const autoCompactLimit = tokenCount('--auto-compact-limit', values['auto-compact-limit']);
  if (contextWindow !== undefined && autoCompactLimit !== undefined && autoCompactLimit > contextWindow) {
    throw new Error(`--auto-compact-limit (${autoCompactLimit}) must not exceed --context-window (${contextWindow})`);
  }

  const mcp = mcpServers(values.mcp ?? [], values['mcp-token'] ?? [], env);

  const apiKey = nonEmpty(values['api-key']) ?? nonEmpty(env.OPENAI_API_KEY);
  const baseURL = nonEmpty(values['base-url']) ?? nonEmpty(env.OPENAI_BASE_URL);
  if (baseURL !== undefined && !/^https?:\/\/[^/]/i.test(baseURL)) {
    throw new Error(`--base-url must be an http(s) URL, got "${baseURL}"`);
  }
  const demo = values.demo ?? (apiKey === undefined && baseURL === undefined);
  // Presets without a usable default URL (Azure's holds a {resource} placeholder, custom has none).
  if (!demo && baseURL === undefined && provider !== undefined && !/^https?:\/\/[^{}]+$/.test(getPreset(provider).baseURL)) {
    throw new Error(`--provider ${provider} needs --base-url`);
  }

  return {
    prompt,
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(nonEmpty(values.model) !== undefined ? { model: nonEmpty(values.model) as string } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(provider !== undefined ? { provider } : {}),
    cwd: directory(values.cwd ?? process.cwd()),
    approval,
    sandbox,
    ...(effort !== undefined ? { effort } : {}),
    headers: headerPairs(values.header ?? []),
    query: pairs(values.query ?? [], '=', '--query'),
    json: values.json ?? false,
    quiet: values.quiet ?? false,
    demo,
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    ...(autoCompactLimit !== undefined ? { autoCompactLimit } : {}),
    ...(mcp ? { mcp } : {}),
  };
}

/** The environment variable holding the bearer token of the MCP server `name`. */
export function mcpTokenVariable(name: string): string {
  return `UNROLL_MCP_TOKEN_${name.toUpperCase().replace(/-/g, '_')}`;
}

function mcpServers(specs: string[], tokenPairs: string[], env: NodeJS.ProcessEnv): McpServerConfig[] | undefined {
  const servers = specs.map((spec) => {
    try {
      return parseMcpSpec(spec);
    } catch (err) {
      throw new Error(`--mcp: ${(err as Error).message}`);
    }
  });
  const names = new Set<string>();
  for (const { name } of servers) {
    if (names.has(name)) throw new Error(`--mcp: two servers are named "${name}"`);
    names.add(name);
  }
  const tokens = pairs(tokenPairs, '=', '--mcp-token');
  for (const name of Object.keys(tokens)) {
    if (!names.has(name)) throw new Error(`--mcp-token ${name}: no --mcp server is named "${name}"`);
  }
  if (!servers.length) return undefined;
  return servers.map((server) => {
    const token = nonEmpty(tokens[server.name]) ?? nonEmpty(env[mcpTokenVariable(server.name)]);
    return token ? { ...server, bearerToken: token } : server;
  });
}

/** A positive whole number of tokens; `1_000`-style and `128k` forms are accepted. */
function tokenCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d[\d_]*)(k?)$/i.exec(value.trim());
  const count = match ? Number((match[1] as string).replace(/_/g, '')) * (match[2] ? 1000 : 1) : NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`${flag} must be a positive number of tokens (got "${value}")`);
  return count;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The absolute path of `path`, which must be an existing directory. */
function directory(path: string): string {
  const absolute = resolve(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(absolute).isDirectory();
  } catch {
    throw new Error(`--cwd ${absolute} does not exist`);
  }
  if (!isDirectory) throw new Error(`--cwd ${absolute} is not a directory`);
  return absolute;
}

/** HTTP token characters: anything else would make every request fail inside fetch. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerPairs(list: string[]): Record<string, string> {
  const out = pairs(list, ':', '--header');
  for (const name of Object.keys(out)) {
    if (!HEADER_NAME.test(name)) throw new Error(`--header name "${name}" is not a valid HTTP header name`);
  }
  return out;
}

function pairs(list: string[], separator: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of list) {
    const cut = entry.indexOf(separator);
    const name = cut < 0 ? '' : entry.slice(0, cut).trim();
    if (!name) throw new Error(`${flag} expects "name${separator === ':' ? ': ' : separator}value", got "${entry}"`);
    out[name] = entry.slice(cut + 1).trim();
  }
  return out;
}
