/**
 * A chat's agent, built for the settings in force: the same one while the model connection
 * stays the same (its config refreshed each turn), a new one, the history carried over, when it
 * changes.
 */
import { defaultConfig } from '../core/config';
import { discoverSkills } from '../core/context/skills';
import type { AgentEvent } from '../core/events';
import type { ContentPart, ResponseItem } from '../core/items';
import { Agent } from '../core/loop';
import { TOOL_ORDER_PROMPT, TOOL_ORDER_REVERSED_REQUEST } from '../model/scripted/lessons/tool-order-prompt';
import type { Sandbox } from '../sandbox/sandbox';
import type { ConversationTools } from './conversation-tools.svelte';
import { createModel, type CreateModelOptions } from './model-factory';
import type { Settings } from './settings.svelte';
import type { SkillHint } from './skill-mentions';
import { builtinSkills } from './skills/builtin';
import { installBuiltinSkills } from './skills/install';

export interface ChatAgentParts {
  settings: Settings;
  sandbox: Sandbox;
  /** The workspace root: the agent's cwd. */
  root: string;
  modelOptions: CreateModelOptions;
  tools: ConversationTools;
  /** Every event of every agent built here. */
  onEvent: (event: AgentEvent) => void;
}

export class ChatAgent {
  readonly #parts: ChatAgentParts;
  #agent: Agent | null = null;
  /** The model connection the agent was built for. */
  #key = '';

  constructor(parts: ChatAgentParts) {
    this.#parts = parts;
  }

  /** The agent built last; null before the first turn and after `dispose`. */
  get agent(): Agent | null {
    return this.#agent;
  }

  /**
   * The agent for the current settings; `label` names the model when the agent is a new one.
   * Throws an Error with the reason for the person when the settings make no model.
   */
  current(sessionId: string, history: readonly ResponseItem[], stepping: boolean): { agent: Agent; label?: string } {
    const { settings, sandbox, root, tools } = this.#parts;
    const snapshot = settings.snapshot();
    const key = JSON.stringify(snapshot);
    const patch = { ...settings.sessionConfigPatch(), cwd: root };
    if (this.#agent && key === this.#key) {
      this.#agent.updateConfig(patch);
      tools.refresh();
      return { agent: this.#agent };
    }
    const model = createModel(snapshot, this.#parts.modelOptions);
    const carried = [...history];
    this.#agent?.dispose();
    const agent = new Agent({
      model: model.client,
      sandbox,
      sessionId,
      history: carried,
      // The settings' capabilities: the model's, less what this server is known to refuse.
      config: defaultConfig({ model: model.model, capabilities: model.capabilities, ...patch }),
      tools: tools.tools(),
      skills: { extra: builtinSkills(root) },
    });
    agent.on(this.#parts.onEvent);
    agent.setStepping(stepping);
    this.#agent = agent;
    tools.attach(agent);
    this.#key = key;
    return { agent, label: model.label };
  }

  /**
   * Readies `agent` for a turn on `text`: the built-in skills' files put where the model can
   * read them (the turn goes on without them if that fails), and on the demo model, lesson 6's
   * request that lists the tools in reverse, to show what that costs.
   */
  async prepare(agent: Agent, text: string | ContentPart[] | null): Promise<void> {
    const { sandbox, root, settings } = this.#parts;
    await installBuiltinSkills(sandbox.exec, root, sandbox, sandbox.kind);
    if (settings.usingDemo && text === TOOL_ORDER_PROMPT) agent.tools.reverseAt(TOOL_ORDER_REVERSED_REQUEST);
  }

  /** The skills `$name` can mention, looked up now. */
  async skillHints(): Promise<SkillHint[]> {
    const { sandbox, root } = this.#parts;
    const found = await discoverSkills({ fs: sandbox.fs, cwd: root, extra: builtinSkills(root) });
    return found.skills.map(({ name, description }) => ({ name, description }));
  }

  /** Lets the agent go; the next `current` builds a new one. */
  dispose(): void {
    this.#agent?.dispose();
    this.#agent = null;
    this.#key = '';
  }
}
