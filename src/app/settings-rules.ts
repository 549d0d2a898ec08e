/**
 * The rules behind the settings, as plain functions: which model answers, what is valid, how
 * saved data is read back. No runes, no storage, so the model factory and tests use them as is.
 */
import { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from '../core/config';
import type { ReasoningEffort } from '../core/ports';
import { DEMO_CAPABILITIES, DEMO_MODEL_ID } from '../model/demo';
import { getPreset, isPresetId, PRESET_IDS, PROVIDER_PRESETS, type PresetId } from '../model/providers';

export const SETTINGS_STORAGE_KEY = 'unroll.settings.v1';
export const API_KEY_STORAGE_KEY = 'unroll.apiKey';
export const REASONING_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
/** The providers to offer, in display order. */
export const PROVIDER_CHOICES: readonly { id: PresetId; label: string }[] = PRESET_IDS.map((id) => ({
  id,
  label: PROVIDER_PRESETS[id].label,
}));

export { DEMO_CAPABILITIES, DEMO_MODEL_ID };

/** What `createModel` needs. Carries the API key: never log, store or serialise it. */
export interface ModelSettings {
  preset: PresetId;
  baseURL: string;
  apiKey: string;
  model: string;
  headers: NameValue[];
  query: NameValue[];
}

/** What is saved under `unroll.settings.v1` (and what `toJSON` returns): no key. */
export interface PersistedSettings {
  preset: PresetId;
  baseURL: string;
  model: string;
  reasoningEffort: ReasoningEffort;
  approvalPolicy: ApprovalPolicy;
  sandboxMode: SandboxMode;
  headers: NameValue[];
  query: NameValue[];
  developerInstructions: string;
  keyInTabOnly: boolean;
  /** Overrides the model's known context window (tokens); null: the known one. */
  contextWindow: number | null;
  /** Compact once the next request would reach this many tokens; null: 90 % of the window. */
  autoCompactLimit: number | null;
  /** The share service for links too large for the URL ('' for the build's default, or none). */
  shareServiceUrl: string;
}

/**
 * The offline demo answers when there is no key and either no base URL or a provider that
 * cannot work without one. A keyless provider (Ollama, LM Studio, custom) with a base URL is a
 * real endpoint.
 */
export function usesDemo(settings: Pick<ModelSettings, 'preset' | 'baseURL' | 'apiKey'>): boolean {
  return !settings.apiKey.trim() && (!settings.baseURL.trim() || getPreset(settings.preset).needsKey);
}

/** The base URL requests go to: the one typed, else the preset's. */
export function effectiveBaseURL(settings: Pick<ModelSettings, 'preset' | 'baseURL'>): string {
  return settings.baseURL.trim() || getPreset(settings.preset).baseURL;
}

/** '' when `baseURL` (after falling back to the preset's) can be used; otherwise why not. */
export function baseURLError(settings: Pick<ModelSettings, 'preset' | 'baseURL' | 'apiKey'>): string {
  const url = effectiveBaseURL(settings);
  if (!url) return usesDemo(settings) ? '' : 'Enter the base URL of the server, e.g. http://localhost:8000/v1.';
  if (url.includes('{resource}')) return 'Replace {resource} with the name of your Azure OpenAI resource.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The base URL must be a full address starting with http:// or https://.';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'The base URL must start with http:// or https://.';
  return '';
}

export const DEFAULT_SETTINGS: Readonly<PersistedSettings> = {
  preset: 'openai',
  baseURL: PROVIDER_PRESETS.openai.baseURL,
  model: PROVIDER_PRESETS.openai.defaultModel,
  reasoningEffort: 'medium',
  approvalPolicy: 'on-request',
  sandboxMode: 'workspace-write',
  headers: [],
  query: [],
  developerInstructions: '',
  keyInTabOnly: false,
  contextWindow: null,
  autoCompactLimit: null,
  shareServiceUrl: '',
};

/** Saved settings read back field by field: unknown or malformed values get the default. */
export function readPersisted(saved: Record<string, unknown>): PersistedSettings {
  const text = (key: string, fallback: string) => (typeof saved[key] === 'string' ? saved[key] : fallback);
  const d = DEFAULT_SETTINGS;
  return {
    preset: isPresetId(saved.preset) ? saved.preset : d.preset,
    baseURL: text('baseURL', d.baseURL),
    model: text('model', d.model),
    reasoningEffort: oneOf(saved.reasoningEffort, REASONING_EFFORTS, d.reasoningEffort),
    approvalPolicy: oneOf(saved.approvalPolicy, APPROVAL_POLICIES, d.approvalPolicy),
    sandboxMode: oneOf(saved.sandboxMode, SANDBOX_MODES, d.sandboxMode),
    headers: readRows(saved.headers),
    query: readRows(saved.query),
    developerInstructions: text('developerInstructions', d.developerInstructions),
    keyInTabOnly: saved.keyInTabOnly === true,
    contextWindow: tokenCount(saved.contextWindow),
    autoCompactLimit: tokenCount(saved.autoCompactLimit),
    shareServiceUrl: text('shareServiceUrl', d.shareServiceUrl),
  };
}

/** A positive whole number of tokens, or null for anything else (blank means "the default"). */
export function tokenCount(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * The base URL a preset brings when it is chosen. While the demo answers, a keyless provider
 * (Ollama, LM Studio) brings none: its default address would make it the model that answers,
 * and merely looking through the list must not end the demo. Its address is the field's
 * placeholder until the user enters it.
 */
export function presetBaseURL(next: PresetId, demo: boolean): string {
  const preset = getPreset(next);
  return demo && !preset.needsKey ? '' : preset.baseURL;
}

/**
 * '' when compaction can start at `limit` in a window of `window` tokens; otherwise why not. A
 * limit at or above the window could never be reached before the request no longer fits.
 */
export function compactLimitError(limit: number | null, window: number): string {
  if (limit === null || limit < window) return '';
  return (
    `"Compact at" (${formatTokens(limit)}) must be below the context window (${formatTokens(window)} tokens). ` +
    `Until it is, it is not saved and compaction starts at 90 % of the window.`
  );
}

/** "12,345": thousands separated the same way whatever the locale. */
function formatTokens(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** True when `value` is blank or some preset's own base URL (so not typed by the user). */
export function isPresetBaseURL(value: string): boolean {
  const trimmed = value.trim().replace(/\/+$/, '');
  return !trimmed || PRESET_IDS.some((id) => PROVIDER_PRESETS[id].baseURL === trimmed);
}

/**
 * True when `value` is blank, some preset's default or the demo model: a name the user did not
 * choose for the current provider, which a provider switch replaces with the new default.
 */
export function isPresetModel(value: string): boolean {
  const trimmed = value.trim();
  return !trimmed || trimmed === DEMO_MODEL_ID || PRESET_IDS.some((id) => PROVIDER_PRESETS[id].defaultModel === trimmed);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function readRows(value: unknown): NameValue[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
    .map((row) => ({ name: String(row.name ?? ''), value: String(row.value ?? '') }));
}

// ------------------------------------------------------------- extra headers and query rows

export interface NameValue {
  name: string;
  value: string;
}

export type RowList = 'headers' | 'query';

/** RFC 9110 `token`: what `fetch` accepts as a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Headers a page may not set; `fetch` drops them silently, so say so instead. */
const FORBIDDEN_HEADERS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** A row with neither name nor value is a blank line the user has not filled in yet. */
function isBlankRow(row: NameValue): boolean {
  return !row.name.trim() && !row.value.trim();
}

/** '' or why the header's name cannot be sent. */
export function headerNameError(row: NameValue): string {
  if (isBlankRow(row)) return '';
  const name = row.name.trim();
  if (!name) return 'Give the header a name.';
  if (!TOKEN.test(name)) return `"${name}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only, no spaces).`;
  const lower = name.toLowerCase();
  if (FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-')) {
    return `Browsers do not let a page set the ${name} header.`;
  }
  return '';
}

/** '' or why the header's value cannot be sent. */
export function headerValueError(row: NameValue): string {
  return /[\r\n\0]/.test(row.value) ? 'Header values cannot contain line breaks.' : '';
}

/** '' or why the query parameter cannot be sent. */
export function queryNameError(row: NameValue): string {
  return !isBlankRow(row) && !row.name.trim() ? 'Give the parameter a name.' : '';
}

/** The filled-in rows as a record (names trimmed; a later row wins over an earlier one). */
export function rowsToRecord(rows: readonly NameValue[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (name) record[name] = row.value;
  }
  return record;
}
