/**
 * What a turn adds before the person's message: the opening context when history has none,
 * else messages for what changed since it was stated (permissions, skills, cwd); and after the
 * message, the skills it mentions. Skills are discovered again at each turn's start and kept
 * for the compactions of that turn, which restate the opening context.
 */
import type { ResponseItem } from '../items';
import { contextUpdates, hasContext, initialContext, type ContextOptions } from './index';
import { discoverSkills, mentionMessages, type Skill } from './skills';

export type SkillsOptions = { roots?: readonly string[]; extra?: readonly Skill[] } | false;

export class TurnContext {
  readonly #options: () => Omit<ContextOptions, 'skills'>;
  readonly #skillOptions: SkillsOptions;
  #skills: readonly Skill[] = [];

  /** `options` is read each time: the config may change between turns. */
  constructor(options: () => Omit<ContextOptions, 'skills'>, skills: SkillsOptions = {}) {
    this.#options = options;
    this.#skillOptions = skills;
  }

  /** The messages to append before this turn's input. */
  async before(history: readonly ResponseItem[]): Promise<ResponseItem[]> {
    const options = this.#options();
    if (this.#skillOptions !== false) {
      const { roots = [], extra = [] } = this.#skillOptions;
      this.#skills = (await discoverSkills({ fs: options.sandbox.fs, cwd: options.config.cwd, roots, extra })).skills;
    }
    const withSkills = { ...options, skills: this.#skills };
    return hasContext(history) ? contextUpdates(history, withSkills) : initialContext(withSkills);
  }

  /** The opening context as it stands (a compaction puts it first). */
  initial(): Promise<ResponseItem[]> {
    return initialContext({ ...this.#options(), skills: this.#skills });
  }

  /** The `<skill>` texts for the skills `text` mentions with `$name`. */
  mentions(text: string): Promise<string[]> {
    return mentionMessages(text, this.#skills, this.#options().sandbox.fs);
  }
}
