/** What a ChatSession is built from, and the small types it shares with the chat pane. */
import type { AgentEventOf } from '../core/events';
import type { ResponseItem } from '../core/items';
import type { LogView, ManifestHistory } from '../store/session-store';
import type { ToolSources } from './conversation-tools.svelte';
import type { CreateModelOptions } from './model-factory';
import type { SessionRecorder } from './session-recorder';

export type RequestStats = Omit<AgentEventOf<'request_stats'>, 'type'>;

/** What a new conversation on the offline demo model suggests. */
export const SUGGESTED_PROMPT = 'Give me the hello demo';

export interface ChatSessionOptions {
  modelOptions?: CreateModelOptions;
  /** The conversation so far (a reloaded or forked session). */
  history?: readonly ResponseItem[];
  /** Conversations it replaced by compacting, oldest first: shown greyed, not sent. */
  earlier?: readonly (readonly ResponseItem[])[];
  /** The stored log folded (a reloaded session): entries come from it, with fork points and turns. */
  view?: LogView;
  /** The stored workspace history, for the changes of reloaded turns. */
  manifests?: ManifestHistory;
  /** The stored session's id; also the prompt cache key. */
  sessionId?: string;
  /** Where items and workspace snapshots are saved as they happen. */
  recorder?: SessionRecorder;
  /** Shown but not continued (a shared link, or a session open in another tab). */
  readOnly?: boolean;
  /** /new starts a new stored session here instead of clearing this one. */
  onNew?: () => void;
  /** MCP servers and the hosted web search; none when absent. */
  tools?: ToolSources;
}
