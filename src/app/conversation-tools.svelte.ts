/**
 * The tools of one conversation: the built-ins, the hosted web search when it is on, and the
 * MCP servers' tools. The list is frozen for the conversation (REFERENCE §1): when a server's
 * list changes, or web search is switched, the new list waits — the Inspector and `/mcp` say
 * so and what applying it would cost — until the conversation starts, compacts, or the person
 * applies it. Every applied list is recorded with the session, so a reload sends the same one.
 */
import type { AgentEventOf } from '../core/events';
import type { Agent } from '../core/loop';
import type { McpCaller, McpToolInfo } from '../core/ports';
import type { ToolsChange } from '../core/tool-set';
import { mcpTools } from '../core/tools/mcp';
import { defaultTools } from '../core/tools/registry';
import type { Tool } from '../core/tools/types';
import { webSearchTool } from '../core/tools/web-search';
import { TOOLSET_RECORD, type ToolsetRecord } from '../store/log-records';

/** MCP servers as the conversation sees them (the app's McpHub). */
/** One configured server as `/mcp` shows it. */
export interface McpServerView {
  name: string;
  url: string;
  status: string;
  error?: string;
  tools: McpToolInfo[];
}

export interface McpSource extends McpCaller {
  /** Every configured server and its state. */
  servers(): McpServerView[];
  /** The tools of every connected server, as they list them now. */
  tools(): McpToolInfo[];
  /** Called when a server connects, fails or changes its list; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** What the conversation's tools come from. */
export interface ToolSources {
  mcp: McpSource | null;
  /** Whether the hosted web search is wanted and the current server may host it. */
  webSearch(): boolean;
}

interface ToolList {
  mcp: McpToolInfo[];
  webSearch: boolean;
}

const key = (list: ToolList) => JSON.stringify([list.webSearch, list.mcp.map((t) => [t.server, t.name, t.description ?? '', t.inputSchema])]);

export class ConversationTools {
  /** The MCP tools the conversation's requests carry. */
  mcp = $state.raw<McpToolInfo[]>([]);
  webSearch = $state(false);
  /** Fingerprint of the tool list last sent (see `toolsHash`); '' before the first request. */
  hash = $state('');
  /** A changed list that waits, and what applying it costs the next request; null when none waits. */
  waiting = $state.raw<ToolsChange | null>(null);
  readonly #sources: ToolSources;
  #agent: Agent | null = null;
  #offered: ToolList | null = null;
  readonly #stop: () => void;

  /** `recorded`: the list a stored conversation last recorded (null for a new one, or one from before lists were recorded). */
  constructor(sources: ToolSources, recorded: ToolsetRecord | null) {
    this.#sources = sources;
    if (recorded) {
      this.mcp = recorded.mcp;
      this.webSearch = recorded.webSearch;
      this.hash = recorded.hash;
    }
    this.#stop = sources.mcp?.onChange(() => this.refresh()) ?? (() => {});
  }

  /** The tools for a (re)built agent: the conversation's frozen list. */
  tools(): Tool[] {
    return this.#build({ mcp: this.mcp, webSearch: this.webSearch });
  }

  /** Follows `agent` from now on, and offers it the current list. */
  attach(agent: Agent): void {
    this.#agent = agent;
    this.refresh();
  }

  /** Offers the agent the list as it is now; it applies at once if nothing was sent yet. */
  refresh(): void {
    const agent = this.#agent;
    if (!agent) return;
    const wanted = this.#wanted();
    this.#offered = key(wanted) === key({ mcp: this.mcp, webSearch: this.webSearch }) ? null : wanted;
    agent.tools.offer(this.#build(this.#offered ?? { mcp: this.mcp, webSearch: this.webSearch }));
    this.waiting = agent.tools.change() ?? null;
  }

  /** *Apply now*: the next request carries the waiting list (its prefix is then new). */
  apply(): void {
    this.refresh();
    this.#agent?.tools.apply();
  }

  /** Folds a `tools_changed` event; returns the record to store. */
  changed(event: AgentEventOf<'tools_changed'>): ToolsetRecord {
    if (event.reason !== 'start' || this.#offered) {
      const applied = this.#offered ?? { mcp: this.mcp, webSearch: this.webSearch };
      this.mcp = applied.mcp;
      this.webSearch = applied.webSearch;
    }
    this.#offered = null;
    this.hash = event.hash;
    this.waiting = null;
    return { type: TOOLSET_RECORD, hash: event.hash, mcp: this.mcp, webSearch: this.webSearch };
  }

  dispose(): void {
    this.#stop();
  }

  #wanted(): ToolList {
    return { mcp: this.#sources.mcp?.tools() ?? [], webSearch: this.#sources.webSearch() };
  }

  #build(list: ToolList): Tool[] {
    const mcp = this.#sources.mcp;
    return [...defaultTools(), ...(list.webSearch ? [webSearchTool] : []), ...(mcp ? mcpTools(list.mcp, mcp) : [])];
  }
}
