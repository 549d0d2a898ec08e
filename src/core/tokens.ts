/**
 * Token accounting. The server's usage is the truth for what it has seen; anything appended
 * since is estimated as Codex does: serialized JSON bytes / 4.
 */
import type { SessionConfig } from './config';
import type { ResponseItem } from './items';
import type { Usage } from './ports';

export const BYTES_PER_TOKEN = 4;
/** Used when neither the config nor the model's capabilities name a window. */
export const DEFAULT_CONTEXT_WINDOW = 128_000;
/** Auto-compaction starts at this share of the window unless configured. */
const AUTO_COMPACT_RATIO = 0.9;

/** UTF-8 length of `text` without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export function tokensForBytes(bytes: number): number {
  return Math.ceil(Math.max(0, bytes) / BYTES_PER_TOKEN);
}

/** The estimate for a text: its UTF-8 bytes / 4, rounded up. */
export function estimateTextTokens(text: string): number {
  return tokensForBytes(utf8Length(text));
}

/** The estimate for any JSON value: its serialized bytes / 4, rounded up. */
export function estimateTokens(value: unknown): number {
  return estimateTextTokens(JSON.stringify(value) ?? '');
}

/**
 * What an attached image costs, in tokens. A model is charged by the image's size in tiles
 * (about 1 100 tokens for a 2048 px image at high detail), not by the length of its data URL,
 * which is hundreds of kilobytes: counted as text, one photo would fill the context window.
 */
export const IMAGE_TOKENS = 1_500;

// History items are never mutated once stored, so their size is computed once.
const itemBytesCache = new WeakMap<ResponseItem, number>();

/** Serialized bytes of one item, an image counted as `IMAGE_TOKENS` (cached per item object). */
export function itemBytes(item: ResponseItem): number {
  let bytes = itemBytesCache.get(item);
  if (bytes === undefined) {
    bytes = utf8Length(JSON.stringify(item));
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content) {
        if (part?.type === 'input_image' && typeof part.image_url === 'string') bytes += IMAGE_TOKENS * BYTES_PER_TOKEN - part.image_url.length;
      }
    }
    itemBytesCache.set(item, bytes);
  }
  return bytes;
}

/** Serialized bytes of `items` as a JSON array (the separators included). */
export function itemsBytes(items: readonly ResponseItem[]): number {
  let bytes = 2 + Math.max(0, items.length - 1);
  for (const item of items) bytes += itemBytes(item);
  return bytes;
}

export function estimateItemsTokens(items: readonly ResponseItem[]): number {
  return tokensForBytes(itemsBytes(items));
}

export interface ContextLimits {
  /** Input tokens the model accepts. */
  window: number;
  /** Auto-compaction starts when the estimate reaches this. */
  autoCompactAt: number;
}

/** The window (config, then capabilities, then the default) and the auto-compact point. */
export function contextLimits(config: Pick<SessionConfig, 'contextWindow' | 'autoCompactLimit' | 'capabilities'>): ContextLimits {
  const window = positive(config.contextWindow) ?? positive(config.capabilities.contextWindow) ?? DEFAULT_CONTEXT_WINDOW;
  const limit = positive(config.autoCompactLimit) ?? Math.floor(window * AUTO_COMPACT_RATIO);
  return { window, autoCompactAt: Math.min(limit, window) };
}

function positive(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** What a context meter shows. */
export interface TokenStatus {
  /** Estimated tokens of the next request (usage of the last response + items since). */
  used: number;
  window: number;
  auto_compact_at: number;
  /** The last response's usage, when one arrived since the history was last replaced. */
  last_usage?: Usage;
}

/**
 * Counts the tokens of the next request from the last response's usage plus an estimate of
 * the items appended since; without usage (a fresh or restored or compacted history, a server
 * reporting none) the whole request is estimated.
 */
export class TokenMeter {
  #anchor: { usage: Usage; length: number } | null = null;

  get lastUsage(): Usage | undefined {
    return this.#anchor?.usage;
  }

  /** Records a completed response; `historyLength` counts its output items already appended. */
  observe(usage: Usage, historyLength: number): void {
    this.#anchor = usage.input_tokens > 0 ? { usage, length: historyLength } : null;
  }

  /** Forgets the usage: call it when the history is replaced. */
  reset(): void {
    this.#anchor = null;
  }

  /**
   * `overheadBytes`: the serialized request without its items (model, tools, flags), used
   * when there is no usage to start from.
   */
  used(items: readonly ResponseItem[], overheadBytes: number): number {
    const anchor = this.#anchor;
    if (!anchor || anchor.length > items.length) return tokensForBytes(overheadBytes + itemsBytes(items));
    let since = 0;
    for (let i = anchor.length; i < items.length; i++) since += itemBytes(items[i] as ResponseItem) + 1;
    return anchor.usage.input_tokens + anchor.usage.output_tokens + tokensForBytes(since);
  }
}
