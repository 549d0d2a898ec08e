/**
 * The settings a person chooses: where the model lives, how the agent may act, and extras.
 * Every change is saved at once. Everything except the API key goes to localStorage under
 * `unroll.settings.v1`; the key has its own slot (`unroll.apiKey`) in localStorage, or in
 * sessionStorage when it is kept for this tab only. The key never leaves that slot: `toJSON`
 * omits it, and only `snapshot()` (for `createModel`) carries it.
 */
import type { ApprovalPolicy, ModelCapabilities, SandboxMode, SessionConfig } from '../core/config';
import type { ReasoningEffort, UnsupportedFeature } from '../core/ports';
import { DEFAULT_CONTEXT_WINDOW } from '../core/tokens';
import { isLocalTarget } from '../model/local-address';
import { capabilitiesFor, getPreset, type PresetId, type ProviderPreset } from '../model/providers';
import { EndpointAdaptations } from './endpoint-adaptations.svelte';
import { browserStorage, SafeStorage, type StorageLike } from './safe-storage';
import {
  API_KEY_STORAGE_KEY,
  baseURLError,
  compactLimitError,
  DEFAULT_SETTINGS as DEFAULTS,
  DEMO_CAPABILITIES,
  DEMO_MODEL_ID,
  effectiveBaseURL,
  headerNameError,
  headerValueError,
  isPresetBaseURL,
  isPresetModel,
  presetBaseURL,
  queryNameError,
  readPersisted,
  SETTINGS_STORAGE_KEY,
  tokenCount,
  usesDemo,
  type ModelSettings,
  type NameValue,
  type PersistedSettings,
  type RowList,
} from './settings-rules';

// What components need comes from here, so `ui/` imports nothing below `app/`.
export * from './settings-rules';
export { APPROVAL_POLICIES, SANDBOX_MODES, type ApprovalPolicy, type SandboxMode } from '../core/config';
export type { PresetId } from '../model/providers';

export interface SettingsOptions {
  /** Defaults to the page's localStorage; null means none (memory only). */
  local?: StorageLike | null;
  /** Defaults to the page's sessionStorage; null means none (memory only). */
  session?: StorageLike | null;
}

/** A share service the build points at (VITE_SHARE_SERVICE_URL), for people who set none. */
export const BUILD_SHARE_SERVICE: string = (import.meta.env?.VITE_SHARE_SERVICE_URL as string | undefined) ?? '';

/** The settings held one value each (the rows of headers and query are kept apart), and the key. */
type Values = Omit<PersistedSettings, 'headers' | 'query'> & { apiKey: string };

/** What writing a field does besides saving everything. */
interface FieldRule<T> {
  /** What a written value becomes. */
  clean?: (value: T) => T;
  /** It changes the model connection: models fetched for the old one no longer apply. */
  connection?: true;
}

/**
 * The fields that are plain properties of `Settings`: read as kept; a write is cleaned, then
 * everything is saved at once (`#persist`, which also moves the key when `keyInTabOnly` changes).
 */
const FIELDS: { [K in Exclude<keyof Values, 'preset'>]: FieldRule<Values[K]> } = {
  baseURL: { connection: true },
  apiKey: { connection: true },
  keyInTabOnly: {},
  model: {},
  reasoningEffort: {},
  approvalPolicy: {},
  sandboxMode: {},
  developerInstructions: {},
  shareServiceUrl: { clean: (value) => value.trim() },
  contextWindow: { clean: tokenCount },
  autoCompactLimit: { clean: tokenCount },
};

export class Settings {
  // Read by the derived fields below, so declared first; the constructor gives it its storage.
  #adaptations = new EndpointAdaptations(null);
  #values = $state<Values>({ ...scalars(DEFAULTS), apiKey: '' });
  #headers = $state.raw<NameValue[]>([]);
  #query = $state.raw<NameValue[]>([]);

