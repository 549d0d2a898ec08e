/**
 * Token accounting of the scripted model, built to make prompt caching observable:
 * tokens are bytes / 4 (Codex's own estimate), and a request's cached tokens are the bytes
 * it shares as a prefix with the previous request of the same conversation.
 */

export interface WireUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

const encoder = new TextEncoder();

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * The part of a request that a prompt cache keys on, in the order the server reads it:
 * static content (model, instructions, tools) first, the conversation last.
 */
export function canonicalRequest(body: { model?: unknown; instructions?: unknown; tools?: unknown; input?: unknown }): string {
  return imagesAsTokens(JSON.stringify({ model: body.model, instructions: body.instructions, tools: body.tools, input: body.input }));
}

/** Bytes an image is billed as: about 1 500 tokens, as a model charges by tiles, not by its data URL's length. */
const IMAGE_BYTES = 1_500 * 4;

/** `json` with every base64 data URL replaced by a stand-in of the size an image is billed as. */
export function imagesAsTokens(json: string): string {
  return json.replace(
    /"data:image\/[\w.+-]+;base64,([A-Za-z0-9+/=]+)"/g,
    (_m, data: string) => `"image:${data.slice(0, 16)}${'.'.repeat(IMAGE_BYTES)}"`,
  );
}

export function commonPrefixLength(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Remembers the previous request per conversation (`prompt_cache_key`; requests without one
 * share a slot), like a provider routing a conversation to the same cache.
 */
export class PrefixCache {
  readonly #previous = new Map<string, Uint8Array>();

  readonly #capacity: number;

  constructor(capacity = 64) {
    this.#capacity = capacity;
  }

  /** Bytes `canonical` shares with the previous request under `key`; then remembers it. */
  hit(key: string | undefined, canonical: string): number {
    const slot = key ?? '';
    const bytes = encoder.encode(canonical);
    const before = this.#previous.get(slot);
    const shared = before ? commonPrefixLength(before, bytes) : 0;
    this.#previous.delete(slot);
    this.#previous.set(slot, bytes);
    if (this.#previous.size > this.#capacity) {
      const oldest = this.#previous.keys().next();
      if (!oldest.done) this.#previous.delete(oldest.value);
    }
    return shared;
  }

  clear(): void {
    this.#previous.clear();
  }
}

export function makeUsage(counts: { requestBytes: number; cachedBytes: number; outputBytes: number; reasoningBytes: number }): WireUsage {
  const input = Math.ceil(counts.requestBytes / 4);
  const cached = Math.min(input, Math.floor(counts.cachedBytes / 4));
  const reasoning = Math.ceil(counts.reasoningBytes / 4);
  const output = Math.ceil(counts.outputBytes / 4) + reasoning;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}
