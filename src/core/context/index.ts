/**
 * The context prefix that opens a session (developer + user messages) and the messages that
 * report later changes of it. Both are appended to history, never edited in place.
 */
import type { ApprovalPolicy, SandboxMode, SessionConfig } from '../config';
import { isOtherItem, type ContentPart, type MessageItem, type ResponseItem } from '../items';
import type { Clock, SandboxPort } from '../ports';
import { AGENTS_DOCS_PREFIX, agentsDocsText, discoverAgentsDocs, type AgentsDocsOptions } from './agents-md';
import { BASE_INSTRUCTIONS } from './base-instructions';
import { ENVIRONMENT_OPEN, environmentContext, readEnvironmentCwd } from './environment';
import { permissionsText, readPermissions, readSandboxStatement, sandboxStatement } from './permissions';
import { SUMMARY_OPEN } from './summary';
import { isToolImagesMessage, TOOL_IMAGES_OPEN } from '../tools/dispatch';
import { isSkillsText, SKILL_OPEN, SKILLS_CLOSE, SKILLS_OPEN, skillsText, type Skill } from './skills';

export interface ContextOptions {
  config: SessionConfig;
  sandbox: SandboxPort;
  clock: Clock;
  baseInstructions?: string;
  agentsDocs?: Pick<AgentsDocsOptions, 'configHome' | 'fallbackNames' | 'budget'>;
  /** The skills found for this turn (see `discoverSkills`); none when absent. */
  skills?: readonly Skill[];
}

/**
 * The three messages that start every session's input, laid out as Codex lays them out
 * (REFERENCE §2a): the base instructions alone in a developer message; a second developer
 * message with the skills section (when there are skills), the permissions and the person's
 * developer instructions; then the user context message (AGENTS.md docs, environment).
 */
export async function initialContext(options: ContextOptions): Promise<MessageItem[]> {
  const { config, sandbox } = options;
  const skills = skillsText(options.skills ?? []);
  const developer: string[] = [...(skills ? [skills] : []), permissionsText(config.sandboxMode, config.approvalPolicy, sandbox.describe())];
  if (config.developerInstructions?.trim()) developer.push(config.developerInstructions.trim());

  const user: string[] = [];
  const docs = await discoverAgentsDocs({ fs: sandbox.fs, cwd: config.cwd, ...options.agentsDocs });
  if (docs.text) user.push(agentsDocsText(config.cwd, docs.text));
  user.push(environmentText(options));

  return [message('developer', [options.baseInstructions ?? BASE_INSTRUCTIONS]), message('developer', developer), message('user', user)];
}

/**
 * Messages announcing what differs from the context last stated in `history` (the latest
 * statement wins, scanning from the end): a developer permissions message when mode or policy
 * differ or the session moved to another sandbox (as Codex restates permissions when its
 * sandbox changes), a developer skills message when the skills differ from the last list
 * stated, then a user environment message when the cwd differs. A statement missing from
 * history counts as different, so the result always brings history up to date; appending it
 * makes the next call return [].
 */
export function contextUpdates(history: readonly ResponseItem[], options: ContextOptions): MessageItem[] {
  const { config, sandbox } = options;
  const recorded = readRecordedContext(history);
  const out: MessageItem[] = [];
  const movedSandbox = recorded.sandbox !== null && recorded.sandbox !== sandboxStatement(sandbox.describe());
  if (recorded.permissions?.mode !== config.sandboxMode || recorded.permissions.policy !== config.approvalPolicy || movedSandbox) {
    out.push(message('developer', [permissionsText(config.sandboxMode, config.approvalPolicy, sandbox.describe())]));
  }
  const skills = skillsText(options.skills ?? []);
  if (skills !== (recorded.skills ?? '')) out.push(message('developer', [skills || NO_SKILLS_TEXT]));
  if (recorded.cwd !== config.cwd) {
    out.push(message('user', [environmentText(options)]));
  }
  return out;
}

/** Whether history already carries the opening context (a permissions statement). */
export function hasContext(history: readonly ResponseItem[]): boolean {
  return readRecordedContext(history).permissions !== null;
}

export interface RecordedContext {
  permissions: { mode: SandboxMode; policy: ApprovalPolicy } | null;
  /** The sandbox lines of that same permissions statement (where the workspace is, what the sandbox has). */
  sandbox: string | null;
  cwd: string | null;
  /** The last skills section stated ('' once a statement said there are none); null if none was. */
  skills: string | null;
}

