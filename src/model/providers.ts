/**
 * Provider presets for the settings screen and the model client. A preset fixes where requests
 * go, how the key is sent and what the provider's `/responses` endpoint can do; the model name
 * then narrows the capabilities (see `capabilitiesFor`).
 */
import type { ModelCapabilities } from '../core/config';
import { DEFAULT_CONTEXT_WINDOW } from '../core/tokens';

export type PresetId = 'openai' | 'azure' | 'openrouter' | 'ollama' | 'lmstudio' | 'vllm' | 'llamacpp' | 'custom';

/** `bearer`: `Authorization: Bearer <key>`; `api-key`: Azure's `api-key: <key>` header. */
export type AuthStyle = 'bearer' | 'api-key';

export interface ProviderPreset {
  id: PresetId;
  label: string;
  /** Includes the `/v1` segment; Azure's holds a `{resource}` placeholder (see `azureBaseURL`). */
  baseURL: string;
  needsKey: boolean;
  authStyle: AuthStyle;
  /** What the provider supports for a model of the expected kind; `capabilitiesFor` refines it. */
  capabilities: ModelCapabilities;
  defaultModel: string;
  /** Send `store: true` (Codex does this for Azure); everyone else gets `store: false`. */
  storeResponses: boolean;
  /** One or two sentences shown next to the settings form. */
  setupHint: string;
  /**
   * The provider hosts the `web_search` tool (OpenAI, Azure, OpenRouter); a custom server may,
   * and is asked (a refusal drops it, see `refusedFeature`). Local servers do not.
   */
  webSearch: 'yes' | 'maybe' | 'no';
}

export const PRESET_IDS: readonly PresetId[] = ['openai', 'azure', 'openrouter', 'ollama', 'lmstudio', 'vllm', 'llamacpp', 'custom'];

