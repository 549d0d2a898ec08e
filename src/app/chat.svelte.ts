/**
 * One conversation on the active sandbox, with the model chosen in Settings, folded into
 * reactive state for the chat pane. Slash commands run here; approvals wait in the transcript
 * for the user's answer; each turn ends with what it cost and which files it changed.
 */
import { defaultConfig } from '../core/config';
import { EMPTY_USAGE, sumUsage } from '../core/usage-total';
import type { AgentEvent, ApprovalDecision, StepDecision, TurnUsage } from '../core/events';
import type { TokenStatus } from '../core/tokens';
import { Agent } from '../core/loop';
import type { Sandbox } from '../sandbox/sandbox';
import type { Snapshot } from '../sandbox/snapshot';
import { developerMessage, type ContentPart, type ResponseItem } from '../core/items';
import type { UserInputAnswers } from '../core/tools/request-user-input';
import type { Manifest, ManifestHistory } from '../store/session-store';
import { NOTE_RECORD, TOOL_RECORD, TURN_RECORD } from '../store/log-records';
import { foldEvent, type Entry, type TurnEntry } from './chat-entries';
import { DeltaBatcher, isDelta } from './delta-batch';
import { entriesFromHistory, entriesFromView } from './history-entries';
import { imageFields, userInput } from './image-entries';
import { LiveInspector } from './inspector/live.svelte';
import { Replay } from './replay-view.svelte';
import { createModel, type CreateModelOptions } from './model-factory';
import type { SessionRecorder } from './session-recorder';
import type { Settings } from './settings.svelte';
import { parseSlash, type SlashCommand } from './slash-commands';
import { runCommand } from './chat-commands';
import { diffSnapshots } from './turn-diff';
import { diffManifests, fillStoredChanges, revertFiles } from './turn-changes';
import { SUGGESTED_PROMPT, type ChatSessionOptions, type RequestStats } from './chat-options';
import { ConversationTools } from './conversation-tools.svelte';
import { builtinSkills } from './skills/builtin';
import { installBuiltinSkills } from './skills/install';
import { discoverSkills } from '../core/context/skills';
import type { SkillHint } from './skill-mentions';
import { TOOL_ORDER_PROMPT, TOOL_ORDER_REVERSED_REQUEST } from '../model/scripted/lessons/tool-order-prompt';

export type { Entry } from './chat-entries';

export { SUGGESTED_PROMPT, type ChatSessionOptions, type RequestStats } from './chat-options';

export class ChatSession {
  entries = $state<Entry[]>([]);
  running = $state(false);
  usage = $state<TurnUsage>({ ...EMPTY_USAGE });
  /** The context meter: tokens of the next request, the window, where it compacts. */
  tokens = $state.raw<TokenStatus | null>(null);
  /** Prompt-cache figures of the last request. */
  lastRequest = $state.raw<RequestStats | null>(null);
  compacting = $state(false);
  /** Every request, response event, tool run and compaction of this conversation, for the Inspector. */
  readonly inspector: LiveInspector;
  /** Replay: the conversation walked round by round, without calling any model. */
  readonly replay: Replay;
  /** Conversations this one replaced by compacting (shown greyed above their markers). */
  readonly earlier: readonly (readonly ResponseItem[])[];
  /** The conversation's tools: frozen, with any changed list waiting to be applied. */
  readonly tools: ConversationTools;
  /** Step-through mode: the loop pauses before each request and tool call. */
  #stepping = $state(false);
  modelLabel = $state('');
  /** The skills `$name` can mention, as last looked up (`refreshSkills`). */
  skillHints = $state.raw<SkillHint[]>([]);
  sessionId = $state<string>(crypto.randomUUID());
  /**
   * The composer's text, kept here so a fork can hand a message back for editing. A new
   * conversation on the offline demo model starts with the demo's prompt suggested; with a real
   * (paid) model nothing is ever typed for the person.
   */
  draft = $state('');
  readOnly = $state(false);
  /**
   * What Retry sends after a failed turn: `text` when the model never got the message (the
   * agent could not be built), null when it is in history already; null when there is nothing to retry.
   */
  #retry = $state<{ text: string | ContentPart[] | null } | null>(null);
  readonly sandbox: Sandbox;
  readonly root: string;
  readonly settings: Settings;
  #agent: Agent | null = null;
  #modelKey = '';
  #controller: AbortController | null = null;
  /** The workspace when the conversation began, for /diff. */
  #baseline: Promise<Snapshot | null>;
  readonly #modelOptions: CreateModelOptions;
  readonly #recorder: SessionRecorder | undefined;
  readonly #onNew: (() => void) | undefined;
  #history: readonly ResponseItem[];
  /** What the model must be told with the next message (a rewind, reverted files). */
  #notes: string[] = [];
  readonly #manifests: ManifestHistory | undefined;
  readonly #toolSources: ChatSessionOptions['tools'];
  readonly #deltas = new DeltaBatcher((event) => foldEvent(this.entries, event));