/**
 * The latest permissions (from developer messages) and cwd (from user environment messages)
 * stated in history. Scans from the end and stops once both are found, so a long history
 * costs only as far back as the last statements.
 */
export function readRecordedContext(history: readonly ResponseItem[]): RecordedContext {
  let permissions: RecordedContext['permissions'] = null;
  let sandbox: string | null = null;
  let cwd: string | null = null;
  let skills: string | null = null;
  for (let i = history.length - 1; i >= 0 && (permissions === null || cwd === null || skills === null); i--) {
    const item = history[i];
    if (item?.type !== 'message' || isOtherItem(item)) continue;
    // Parts in order: the engine puts a permissions part before any developer instructions,
    // so text the person supplied there cannot pass for the engine's statement.
    for (const part of item.content) {
      if (part.type !== 'input_text') continue;
      if (skills === null && item.role === 'developer' && isSkillsText(part.text)) skills = part.text === NO_SKILLS_TEXT ? '' : part.text;
      if (permissions === null && item.role === 'developer') {
        permissions = readPermissions(part.text);
        if (permissions) sandbox = readSandboxStatement(part.text);
      }
      if (cwd === null && item.role === 'user') cwd = readEnvironmentCwd(part.text);
    }
  }
  return { permissions, sandbox, cwd, skills };
}

/** What a skills message says once every skill listed before is gone. */
const NO_SKILLS_TEXT = `${SKILLS_OPEN}\n## Skills\nNo skills are available any more; the ones listed earlier are gone.\n${SKILLS_CLOSE}`;

/**
 * How engine-made user messages begin: AGENTS.md docs, environment, interrupt notice,
 * compaction hand-off note, images a tool returned, a skill the person mentioned.
 */
const CONTEXT_PREFIXES = [AGENTS_DOCS_PREFIX, ENVIRONMENT_OPEN, '<turn_aborted>', SUMMARY_OPEN, TOOL_IMAGES_OPEN, SKILL_OPEN];
/** The user messages of the opening context (restated, not kept, by a compaction). */
const PREFIX_CONTEXT = [AGENTS_DOCS_PREFIX, ENVIRONMENT_OPEN];

/**
 * Whether a message is engine-made context rather than something the user typed: every
 * developer or system message, and user messages whose first part starts like one of ours.
 */
export function isContextMessage(item: ResponseItem): boolean {
  if (item.type !== 'message') return false;
  if (item.role === 'developer' || item.role === 'system') return true;
  // A user message kept verbatim is not one of ours (the engine's are well-formed).
  if (item.role !== 'user' || isOtherItem(item)) return false;
  const first = item.content[0];
  return first?.type === 'input_text' && CONTEXT_PREFIXES.some((prefix) => first.text.startsWith(prefix));
}

/**
 * Whether a message belongs to the context prefix that `initialContext` restates: developer
 * and system messages, AGENTS.md and environment messages. A compaction drops these from the
 * items it keeps and puts a fresh prefix first.
 */
export function isPrefixContext(item: ResponseItem): boolean {
  if (item.type !== 'message') return false;
  if (item.role === 'developer' || item.role === 'system') return true;
  if (item.role !== 'user' || isOtherItem(item)) return false;
  const first = item.content[0];
  return first?.type === 'input_text' && PREFIX_CONTEXT.some((prefix) => first.text.startsWith(prefix));
}

function environmentText({ config, sandbox, clock }: ContextOptions): string {
  return environmentContext({ cwd: config.cwd, shell: sandbox.describe().shell, now: clock.now(), timezone: config.timezone });
}

function message(role: 'developer' | 'user', texts: string[]): MessageItem {
  const content: ContentPart[] = texts.map((text) => ({ type: 'input_text', text }));
  return { type: 'message', role, content };
}

/**
 * Whether a message would instruct the model without the chat showing it, so a session that
 * leaves this browser (an export, a link) goes without it: the opening context, a skill handed
 * over with `$name`, and anything that starts like a tool's images but is not exactly one.
 */
export function isUnshownInstruction(item: ResponseItem): boolean {
  if (isPrefixContext(item)) return true;
  if (item.type !== 'message' || item.role !== 'user' || isOtherItem(item)) return false;
  const first = item.content[0];
  if (first?.type !== 'input_text') return false;
  if (first.text.startsWith(SKILL_OPEN)) return true;
  return first.text.startsWith(TOOL_IMAGES_OPEN) && !isToolImagesMessage(item);
}