export const PROVIDER_PRESETS: Readonly<Record<PresetId, ProviderPreset>> = {
  openai: {
    id: 'openai',
    webSearch: 'yes',
    label: 'OpenAI',
    baseURL: 'https://api.openai.com/v1',
    needsKey: true,
    authStyle: 'bearer',
    capabilities: { customTools: true, reasoning: true, compact: true },
    defaultModel: 'gpt-5.1-codex',
    storeResponses: false,
    setupHint: 'Create a key at platform.openai.com/api-keys. The key stays in this browser and is sent only to api.openai.com.',
  },
  azure: {
    id: 'azure',
    webSearch: 'yes',
    label: 'Azure OpenAI',
    baseURL: 'https://{resource}.openai.azure.com/openai/v1',
    needsKey: true,
    authStyle: 'api-key',
    // No evidence that Azure serves /responses/compact; local compaction is used instead.
    capabilities: { customTools: true, reasoning: true, compact: false },
    defaultModel: 'gpt-5.1-codex',
    storeResponses: true,
    setupHint:
      "Use the v1 endpoint of your resource (https://<resource>.openai.azure.com/openai/v1, no api-version needed) and a resource key; the model is your deployment name. Allow this origin in the resource's CORS settings if the browser blocks requests.",
  },
  openrouter: {
    id: 'openrouter',
    webSearch: 'yes',
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    needsKey: true,
    authStyle: 'bearer',
    capabilities: { customTools: false, reasoning: true, compact: false },
    defaultModel: 'openai/gpt-5.1-codex',
    storeResponses: false,
    setupHint:
      "Create a key at openrouter.ai/keys. OpenRouter's Responses API is in beta and stateless; model names carry a vendor prefix such as openai/ or anthropic/.",
  },
  ollama: {
    id: 'ollama',
    webSearch: 'no',
    label: 'Ollama (local)',
    baseURL: 'http://localhost:11434/v1',
    needsKey: false,
    authStyle: 'bearer',
    capabilities: { customTools: false, reasoning: false, compact: false },
    defaultModel: 'gpt-oss:20b',
    storeResponses: false,
    setupHint:
      'Needs Ollama 0.13.3 or newer for /v1/responses. If this page is not served from localhost, allow its origin: OLLAMA_ORIGINS=<this origin> ollama serve.',
  },
  lmstudio: {
    id: 'lmstudio',
    webSearch: 'no',
    label: 'LM Studio (local)',
    baseURL: 'http://localhost:1234/v1',
    needsKey: false,
    authStyle: 'bearer',
    capabilities: { customTools: false, reasoning: false, compact: false },
    defaultModel: 'openai/gpt-oss-20b',
    storeResponses: false,
    setupHint:
      "Needs LM Studio 0.3.29 or newer for /v1/responses. Enable CORS in the Developer tab's server settings, or start the server with: lms server start --cors.",
  },
  vllm: {
    id: 'vllm',
    webSearch: 'no',
    label: 'vLLM (local)',
    baseURL: 'http://localhost:8000/v1',
    needsKey: false,
    authStyle: 'bearer',
    capabilities: { customTools: false, reasoning: false, compact: false },
    defaultModel: 'openai/gpt-oss-20b',
    storeResponses: false,
    setupHint:
      'vllm serve <model> serves /v1/responses; the model name is the one it serves (see Fetch models, which also reads its context length). It allows any origin unless started with --allowed-origins; with --api-key, enter that key here.',
  },
  llamacpp: {
    id: 'llamacpp',
    webSearch: 'no',
    label: 'llama.cpp server (local)',
    baseURL: 'http://localhost:8080/v1',
    needsKey: false,
    authStyle: 'bearer',
    capabilities: { customTools: false, reasoning: false, compact: false },
    defaultModel: '',
    storeResponses: false,
    setupHint:
      "Recent llama-server builds serve /v1/responses (older ones answer 404). It takes only function tools, so apply_patch is sent as one. If the browser blocks requests, allow this origin with llama-server's CORS options (see llama-server --help).",
  },
  custom: {
    id: 'custom',
    webSearch: 'maybe',
    label: 'Custom (OpenAI-compatible)',
    baseURL: '',
    needsKey: false,
    authStyle: 'bearer',
    capabilities: { customTools: false, reasoning: false, compact: false },
    defaultModel: '',
    storeResponses: false,
    setupHint:
      'Any server with a streaming /responses endpoint (vLLM, a proxy, …). The base URL usually ends in /v1. The server must allow this origin (CORS).',
  },
};

export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && (PRESET_IDS as readonly string[]).includes(value);
}

/** The preset for `id`; unknown ids get the `custom` preset. */
export function getPreset(id: string | undefined): ProviderPreset {
  return isPresetId(id) ? PROVIDER_PRESETS[id] : PROVIDER_PRESETS.custom;
}

/** Azure's v1 base URL for a resource name (the `<resource>` in `<resource>.openai.azure.com`). */
export function azureBaseURL(resource: string): string {
  return PROVIDER_PRESETS.azure.baseURL.replace('{resource}', encodeURIComponent(resource.trim()));
}

/**
 * Best guess at which preset a base URL belongs to, for error hints (CORS fixes differ by
 * server). Local servers are recognised by their default ports.
 */
export function presetForBaseURL(baseURL: string): PresetId {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return 'custom';
  }
  const host = url.hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (host.endsWith('.openai.azure.com') || host.endsWith('.services.ai.azure.com')) return 'azure';
  if (host === 'openrouter.ai') return 'openrouter';
  if (url.port === '11434') return 'ollama';
  if (url.port === '1234') return 'lmstudio';
  if (url.port === '8000') return 'vllm';
  if (url.port === '8080') return 'llamacpp';
  return 'custom';
}

interface ModelTraits {
  reasoning: boolean;
  customTools: boolean;
}

/**
 * What an OpenAI model name says about the model, or undefined when the name is not one we
 * recognise. A vendor prefix (`openai/gpt-5`) is ignored.
 */
