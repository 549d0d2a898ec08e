/**
 * A conversation's tools, frozen: the list sent with every request stays the same until a
 * natural break of the cached prefix. A changed list offered meanwhile (an MCP server's
 * `tools/list_changed`) waits: it applies at the conversation's start, after a compaction, or
 * when the person applies it, knowing what the next request then re-sends uncached.
 */
import { cacheText, commonPrefixLength } from './cache-stats';
import type { ModelCapabilities } from './config';
import type { ResponsesRequest, ToolSpec } from './ports';
import { utf8Length } from './tokens';
import { orderTools, toolSpecs, toolsHash } from './tools/registry';
import type { Tool } from './tools/types';

/** What applying the offered list would change. */
export interface ToolsChange {
  /** The offered list's hash. */
  hash: string;
  added: string[];
  removed: string[];
  /** Of the next request, the bytes a prompt cache would still reuse, and those it would not. */
  prefix_bytes: number;
  miss_bytes: number;
}

export class ToolSet {
  #tools: Map<string, Tool>;
  #offered: Tool[] | undefined;

  constructor(tools: readonly Tool[]) {
    this.#tools = byName(tools);
  }

  get map(): ReadonlyMap<string, Tool> {
    return this.#tools;
  }

  specs(capabilities: ModelCapabilities): ToolSpec[] {
    return toolSpecs([...this.#tools.values()], capabilities);
  }

  hash(capabilities: ModelCapabilities): string {
    return toolsHash(this.specs(capabilities));
  }

  /** Offers a new list; it waits for `apply`. Offering the list in use withdraws any offer. */
  offer(tools: readonly Tool[], capabilities: ModelCapabilities): void {
    const same = toolsHash(toolSpecs(tools, capabilities)) === this.hash(capabilities);
    this.#offered = same ? undefined : [...tools];
  }

  get offered(): boolean {
    return this.#offered !== undefined;
  }

  /** Makes the offered list the conversation's; false when nothing was offered. */
  apply(): boolean {
    if (!this.#offered) return false;
    this.#tools = byName(this.#offered);
    this.#offered = undefined;
    return true;
  }

  /**
   * What applying the offer would change; `request(specs)` builds the next request with the
   * given tools, so the figures are those of the exact bytes that would be sent.
   */
  change(capabilities: ModelCapabilities, request: (specs: ToolSpec[]) => ResponsesRequest): ToolsChange | undefined {
    if (!this.#offered) return undefined;
    const next = toolSpecs(this.#offered, capabilities);
    const now = cacheText(request(this.specs(capabilities)));
    const then = cacheText(request(next));
    const shared = utf8Length(then.slice(0, commonPrefixLength(now, then)));
    const before = new Set(this.#tools.keys());
    const after = new Set(this.#offered.map((t) => t.name));
    return {
      hash: toolsHash(next),
      added: [...after].filter((n) => !before.has(n)).sort(),
      removed: [...before].filter((n) => !after.has(n)).sort(),
      prefix_bytes: shared,
      miss_bytes: utf8Length(then) - shared,
    };
  }
}

function byName(tools: readonly Tool[]): Map<string, Tool> {
  return new Map(orderTools(tools).map((t) => [t.name, t]));
}
