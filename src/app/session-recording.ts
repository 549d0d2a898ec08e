/**
 * Recording a writable session: a tracker of the sandbox's file changes and the recorder that
 * writes items, records and manifests, wired to the sandbox's change events.
 */
import type { Sandbox } from '../sandbox/sandbox';
import type { StoreError } from '../store/errors';
import type { Manifest, SessionMeta, SessionStore, WorkspaceState } from '../store/session-store';
import { SessionRecorder } from './session-recorder';
import { WorkspaceTracker } from './workspace-tracker';

export interface RecordingOptions {
  /** The newest stored manifest, and what is on disk when it differs from it (unknown: null). */
  manifest: Manifest | null;
  state?: WorkspaceState | null;
  onSaved: (meta: SessionMeta) => void;
  onError: (error: StoreError) => void;
  saveDelayMs?: number;
}

/** Starts recording `meta`; `stop` unsubscribes from the sandbox (pending writes still finish). */
export function startRecording(
  store: SessionStore,
  sandbox: Sandbox,
  meta: SessionMeta,
  options: RecordingOptions,
): { recorder: SessionRecorder; stop: () => void } {
  const tracker = new WorkspaceTracker(sandbox.fs, sandbox.describe().root, () => sandbox.snapshot(), options.state ?? options.manifest);
  const recorder = new SessionRecorder(store, {
    sessionId: meta.id,
    records: meta.itemCount,
    manifest: options.manifest,
    tracker,
    onSaved: options.onSaved,
    onError: options.onError,
    ...(options.saveDelayMs !== undefined ? { saveDelayMs: options.saveDelayMs } : {}),
  });
  const unwatch = sandbox.fs.watch((change) => {
    tracker.mark(change);
    recorder.changed();
  });
  return { recorder, stop: unwatch };
}
