/**
 * One conversation on the active sandbox, with the model chosen in Settings, folded into
 * reactive state for the chat pane. Approvals wait in the transcript for the user's answer;
 * each turn ends with what it cost and which files it changed. Its parts: the agent
 * (chat-agent.ts), what is written of it (chat-recording.ts, through the session's recorder),
 * slash commands (chat-slash.ts), undo and revert (chat-revert.ts), the meters (chat-meters.ts).
 */
import { EMPTY_USAGE, sumUsage } from '../core/usage-total';
import type { AgentEvent, ApprovalDecision, StepDecision, TurnUsage } from '../core/events';
import type { TokenStatus } from '../core/tokens';
import type { Agent } from '../core/loop';
import type { Sandbox } from '../sandbox/sandbox';
import type { Snapshot } from '../sandbox/snapshot';
import { developerMessage, type ContentPart, type ResponseItem } from '../core/items';
import type { UserInputAnswers } from '../core/tools/request-user-input';
import { NOTE_RECORD } from '../store/log-records';
import { foldEvent, type Entry, type TurnEntry } from './chat-entries';
import { ChatAgent } from './chat-agent';
import { ChatRecording } from './chat-recording';
import { DeltaBatcher, isDelta } from './delta-batch';
import { entriesFromHistory, entriesFromView } from './history-entries';
import { imageFields, userInput } from './image-entries';
import { LiveInspector } from './inspector/live.svelte';
import { Replay } from './replay-view.svelte';
import type { Settings } from './settings.svelte';
import { runSlash, type SlashExtras } from './chat-slash';
import { foldMeters } from './chat-meters';
import { lastChangingTurn, revertTurn } from './chat-revert';
import { SUGGESTED_PROMPT, type ChatSessionOptions, type RequestStats } from './chat-options';
import { ConversationTools } from './conversation-tools.svelte';
import type { SkillHint } from './skill-mentions';

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
  readonly #agents: ChatAgent;
  #controller: AbortController | null = null;
  /** The turn or compaction under way, until it has ended and recorded its end. */
  #work: Promise<unknown> | null = null;
  /** The workspace when the conversation began, for /diff. */
  #baseline: Promise<Snapshot | null>;
  /** Where everything this chat keeps is written: the session's recorder, or nowhere. */
  readonly #recording: ChatRecording;
  readonly #onNew: (() => void) | undefined;
  #history: readonly ResponseItem[];
  /** What the model must be told with the next message (a rewind, reverted files). */
  #notes: string[] = [];
  readonly #toolSources: ChatSessionOptions['tools'];
  readonly #deltas = new DeltaBatcher((event) => foldEvent(this.entries, event));

  constructor(sandbox: Sandbox, settings: Settings, options: ChatSessionOptions = {}) {
    this.sandbox = sandbox;
    this.settings = settings;
    this.#recording = new ChatRecording(sandbox, options.recorder);
    this.#onNew = options.onNew;
    this.#history = options.history ?? [];
    if (options.sessionId) this.sessionId = options.sessionId;
    this.readOnly = options.readOnly ?? false;
    this.earlier = options.earlier ?? [];
    this.replay = new Replay(this);
    this.#toolSources = options.tools;
    this.tools = new ConversationTools(options.tools ?? { mcp: null, webSearch: () => false }, options.view?.toolset ?? null);
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
    this.#agents = new ChatAgent({
      settings,
      sandbox,
      root: this.root,
      modelOptions: options.modelOptions ?? {},
      tools: this.tools,
      onEvent: (event) => this.#fold(event),
    });
    this.#baseline = this.#recording.snapshot();
    this.#recording.fillChanges(
      this.entries.filter((e): e is TurnEntry => e.kind === 'turn'),
      options.manifests,
    );
  }

  /** The conversation as the model sees it. */
  get history(): readonly ResponseItem[] {
    return this.#agents.agent?.history.items ?? this.#history;
  }

  /** Resolves when everything so far is saved. */
  async saved(): Promise<void> {
    await this.#recording.idle();
  }

  /**
   * Stops the turn or compaction under way and resolves once it has ended and everything it
   * wrote is saved: after this the chat writes nothing more unless asked to (its session is
   * being left). Never rejects.
   */
  async settle(): Promise<void> {
    this.stop();
    await this.#work?.catch(() => undefined);
    await this.#recording.idle();
  }

  /** A message, or a slash command (a message with images is always a message). */
  async submit(text: string, images: readonly string[] = []): Promise<void> {
    const command = images.length ? null : runSlash(this, this.#slashExtras(), text);
    await (command ?? this.send(text, images));
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
      this.#agents.agent?.queueInput(input);
      this.entries.push({ ...shown, pending: true });
      return;
    }
    this.entries.push(shown);
    await this.#turn(input);
  }

  /** Looks the skills up again (the composer does so when it gets focus). */
  async refreshSkills(): Promise<void> {
    this.skillHints = await this.#agents.skillHints();
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
    this.sessionId = this.#recording.sessionId ?? this.sessionId;
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
    await this.#working(this.#runTurn(agent, text, this.#controller.signal));
  }

  async #runTurn(agent: Agent, text: string | ContentPart[] | null, signal: AbortSignal): Promise<void> {
    // A sandbox with a move waiting (WebContainer ready beside the embedded one) makes it now,
    // at the boundary, so the whole turn runs on one backend.
    await this.sandbox.beforeTurn?.().catch(() => undefined);
    const started = Date.now();
    const start = this.#recording.turnStarted();
    if (this.#notes.length) agent.history.append(developerMessage(...this.#notes.splice(0)));
    await this.#agents.prepare(agent, text);
    try {
      const result = await agent.runTurn(text, { signal });
      if (result.reason === 'failed') this.#retry = { text: null };
    } finally {
      this.running = false;
      this.#controller = null;
      const summary = this.entries.findLast((e): e is TurnEntry => e.kind === 'turn');
      await this.#recording.turnEnded(summary, start, Date.now() - started);
    }
  }

  /** Runs `work` as the turn or compaction under way (see `settle`). */
  async #working(work: Promise<void>): Promise<void> {
    this.#work = work;
    try {
      await work;
    } finally {
      if (this.#work === work) this.#work = null;
    }
  }

  /** Tells the model with the next message (appended then, never edited into what it was sent). */
  noteForModel(text: string): void {
    this.#notes.push(text);
    this.#recording.control({ type: NOTE_RECORD, text });
  }

  stop(): void {
    this.#controller?.abort();
  }

  answer(requestId: string, decision: ApprovalDecision): void {
    this.#agents.agent?.respondToApproval(requestId, decision);
  }

  /** Answers a question card (`request_user_input`): per question id, a choice's label or the person's own words. */
  answerQuestion(id: string, answers: UserInputAnswers): void {
    this.#agents.agent?.answerUser(id, answers);
  }

  get stepping(): boolean {
    return this.#stepping;
  }
  set stepping(on: boolean) {
    this.#stepping = on;
    this.#agents.agent?.setStepping(on);
  }

  /** Answers a paused step: do it, or stop the turn. */
  step(id: string, decision: StepDecision): void {
    this.#agents.agent?.resumeStep(id, decision);
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
    const compaction = agent.compact({ signal: this.#controller.signal }).finally(() => {
      this.#deltas.flush();
      this.running = false;
      this.#controller = null;
    });
    await this.#working(compaction.then(() => undefined));
  }

  /** Clears the view; the model still has the whole conversation. */
  clear(): void {
    this.entries = [];
  }

  /** A fresh conversation on the same workspace. */
  newConversation(): void {
    this.stop();
    this.#agents.dispose();
    this.sessionId = crypto.randomUUID();
    this.#history = [];
    this.#retry = null;
    this.entries = [];
    this.usage = { ...EMPTY_USAGE };
    this.#baseline = this.#recording.snapshot();
  }

  dispose(): void {
    this.tools.dispose();
    this.stop();
    this.#agents.dispose();
  }

  /** What the slash commands may use beyond the chat's public face. */
  #slashExtras(): SlashExtras {
    return {
      mcp: this.#toolSources?.mcp ?? null,
      onNew: this.#onNew,
      note: (text) => this.#note(text),
      baseline: () => this.#baseline,
      snapshot: () => this.#recording.snapshot(),
    };
  }

  /** The changes of the last finished turn that changed files, undone in the workspace. */
  async undo(): Promise<void> {
    const turn = lastChangingTurn(this.entries);
    if (!turn) this.#note('No turn has changed files yet: nothing to undo.');
    else
      await this.revert(
        turn,
        turn.changes.map((c) => c.path),
      );
  }

  /** Puts `paths` back as they were before `turn`. */
  async revert(turn: TurnEntry, paths: readonly string[]): Promise<void> {
    if (this.running || this.readOnly) return;
    const note = (text: string) => this.#note(text);
    await revertTurn(
      { sandbox: this.sandbox, root: this.root, recording: this.#recording, note, noteForModel: (text) => this.noteForModel(text) },
      turn,
      paths,
    );
  }

  #note(text: string): void {
    this.entries.push({ kind: 'note', text });
  }

  /** The agent for the current settings (see ChatAgent); throws when they make no model. */
  #currentAgent(): Agent {
    const { agent, label } = this.#agents.current(this.sessionId, this.history, this.#stepping);
    if (label !== undefined) this.modelLabel = label;
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
    const at = this.#recording.event(event);
    // Entries know their log position: the point a fork or a rewind continues from.
    if (event.type === 'item_appended' && at !== undefined) foldEvent(this.entries, { ...event, index: at });
    else foldEvent(this.entries, event);
    if (event.type === 'tools_changed') this.#recording.control(this.tools.changed(event));
    if (event.type === 'capability_dropped') this.settings.learnUnsupported(event.feature);
    foldMeters(this, event);
  }
}