function openAIModelTraits(model: string): ModelTraits | undefined {
  const name = model
    .trim()
    .toLowerCase()
    .replace(/^openai\//, '');
  if (name.includes('codex')) return { reasoning: true, customTools: true };
  if (name.startsWith('gpt-oss')) return { reasoning: true, customTools: false };
  if (name.startsWith('gpt-5')) {
    // The chat snapshots (gpt-5-chat-latest, …) are not reasoning models.
    return name.includes('chat') ? { reasoning: false, customTools: false } : { reasoning: true, customTools: true };
  }
  if (/^o\d/.test(name)) return { reasoning: true, customTools: false };
  if (/^(gpt-4|gpt-3\.5|chatgpt-)/.test(name)) return { reasoning: false, customTools: false };
  return undefined;
}

/**
 * Input tokens an OpenAI model accepts, or undefined for names we do not recognise. For the
 * gpt-5 family this is Codex's figure, 272 000 input tokens (of a 400 000 total that also
 * holds the output).
 */
export function openAIContextWindow(model: string): number | undefined {
  const name = model
    .trim()
    .toLowerCase()
    .replace(/^openai\//, '');
  if (name.startsWith('gpt-5')) return name.includes('chat') ? 128_000 : 272_000;
  if (name.startsWith('codex-mini')) return 200_000;
  if (name.startsWith('gpt-oss')) return 131_072;
  if (name.startsWith('gpt-4.1')) return 1_047_576;
  if (/^o\d/.test(name)) return name.startsWith('o1-mini') ? 128_000 : 200_000;
  if (/^(gpt-4o|gpt-4-turbo|chatgpt-4o)/.test(name)) return 128_000;
  if (name.startsWith('gpt-3.5')) return 16_385;
  if (name.startsWith('gpt-4')) return 8_192;
  return undefined;
}

/** Servers that usually run on this machine (their model and context length are the person's). */
function isLocalPreset(id: PresetId): boolean {
  return id === 'ollama' || id === 'lmstudio' || id === 'vllm' || id === 'llamacpp';
}

/**
 * What local servers give a model unless told otherwise is far below what the model could
 * take; this is a safe middle (raise it in settings after raising the server's context length).
 */
export const LOCAL_CONTEXT_WINDOW = 32_768;

/**
 * The context window to assume for `model` on `presetId`: the server's default for local
 * servers, the model's window for known OpenAI names, `DEFAULT_CONTEXT_WINDOW` otherwise.
 */
export function contextWindowFor(presetId: string, model: string): number {
  const preset = getPreset(presetId);
  if (isLocalPreset(preset.id)) return LOCAL_CONTEXT_WINDOW;
  return openAIContextWindow(model) ?? DEFAULT_CONTEXT_WINDOW;
}

/**
 * The capabilities to use for `model` on `presetId`. OpenAI and Azure follow the model name
 * (unknown names, e.g. Azure deployment aliases, keep the preset's values). OpenRouter never
 * gets custom tools. Local servers reason only with gpt-oss models, whose reasoning effort
 * both Ollama and LM Studio accept. Custom servers stay conservative. `contextWindow` comes
 * from `contextWindowFor`.
 */
export function capabilitiesFor(presetId: string, model: string): ModelCapabilities {
  const preset = getPreset(presetId);
  const traits = openAIModelTraits(model);
  const base = { ...preset.capabilities, contextWindow: contextWindowFor(preset.id, model) };
  switch (preset.id) {
    case 'openai':
    case 'azure':
      return { ...base, ...(traits ?? {}) };
    case 'openrouter':
      return { ...base, customTools: false, reasoning: traits?.reasoning ?? base.reasoning };
    case 'ollama':
    case 'lmstudio':
    case 'vllm':
    case 'llamacpp':
      return { ...base, customTools: false, reasoning: /(^|\/)gpt-oss/i.test(model.trim()) };
    case 'custom':
      return { ...base, reasoning: traits?.reasoning ?? false, customTools: false };
  }
}