  constructor(sandbox: Sandbox, settings: Settings, options: ChatSessionOptions = {}) {
    this.sandbox = sandbox;
    this.settings = settings;
    this.#modelOptions = options.modelOptions ?? {};
    this.#recorder = options.recorder;
    this.#onNew = options.onNew;
    this.#history = options.history ?? [];
    if (options.sessionId) this.sessionId = options.sessionId;
    this.readOnly = options.readOnly ?? false;
    this.earlier = options.earlier ?? [];
    this.replay = new Replay(this);
    this.#toolSources = options.tools;
    this.tools = new ConversationTools(options.tools ?? { mcp: null, webSearch: () => false }, options.view?.toolset ?? null);
    this.#manifests = options.manifests;
    if (options.view && options.view.records > 0) {
      this.entries = entriesFromView(options.view);
      this.#notes = [...options.view.pendingNotes];
      // The session's total is the sum of its stored turns, as it was before the reload.
      for (const entry of this.entries) if (entry.kind === 'turn') this.usage = sumUsage(this.usage, entry.usage);
    } else if (this.#history.length || options.earlier?.length) {
      this.entries = entriesFromHistory(this.#history, options.earlier);
    } else if (settings.usingDemo && !this.readOnly) {
      this.draft = SUGGESTED_PROMPT;
    }
    this.root = sandbox.describe().root;
    this.inspector = new LiveInspector(() => [settings.apiKey], options.view);
    this.#baseline = this.#snapshot();
    if (this.#recorder)
      void fillStoredChanges(
        this.entries.filter((e): e is TurnEntry => e.kind === 'turn'),
        this.#manifests,
        this.#recorder.store,
      );
  }

  /** The conversation as the model sees it. */
  get history(): readonly ResponseItem[] {
    return this.#agent?.history.items ?? this.#history;
  }

  /** Resolves when everything so far is saved. */
  async saved(): Promise<void> {
    await this.#recorder?.idle();
  }

  /** A message, or a slash command (a message with images is always a message). */
  async submit(text: string, images: readonly string[] = []): Promise<void> {
    if (images.length) return this.send(text, images);
    const slash = parseSlash(text);
    if (!slash) return this.send(text);
    if ('unknown' in slash) {
      this.#note(`Unknown command /${slash.unknown}. Type / to see the commands.`);
      return;
    }
    if (this.running && !slash.command.duringTurn) {
      this.#note(`/${slash.command.name} waits until the turn ends: stop it or let it finish.`);
      return;
    }
    await this.#run(slash.command, slash.args);
  }

  /** `images`: data URLs sent after the text as `input_image` parts; a message may be images alone. */
  async send(text: string, images: readonly string[] = []): Promise<void> {
    if (!text.trim() && images.length === 0) return;
    if (this.readOnly) {
      this.#note('This session is read-only here: the notice above says how to continue.');
      return;
    }
    this.replay.stop();
    const input = userInput(text, images);
    const shown = { kind: 'user' as const, text, ...imageFields(images) };
    if (this.running) {
      // Typed during a turn: it joins the turn before its next request.
      this.#agent?.queueInput(input);
      this.entries.push({ ...shown, pending: true });
      return;
    }
    this.entries.push(shown);
    await this.#turn(input);
  }

  /** Looks the skills up again (the composer does so when it gets focus). */
  async refreshSkills(): Promise<void> {
    const found = await discoverSkills({ fs: this.sandbox.fs, cwd: this.root, extra: builtinSkills(this.root) });
    this.skillHints = found.skills.map(({ name, description }) => ({ name, description }));
  }

  /** Whether the last turn failed and nothing was sent since: Retry sends it again. */
  get canRetry(): boolean {
    return this.#retry !== null && !this.running && !this.readOnly;
  }

  /**
   * Sends the failed turn again, as it was: its message is neither shown nor sent a second
   * time (the model answers the history, which has it already).
   */
  async retry(): Promise<void> {
    const retry = this.#retry;
    if (!retry || !this.canRetry) return;
    this.replay.stop();
    if (retry.text !== null) {
      // It was never sent: its entry takes the position it gets now.
      const entry = this.entries.findLast((e) => e.kind === 'user' && e.seq === -1);
      if (entry?.kind === 'user') delete entry.seq;
    }
    await this.#turn(retry.text);
  }

  /** Runs a turn on `text` (or content parts), or (null) on the history as it stands; the user's entry is shown already. */
  async #turn(text: string | ContentPart[] | null): Promise<void> {
    this.#retry = null;
    // The stored session's id doubles as the prompt cache key.
    if (this.#recorder) this.sessionId = this.#recorder.sessionId;
    let agent: Agent;
    try {
      agent = this.#currentAgent();
    } catch (err) {
      const entry = this.entries.findLast((e) => e.kind === 'user');
      if (text !== null && entry?.kind === 'user') entry.seq = -1;
      this.entries.push({ kind: 'error', error: { kind: 'bad_request', message: (err as Error).message } });
      this.#retry = { text };
      return;
    }
    this.running = true;
    this.#controller = new AbortController();
    // A sandbox with a move waiting (WebContainer ready beside the embedded one) makes it now,
    // at the boundary, so the whole turn runs on one backend.
    await this.sandbox.beforeTurn?.().catch(() => undefined);
    const started = Date.now();
    const before = this.#recorder ? this.#recorder.saveWorkspace('auto').then(() => null) : this.#snapshot();
    const beforeManifest = this.#recorder ? before.then(() => this.#recorder!.manifest) : Promise.resolve(null);
    if (this.#notes.length) agent.history.append(developerMessage(...this.#notes.splice(0)));
    // The built-in skills' files, for the model to read; the turn goes on without them if this fails.
    await installBuiltinSkills(this.sandbox.exec, this.root, this.sandbox, this.sandbox.kind);
    // Lesson 6 on the demo model: one request lists the tools in reverse, to show the cost.
    if (this.settings.usingDemo && text === TOOL_ORDER_PROMPT) agent.tools.reverseAt(TOOL_ORDER_REVERSED_REQUEST);
    try {
      const result = await agent.runTurn(text, { signal: this.#controller.signal });
      if (result.reason === 'failed') this.#retry = { text: null };
    } finally {
      this.running = false;
      this.#controller = null;
      await this.#recordChanges(await before, await beforeManifest, Date.now() - started);
    }
  }

  /** Tells the model with the next message (appended then, never edited into what it was sent). */
  noteForModel(text: string): void {
    this.#notes.push(text);
    this.#recorder?.control({ type: NOTE_RECORD, text });
  }

  stop(): void {
    this.#controller?.abort();
  }

  answer(requestId: string, decision: ApprovalDecision): void {
    this.#agent?.respondToApproval(requestId, decision);
  }

  /** Answers a question card (`request_user_input`): per question id, a choice's label or the person's own words. */
  answerQuestion(id: string, answers: UserInputAnswers): void {
    this.#agent?.answerUser(id, answers);
  }

  get stepping(): boolean {
    return this.#stepping;
  }
  set stepping(on: boolean) {
    this.#stepping = on;
    this.#agent?.setStepping(on);
  }

  /** Answers a paused step: do it, or stop the turn. */
  step(id: string, decision: StepDecision): void {
    this.#agent?.resumeStep(id, decision);
  }

  /** Compacts the conversation now (between turns). */
  async compact(): Promise<void> {
    if (this.running || this.readOnly) return;
    // A summary takes the failed turn's message with it: there is nothing left to retry.
    this.#retry = null;
    let agent: Agent;
    try {
      agent = this.#currentAgent();
    } catch (err) {
      this.entries.push({ kind: 'error', error: { kind: 'bad_request', message: (err as Error).message } });
      return;
    }
    if (agent.history.items.length === 0) {
      this.#note('Nothing to compact yet.');
      return;
    }
    this.running = true;
    this.#controller = new AbortController();
    try {
      await agent.compact({ signal: this.#controller.signal });
    } finally {
      this.#deltas.flush();
      this.running = false;
      this.#controller = null;
    }
  }

  /** Clears the view; the model still has the whole conversation. */
  clear(): void {
    this.entries = [];
  }

  /** A fresh conversation on the same workspace. */
  newConversation(): void {
    this.stop();
    this.#agent?.dispose();
    this.#agent = null;
    this.#modelKey = '';
    this.sessionId = crypto.randomUUID();
    this.#history = [];
    this.#retry = null;
    this.entries = [];
    this.usage = { ...EMPTY_USAGE };
    this.#baseline = this.#snapshot();
  }

  dispose(): void {
    this.tools.dispose();
    this.stop();
    this.#agent?.dispose();
  }

  #run(command: SlashCommand, args: string): Promise<void> {
    const chat = this;
    return runCommand(
      {
        get entries() {
          return chat.entries;
        },
        settings: this.settings,
        sandbox: this.sandbox,
        root: this.root,
        sessionId: this.sessionId,
        usage: this.usage,
        tokens: this.tokens,
        tools: this.tools,
        mcp: this.#toolSources?.mcp ?? null,
        onNew: this.#onNew,
        newConversation: () => this.newConversation(),
        clear: () => this.clear(),
        undo: () => this.undo(),
        compact: () => this.compact(),
        send: (text) => this.send(text),
        note: (text) => this.#note(text),
        baseline: () => this.#baseline,
        snapshot: () => this.#snapshot(),
      },
      command,
      args,
    );
  }

  async #recordChanges(before: Snapshot | null, beforeManifest: Manifest | null, ms: number): Promise<void> {
    const summary = this.entries.findLast((e) => e.kind === 'turn');
    if (summary?.kind !== 'turn' || summary.changes) return;
    const recorder = this.#recorder;
    if (!recorder) {
      const after = await this.#snapshot();
      summary.changes = before && after ? diffSnapshots(before, after) : [];
      return;
    }
    const after = await recorder.saveWorkspace('turn');
    summary.ms = ms;
    summary.before = beforeManifest?.n ?? null;
    summary.after = after?.n ?? null;
    summary.at = recorder.control({
      type: TURN_RECORD,
      reason: summary.reason,
      usage: { ...summary.usage },
      ms,
      before: summary.before,
      after: summary.after,
    });
    summary.changes = beforeManifest && after ? await diffManifests(recorder.store, beforeManifest, after) : [];
  }

  /** The changes of the last finished turn that changed files, undone in the workspace. */
  async undo(): Promise<void> {
    const turn = this.entries.findLast((e): e is TurnEntry => e.kind === 'turn' && !!e.changes?.length);
    if (!turn?.changes) {
      this.#note('No turn has changed files yet: nothing to undo.');
      return;
    }
    await this.revert(
      turn,
      turn.changes.map((c) => c.path),
    );
  }

  /** Puts `paths` back as they were before `turn`. */
  async revert(turn: TurnEntry, paths: readonly string[]): Promise<void> {
    if (this.running || this.readOnly) return;
    const { reverted, failed } = await revertFiles(this.sandbox, this.root, turn, paths);
    for (const line of failed) this.#note(line);
    if (reverted.length === 0) return;
    await this.#recorder?.saveWorkspace('revert', true);
    const list = reverted.join(', ');
    this.noteForModel(
      `The user reverted these files to how they were before an earlier turn of yours: ${list}. Read them again before relying on their contents.`,
    );
    this.#note(`Reverted ${list}.`);
  }

  async #snapshot(): Promise<Snapshot | null> {
    try {
      return await this.sandbox.snapshot();
    } catch {
      return null;
    }
  }

  #note(text: string): void {
    this.entries.push({ kind: 'note', text });
  }

  /** The agent for the current settings: rebuilt (keeping history) when the model changes. */
  #currentAgent(): Agent {
    const snapshot = this.settings.snapshot();
    const key = JSON.stringify(snapshot);
    const patch = { ...this.settings.sessionConfigPatch(), cwd: this.root };
    if (this.#agent && key === this.#modelKey) {
      this.#agent.updateConfig(patch);
      this.tools.refresh();
      return this.#agent;
    }
    const model = createModel(snapshot, this.#modelOptions);
    const history = [...this.history];
    this.#agent?.dispose();
    const agent = new Agent({
      model: model.client,
      sandbox: this.sandbox,
      sessionId: this.sessionId,
      history,
      // The settings' capabilities: the model's, less what this server is known to refuse.
      config: defaultConfig({ model: model.model, capabilities: model.capabilities, ...patch }),
      tools: this.tools.tools(),
      skills: { extra: builtinSkills(this.root) },
    });
    agent.on((event) => this.#fold(event));
    agent.setStepping(this.#stepping);
    this.#agent = agent;
    this.tools.attach(agent);
    this.#modelKey = key;
    this.modelLabel = model.label;
    return agent;
  }

  /**
   * Deltas wait for the next frame and are applied together: a fast stream then costs one
   * render per frame, not one per delta. Any other event applies them first, so order holds.
   */
  #fold(event: AgentEvent): void {
    this.inspector.record(event);
    if (isDelta(event)) {
      this.#deltas.push(event);
      return;
    }
    this.#deltas.flush();
    if (event.type === 'item_appended' && this.#recorder) {
      // Entries know their log position: the point a fork or a rewind continues from.
      foldEvent(this.entries, { ...event, index: this.#recorder.append(event.item) });
    } else {
      foldEvent(this.entries, event);
    }
    if (event.type === 'compaction_finished') this.#recorder?.replace(event.history);
    else if (event.type === 'tools_changed') {
      const record = this.tools.changed(event);
      this.#recorder?.control(record);
    } else if (event.type === 'tool_finished' && this.#recorder) {
      this.#recorder.control({
        type: TOOL_RECORD,
        call_id: event.call_id,
        status: event.success ? 'ok' : 'failed',
        ms: event.duration_ms,
        ...(event.exit_code !== undefined ? { exit_code: event.exit_code } : {}),
      });
    } else if (event.type === 'token_status') {
      this.tokens = {
        used: event.used,
        window: event.window,
        auto_compact_at: event.auto_compact_at,
        ...(event.last_usage ? { last_usage: event.last_usage } : {}),
      };
    } else if (event.type === 'request_stats') this.lastRequest = event;
    if (event.type === 'capability_dropped') this.settings.learnUnsupported(event.feature);
    if (event.type === 'compaction_started') this.compacting = true;
    else if (event.type === 'compaction_finished' || event.type === 'compaction_failed') this.compacting = false;
    // Counted per response, so /status is current while a turn runs.
    if (event.type === 'response_completed') this.usage = sumUsage(this.usage, { ...event.usage, requests: 1 });
  }
}
