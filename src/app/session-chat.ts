/**
 * The ChatSession for a session: built on what it continues from (a loaded session, a new
 * one's first manifest, a shared view), and recorded into the store when it is stored and
 * writable.
 */
import type { Sandbox } from '../sandbox/sandbox';
import type { StoreError } from '../store/errors';
import type { LoadedSession, LogView, SessionMeta, SessionStore, WorkspaceState } from '../store/session-store';
import { ChatSession } from './chat.svelte';
import type { ToolSources } from './conversation-tools.svelte';
import type { CreateModelOptions } from './model-factory';
import type { SessionRecorder } from './session-recorder';
import { startRecording } from './session-recording';
import type { Settings } from './settings.svelte';

/** What a chat continues from; null for an empty one. */
export type ChatStart =
  | (Partial<Pick<LoadedSession, 'items' | 'manifests'>> & {
      view?: LogView;
      manifest?: LoadedSession['workspace'];
      workspace?: LoadedSession['workspace'];
      state?: WorkspaceState;
    })
  | null;

export interface SessionChatParts {
  sandbox: Sandbox;
  settings: Settings;
  store: SessionStore | null;
  modelOptions?: CreateModelOptions;
  tools?: ToolSources;
  saveDelayMs?: number;
  onSaved(meta: SessionMeta): void;
  onError(error: StoreError): void;
  /** `/new` in this chat. */
  onNew(): void;
}

export interface SessionChat {
  chat: ChatSession;
  /** Set for a stored, writable session: its recorder, and how to stop watching the sandbox. */
  recording: { recorder: SessionRecorder; stop: () => void } | null;
}

/** `readOnly`: shown but not continued (a share link, a session another tab holds). */
export function createSessionChat(
  parts: SessionChatParts,
  meta: SessionMeta | null,
  from: ChatStart,
  { readOnly }: { readOnly: boolean },
): SessionChat {
  const recording =
    parts.store && meta && !readOnly
      ? startRecording(parts.store, parts.sandbox, meta, {
          manifest: from?.manifest ?? from?.workspace ?? null,
          state: from?.state ?? null,
          onSaved: parts.onSaved,
          onError: parts.onError,
          ...(parts.saveDelayMs !== undefined ? { saveDelayMs: parts.saveDelayMs } : {}),
        })
      : null;
  const view = from?.view;
  const chat = new ChatSession(parts.sandbox, parts.settings, {
    history: from?.items ?? (view ? view.items : []),
    ...(view ? { view } : {}),
    ...(from?.manifests ? { manifests: from.manifests } : {}),
    ...(meta ? { sessionId: meta.id } : {}),
    ...(recording ? { recorder: recording.recorder } : {}),
    readOnly,
    onNew: parts.onNew,
    ...(parts.modelOptions ? { modelOptions: parts.modelOptions } : {}),
    ...(parts.tools ? { tools: parts.tools } : {}),
  });
  return { chat, recording };
}
