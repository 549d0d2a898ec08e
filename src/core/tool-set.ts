/**
 * A conversation's tools, frozen: the list sent with every request stays the same until a
 * natural break of the cached prefix. A changed list offered meanwhile (an MCP server's
 * `tools/list_changed`) waits: it applies at the conversation's start, after a compaction, or
 * when the person applies it, knowing what the next request then re-sends uncached.
 */
import { cacheText, commonPrefixLength } from './cache-stats';
import type { ModelCapabilities } from './config';
import type { AgentEvent, ToolsChangeReason } from './events';
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

export interface AgentToolsDeps {
  capabilities(): ModelCapabilities;
  /** The next request as it would be sent, with `tools` in place of the list. */
  request(tools: ToolSpec[]): ResponsesRequest;
  /** Whether nothing has been sent yet (no context in history) and no turn runs: an offer applies at once. */
  fresh(): boolean;
  emit(event: AgentEvent): void;
}

/** The conversation's tool list as the agent exposes it (`agent.tools`). */
export class AgentTools {
  readonly set: ToolSet;
  readonly #deps: AgentToolsDeps;

  constructor(tools: readonly Tool[], deps: AgentToolsDeps) {
    this.set = new ToolSet(tools);
    this.#deps = deps;
  }

  /** The tool names, in request order. */
  get names(): string[] {
    return [...this.set.map.keys()];
  }

  /** Fingerprint of the list the requests carry (see `toolsHash`). */
  hash(): string {
    return this.set.hash(this.#deps.capabilities());
  }

  specs(): ToolSpec[] {
    return this.set.specs(this.#deps.capabilities());
  }

  #reversedRound: number | null = null;

  /**
   * Teaching only: the request at `round` of the next turn lists the same tools in reverse
   * order, so the Inspector can show what a reordered list costs the prompt cache (lesson 6).
   * The list itself does not change; null clears it (the agent does at each turn's end).
   */
  reverseAt(round: number | null): void {
    this.#reversedRound = round;
  }

  /** The specs the request at `round` of this turn lists. */
  specsForRound(round: number): ToolSpec[] {
    const specs = this.specs();
    return round === this.#reversedRound ? specs.reverse() : specs;
  }

  /**
   * Offers a new list (MCP servers changed theirs). It is not sent until a prefix break — the
   * conversation's start, a compaction — or `apply`, so every request until then extends the
   * one before exactly.
   */
  offer(tools: readonly Tool[]): void {
    this.set.offer(tools, this.#deps.capabilities());
    if (this.#deps.fresh()) this.applyFor('start');
  }

  /** What applying the offered list would cost the next request; undefined when none waits. */
  change(): ToolsChange | undefined {
    return this.set.change(this.#deps.capabilities(), (tools) => this.#deps.request(tools));
  }

  /** Sends the offered list from the next request on (the person chose to). */
  apply(): boolean {
    return this.applyFor('applied');
  }

  /** Applies an offered list at a break (`force`: report the list even when none was offered). */
  applyFor(reason: ToolsChangeReason, force = false): boolean {
    const applied = this.set.apply();
    if (applied || force) this.#deps.emit({ type: 'tools_changed', reason, hash: this.hash(), names: this.names });
    return applied;
  }
}
