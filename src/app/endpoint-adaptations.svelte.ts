/**
 * What each server turned out not to accept, remembered per base URL (localStorage
 * `unroll.endpointAdaptations.v1`), so the next conversation with it starts without the refused
 * feature instead of failing its first request again. Learned from the engine's
 * `capability_dropped` events; shown in Settings, where it can be forgotten.
 */
import { withoutFeature, type ModelCapabilities } from '../core/config';
import type { UnsupportedFeature } from '../core/ports';
import { browserStorage, SafeStorage, type StorageLike } from './safe-storage';

const ADAPTATIONS_STORAGE_KEY = 'unroll.endpointAdaptations.v1';
const FEATURES: readonly UnsupportedFeature[] = ['custom_tools', 'reasoning', 'web_search'];

/** How each adaptation reads in Settings. */
export const ADAPTATION_TEXT: Readonly<Record<UnsupportedFeature, string>> = {
  custom_tools: 'apply_patch is sent as a function tool',
  reasoning: 'no reasoning settings or reasoning items are sent',
  web_search: 'web search is not offered to the model',
};

const key = (baseURL: string) => baseURL.trim().replace(/\/+$/, '').toLowerCase();

export class EndpointAdaptations {
  #byURL = $state.raw<Record<string, UnsupportedFeature[]>>({});
  readonly #storage: SafeStorage;

  constructor(storage: StorageLike | null = browserStorage('localStorage')) {
    this.#storage = new SafeStorage(storage, () => {});
    this.#byURL = parse(this.#storage.read(ADAPTATIONS_STORAGE_KEY));
  }

  /** The features `baseURL` refused, in a stable order. */
  for(baseURL: string): UnsupportedFeature[] {
    return this.#byURL[key(baseURL)] ?? [];
  }

  learn(baseURL: string, feature: UnsupportedFeature): void {
    const known = this.for(baseURL);
    if (known.includes(feature)) return;
    this.#save({ ...this.#byURL, [key(baseURL)]: FEATURES.filter((f) => f === feature || known.includes(f)) });
  }

  forget(baseURL: string): void {
    const next = { ...this.#byURL };
    delete next[key(baseURL)];
    this.#save(next);
  }

  /** `capabilities` without what `baseURL` refused. */
  apply(baseURL: string, capabilities: ModelCapabilities): ModelCapabilities {
    return this.for(baseURL).reduce((caps, feature) => withoutFeature(caps, feature) ?? caps, capabilities);
  }

  #save(next: Record<string, UnsupportedFeature[]>): void {
    this.#byURL = next;
    this.#storage.write(ADAPTATIONS_STORAGE_KEY, JSON.stringify(next));
  }
}

function parse(text: string | null): Record<string, UnsupportedFeature[]> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const out: Record<string, UnsupportedFeature[]> = {};
    for (const [url, list] of Object.entries(value)) {
      if (!Array.isArray(list)) continue;
      const features = FEATURES.filter((f) => list.includes(f));
      if (features.length) out[url] = features;
    }
    return out;
  } catch {
    return {};
  }
}