  // The fields of FIELDS, as accessors made below.
  declare baseURL: string;
  /** Kept in its own storage slot, never in `toJSON`; `snapshot()` alone carries it. */
  declare apiKey: string;
  /** Keeps the key in sessionStorage (this tab only) instead of localStorage. */
  declare keyInTabOnly: boolean;
  declare model: string;
  declare reasoningEffort: ReasoningEffort;
  declare approvalPolicy: ApprovalPolicy;
  declare sandboxMode: SandboxMode;
  declare developerInstructions: string;
  /** The share service set here ('' falls back to the build's default, BUILD_SHARE_SERVICE). */
  declare shareServiceUrl: string;
  /** The context window override; null for the model's known window. */
  declare contextWindow: number | null;
  /** Where compaction starts, as typed; null for 90 % of the window. See `compactLimitError`. */
  declare autoCompactLimit: number | null;

  static {
    for (const [key, rule] of Object.entries(FIELDS) as [keyof typeof FIELDS, FieldRule<unknown>][]) {
      Object.defineProperty(Settings.prototype, key, {
        get(this: Settings) {
          return this.#values[key];
        },
        set(this: Settings, value: unknown) {
          (this.#values as Record<string, unknown>)[key] = rule.clean ? rule.clean(value) : value;
          if (rule.connection) this.#forgetModels();
          this.#persist();
        },
      });
    }
  }

  /** Why settings are not being saved, for the user; '' when they are. */
  storageProblem = $state('');
  /** Model ids from the last "Fetch models", for completion. */
  models = $state.raw<string[]>([]);
  /** Context lengths the server gave for its models in that list (vLLM, llama.cpp, LM Studio, OpenRouter). */
  serverWindows = $state.raw<Record<string, number>>({});
  /** Why the last "Fetch models" failed; '' when it did not. */
  modelsError = $state('');
  modelsLoading = $state(false);

  readonly presetInfo: ProviderPreset = $derived(getPreset(this.#values.preset));
  readonly usingDemo: boolean = $derived(usesDemo(this.#values));
  /** The model id the engine sends: the demo's, the one typed, or the preset's default. */
  readonly effectiveModel: string = $derived(this.usingDemo ? DEMO_MODEL_ID : this.#values.model.trim() || this.presetInfo.defaultModel);
  /**
   * A server on this machine or the local network, set up from a page that is not: Chromium asks
   * the person first (Local Network Access), and only on a click.
   */
  readonly reachesLocalNetwork: boolean = $derived(
    !this.usingDemo && isLocalTarget(effectiveBaseURL(this.#values)) && !isLocalTarget(globalThis.location?.href ?? ''),
  );
  /** What the server at the current address refused (see EndpointAdaptations); none for the demo. */
  readonly adapted: UnsupportedFeature[] = $derived(this.usingDemo ? [] : this.#adaptations.for(effectiveBaseURL(this.#values)));
  readonly capabilities: ModelCapabilities = $derived(
    this.usingDemo
      ? { ...DEMO_CAPABILITIES }
      : this.#adaptations.apply(effectiveBaseURL(this.#values), {
          ...capabilitiesFor(this.#values.preset, this.effectiveModel),
          // Asked of servers that may host it; one that refuses it is remembered (adaptations).
          webSearch: this.presetInfo.webSearch !== 'no',
          // What the server says it runs the model with beats a guess from the name.
          ...(this.serverWindows[this.effectiveModel] ? { contextWindow: this.serverWindows[this.effectiveModel] } : {}),
        }),
  );
  /** The window the engine works with: the override, the model's known one, or the default. */
  readonly contextWindowInEffect: number = $derived(this.#values.contextWindow ?? this.capabilities.contextWindow ?? DEFAULT_CONTEXT_WINDOW);
  /** Why "Compact at" cannot be used with that window; '' when it can. Such a limit is neither saved nor sent. */
  readonly compactLimitError: string = $derived(compactLimitError(this.#values.autoCompactLimit, this.contextWindowInEffect));
  readonly baseURLError: string = $derived(baseURLError(this.#values));
  readonly modelError: string = $derived(this.effectiveModel ? '' : 'Enter the model name (for Azure, the deployment name).');
  /** Per header row: '' or what is wrong with it. */
  readonly headerErrors: string[] = $derived(this.#headers.map((row) => headerNameError(row) || headerValueError(row)));
  /** Per query row: '' or what is wrong with it. */
  readonly queryErrors: string[] = $derived(this.#query.map((row) => queryNameError(row)));
  /** Whether `createModel(snapshot())` will succeed (the demo always does). */
  readonly valid: boolean = $derived(
    this.usingDemo || (!this.baseURLError && !this.modelError && [...this.headerErrors, ...this.queryErrors].every((error) => !error)),
  );

  readonly #local: SafeStorage;
  readonly #session: SafeStorage;
  #fetchGeneration = 0;

  constructor(options: SettingsOptions = {}) {
    const report = (message: string) => (this.storageProblem = message);
    this.#local = new SafeStorage(options.local === undefined ? browserStorage('localStorage') : options.local, report);
    this.#adaptations = new EndpointAdaptations(options.local === undefined ? browserStorage('localStorage') : options.local);
    this.#session = new SafeStorage(options.session === undefined ? browserStorage('sessionStorage') : options.session, report);
    this.#load();
  }

  get preset(): PresetId {
    return this.#values.preset;
  }
  /**
   * Choosing a preset fills its base URL and default model unless the user typed their own;
   * while the demo answers, it goes on answering (see `presetBaseURL`).
   */
  set preset(id: PresetId) {
    const next = getPreset(id);
    const values = this.#values;
    if (isPresetBaseURL(values.baseURL)) values.baseURL = presetBaseURL(next.id, this.usingDemo);
    if (isPresetModel(values.model)) values.model = next.defaultModel;
    values.preset = next.id;
    this.#forgetModels();
    this.#persist();
  }
  /** The share service in effect: the one set here, else the build's default; '' for none. */
  get shareService(): string {
    return this.#values.shareServiceUrl || BUILD_SHARE_SERVICE;
  }
  get headers(): readonly NameValue[] {
    return this.#headers;
  }
  get query(): readonly NameValue[] {
    return this.#query;
  }

  addRow(list: RowList): void {
    this.#setRows(list, [...this.#rows(list), { name: '', value: '' }]);
  }
  updateRow(list: RowList, index: number, patch: Partial<NameValue>): void {
    this.#setRows(
      list,
      this.#rows(list).map((row, i) => (i === index ? { ...row, ...patch } : row)),
    );
  }
  removeRow(list: RowList, index: number): void {
    this.#setRows(
      list,
      this.#rows(list).filter((_, i) => i !== index),
    );
  }

  /** The server at the current address refused `feature`: leave it out from now on. */
  learnUnsupported(feature: UnsupportedFeature): void {
    if (!this.usingDemo) this.#adaptations.learn(effectiveBaseURL(this.#values), feature);
  }
  /** Sends everything again to the current address (after the server was upgraded). */
  forgetAdaptations(): void {
    this.#adaptations.forget(effectiveBaseURL(this.#values));
  }

  /** The model connection, key included: for `createModel` only. */
  snapshot(): ModelSettings {
    return {
      preset: this.#values.preset,
      baseURL: this.#values.baseURL,
      apiKey: this.#values.apiKey,
      model: this.effectiveModel,
      headers: this.#headers.map((row) => ({ ...row })),
      query: this.#query.map((row) => ({ ...row })),
    };
  }

  /** The engine's view of these settings, to merge over its defaults. */
  sessionConfigPatch(): Partial<SessionConfig> {
    const { approvalPolicy, sandboxMode, reasoningEffort, developerInstructions, contextWindow } = this.#values;
    return {
      model: this.effectiveModel,
      capabilities: { ...this.capabilities },
      approvalPolicy,
      sandboxMode,
      reasoningEffort,
      developerInstructions: developerInstructions.trim() ? developerInstructions : undefined,
      ...(contextWindow ? { contextWindow } : {}),
      ...(this.#usableCompactLimit() ? { autoCompactLimit: this.#usableCompactLimit()! } : {}),
    };
  }

  /** Everything but the key: what is saved, and all that `JSON.stringify(settings)` shows. */
  toJSON(): PersistedSettings {
    // Named one by one, so nothing added to the values later (a secret) is saved unasked.
    const v = this.#values;
    return {
      preset: v.preset,
      baseURL: v.baseURL,
      model: v.model,
      reasoningEffort: v.reasoningEffort,
      approvalPolicy: v.approvalPolicy,
      sandboxMode: v.sandboxMode,
      headers: this.#headers.map((row) => ({ ...row })),
      query: this.#query.map((row) => ({ ...row })),
      developerInstructions: v.developerInstructions,
      keyInTabOnly: v.keyInTabOnly,
      contextWindow: v.contextWindow,
      autoCompactLimit: this.#usableCompactLimit(),
      shareServiceUrl: v.shareServiceUrl,
    };
  }

  /** Asks the configured server for its models; fills `models` or `modelsError`. Never throws. */
  async fetchModels(options: { signal?: AbortSignal } = {}): Promise<void> {
    const generation = ++this.#fetchGeneration;
    this.modelsLoading = true;
    this.modelsError = '';
    try {
      // The SDK loads only when someone asks for the list.
      const { createModel } = await import('./model-factory');
      const infos = await createModel(this.snapshot()).client.listModelInfo(options);
      if (generation !== this.#fetchGeneration) return;
      const models = infos.map((info) => info.id);
      this.models = models;
      this.serverWindows = Object.fromEntries(infos.flatMap((info) => (info.contextWindow ? [[info.id, info.contextWindow]] : [])));
      if (models.length === 0) this.modelsError = 'The server listed no models; type the name instead.';
    } catch (err) {
      if (generation === this.#fetchGeneration) this.modelsError = err instanceof Error ? err.message : String(err);
    } finally {
      if (generation === this.#fetchGeneration) this.modelsLoading = false;
    }
  }

  /** The compaction limit when it fits the window; an impossible one is neither saved nor sent. */
  #usableCompactLimit(): number | null {
    return this.compactLimitError ? null : this.#values.autoCompactLimit;
  }

  #rows(list: RowList): NameValue[] {
    return list === 'headers' ? this.#headers : this.#query;
  }
  #setRows(list: RowList, rows: NameValue[]): void {
    if (list === 'headers') this.#headers = rows;
    else this.#query = rows;
    this.#persist();
  }
  #forgetModels(): void {
    this.#fetchGeneration++;
    this.models = [];
    this.serverWindows = {};
    this.modelsError = '';
    this.modelsLoading = false;
  }

  #load(): void {
    if (!this.#local.available) {
      this.storageProblem = 'This browser does not allow saving here (private mode or blocked storage); settings last until this tab closes.';
    }
    const saved = this.#local.readObject(SETTINGS_STORAGE_KEY);
    if (saved) this.#apply(readPersisted(saved));
    const [keep, drop] = this.#keySlots();
    this.#values.apiKey = keep.read(API_KEY_STORAGE_KEY) ?? '';
    // A copy left in the other slot (the toggle changed in another tab) must not linger.
    if (drop.read(API_KEY_STORAGE_KEY) !== null) drop.remove(API_KEY_STORAGE_KEY);
  }

  #apply(saved: PersistedSettings): void {
    Object.assign(this.#values, scalars(saved));
    this.#headers = saved.headers;
    this.#query = saved.query;
  }

  /** Saves everything; the latest attempt decides `storageProblem`. */
  #persist(): void {
    if (this.#local.available) this.storageProblem = '';
    this.#local.write(SETTINGS_STORAGE_KEY, JSON.stringify(this.toJSON()));
    const [keep, drop] = this.#keySlots();
    // Delete the copy that must not exist first, so a failing write cannot leave two.
    drop.remove(API_KEY_STORAGE_KEY);
    if (this.#values.apiKey) keep.write(API_KEY_STORAGE_KEY, this.#values.apiKey);
    else keep.remove(API_KEY_STORAGE_KEY);
    if (this.#values.keyInTabOnly && !this.#session.available && this.#values.apiKey) {
      this.storageProblem = 'This browser offers no per-tab storage here; the key lasts until the page reloads.';
    }
  }

  #keySlots(): [keep: SafeStorage, drop: SafeStorage] {
    return this.#values.keyInTabOnly ? [this.#session, this.#local] : [this.#local, this.#session];
  }
}

/** Everything but the rows: what `Settings` keeps one value each of. */
function scalars(settings: PersistedSettings): Omit<PersistedSettings, 'headers' | 'query'> {
  const { headers, query, ...rest } = settings;
  return rest;
}
