/**
 * Skills, as Codex has them: a folder holding a `SKILL.md` whose front matter gives a `name`
 * and a `description`, with instructions below and any files beside it. Only each skill's
 * name, description and path enter the prompt (a `<skills_instructions>` section); the model
 * opens a `SKILL.md` with its own tools when a task calls for the skill.
 *
 * Found in `.agents/skills/<skill>/SKILL.md` of every directory from the cwd up to the project
 * root (the nearest ancestor holding `.git`; without one, the cwd only), then in extra roots
 * (the app's built-in skills). A name found twice keeps the one nearest the cwd. Listed sorted
 * by name, so the section's text depends only on what exists. Nothing here throws for
 * filesystem trouble.
 */
import type { SandboxFs } from '../ports';
import { findProjectRoot, readIfFile } from './agents-md';
import { joinPath, pathsBetween, resolvePath } from '../paths';

export const SKILLS_OPEN = '<skills_instructions>';
export const SKILLS_CLOSE = '</skills_instructions>';
export const SKILL_FILE = 'SKILL.md';
const SKILLS_DIR = '.agents/skills';
/** The skill lines of the section share this many characters; the rest are counted, not listed. */
const SKILLS_BUDGET = 8000;
const MAX_NAME = 64;
const MAX_DESCRIPTION = 1024;

export interface Skill {
  name: string;
  description: string;
  /** Absolute path of its SKILL.md. */
  path: string;
  /** The skills folder it was found in (`…/.agents/skills`, or a built-in root). */
  root: string;
  /** The SKILL.md text, for skills not read through the sandbox's file API (built-in ones). */
  text?: string;
}

export interface SkillProblem {
  path: string;
  message: string;
}

export interface SkillsFound {
  skills: Skill[];
  /** SKILL.md files that could not be used, and why (shown by `/skills`). */
  problems: SkillProblem[];
}

export interface SkillsOptions {
  fs: SandboxFs;
  cwd: string;
  /** Further skills folders, searched after the project's. */
  roots?: readonly string[];
  /**
   * Skills known without reading them through `fs` (the app's built-in skills, whose files it
   * installs outside the workspace for the model's commands to read); they come last.
   */
  extra?: readonly Skill[];
}

export async function discoverSkills(options: SkillsOptions): Promise<SkillsFound> {
  const { fs } = options;
  const cwd = resolvePath('/', options.cwd);
  const projectRoot = (await findProjectRoot(fs, cwd)) ?? cwd;
  const folders = pathsBetween(projectRoot, cwd)
    .reverse()
    .map((dir) => joinPath(dir, SKILLS_DIR));
  const byName = new Map<string, Skill>();
  const problems: SkillProblem[] = [];
  for (const root of [...folders, ...(options.roots ?? [])]) {
    for (const entry of await listDir(fs, root)) {
      const path = joinPath(root, entry, SKILL_FILE);
      const text = await readIfFile(fs, path);
      if (text === null) continue;
      const parsed = parseSkill(text, entry);
      if (typeof parsed === 'string') {
        problems.push({ path, message: parsed });
        continue;
      }
      if (!byName.has(parsed.name)) byName.set(parsed.name, { ...parsed, path, root });
    }
  }
  for (const skill of options.extra ?? []) if (!byName.has(skill.name)) byName.set(skill.name, skill);
  const skills = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { skills, problems };
}

/** A SKILL.md's name and description, or what is wrong with it. */
export function parseSkill(text: string, folder: string): { name: string; description: string } | string {
  const front = frontMatter(text);
  if (!front) return 'no front matter: start the file with a --- block giving name and description';
  const name = (front.name ?? folder).trim();
  const description = (front.description ?? '').replace(/\s+/g, ' ').trim();
  if (!name) return 'the front matter has no name';
  if (name.length > MAX_NAME || /[\s`]/.test(name)) return `the name "${name.slice(0, MAX_NAME)}" must be one word of at most ${MAX_NAME} characters`;
  if (!description) return 'the front matter has no description';
  return { name, description: description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description };
}

/** The body of a SKILL.md: what follows the front matter. */
export function skillBody(text: string): string {
  const match = /^\uFEFF?---\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return (match ? text.slice(match[0].length) : text).trim();
}

/**
 * `key: value` lines between the opening `---` lines. Values may be quoted; `>` and `|` take
 * the indented lines below. Enough YAML for a skill's name and description.
 */
function frontMatter(text: string): Record<string, string> | null {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return null;
  const out: Record<string, string> = {};
  const lines = match[1]!.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const pair = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(lines[i]!);
    if (!pair) continue;
    let value = pair[2]!.trim();
    if (value === '>' || value === '|' || value === '>-' || value === '|-') {
      const block: string[] = [];
      while (i + 1 < lines.length && /^(\s+\S|\s*$)/.test(lines[i + 1]!)) block.push(lines[++i]!.trim());
      value = block.join(value.startsWith('>') ? ' ' : '\n').trim();
    } else if (/^(["']).*\1$/.test(value) && value.length >= 2) {
      value = value.slice(1, -1);
    }
    out[pair[1]!] = value;
  }
  return out;
}

/**
 * The `<skills_instructions>` section (REFERENCE §2a), or '' when there are no skills. Roots are
 * named `r0`, `r1`, … in the order their first skill appears, and each skill's file is given
 * from its root, so long paths are written once.
 */
export function skillsText(skills: readonly Skill[], budget = SKILLS_BUDGET): string {
  if (skills.length === 0) return '';
  const roots: string[] = [];
  const lines: string[] = [];
  let used = 0;
  let left = 0;
  for (const skill of skills) {
    let id = roots.indexOf(skill.root);
    const file = skill.path.startsWith(`${skill.root}/`) ? skill.path.slice(skill.root.length + 1) : skill.path;
    const line = `- ${skill.name}: ${skill.description} (file: r${id < 0 ? roots.length : id}/${file})`;
    if (used + line.length > budget) {
      left++;
      continue;
    }
    if (id < 0) roots.push(skill.root);
    used += line.length;
    lines.push(line);
  }
  if (left > 0) lines.push(`- (${left} more skill${left === 1 ? '' : 's'} not listed: the list is full)`);
  return [
    SKILLS_OPEN,
    '## Skills',
    'A skill is a set of instructions for a kind of task, kept in a `SKILL.md` file with any files it uses beside it. ' +
      "The skills available here are listed below by name, description and file. When a task matches a skill's " +
      'description, or the user names one (as `$name`), open its `SKILL.md` with your tools and follow it; read the ' +
      "files it points to only as you need them, relative to the skill's folder. Do not open skills the task does not need.",
    '### Skill roots',
    ...roots.map((root, i) => `- \`r${i}\` = \`${root}\``),
    '### Available skills',
    ...lines,
    SKILLS_CLOSE,
  ].join('\n');
}

/** Whether a message part is a skills section. */
export function isSkillsText(text: string): boolean {
  return text.startsWith(SKILLS_OPEN);
}

export const SKILL_OPEN = '<skill>';

/** The user-context message that hands the model a skill the person mentioned with `$name`. */
function skillMentionText(skill: Skill, body: string): string {
  return `${SKILL_OPEN}\n<name>${skill.name}</name>\n<path>${skill.path}</path>\n${body}\n</skill>`;
}

/**
 * The messages that hand the model each skill `text` mentions (`$name`): the SKILL.md body,
 * read now. A skill whose file cannot be read is left out (the model still has its path).
 */
export async function mentionMessages(text: string, skills: readonly Skill[], fs: SandboxFs): Promise<string[]> {
  const out: string[] = [];
  for (const skill of mentionedSkills(text, skills)) {
    const file = skill.text ?? (await readIfFile(fs, skill.path));
    if (file !== null) out.push(skillMentionText(skill, skillBody(file)));
  }
  return out;
}

/** The distinct `$name` mentions in `text` that name one of `skills`, in order of appearance. */
export function mentionedSkills(text: string, skills: readonly Skill[]): Skill[] {
  const byName = new Map(skills.map((s) => [s.name, s]));
  const out: Skill[] = [];
  for (const match of text.matchAll(/(^|[^\w$])\$([A-Za-z0-9][\w.-]*)/g)) {
    const name = match[2]!.replace(/[.]+$/, '');
    const skill = byName.get(name);
    if (skill && !out.includes(skill)) out.push(skill);
  }
  return out;
}

async function listDir(fs: SandboxFs, path: string): Promise<string[]> {
  try {
    const stat = await fs.stat(path);
    if (!stat?.isDirectory) return [];
    return (await fs.readdir(path)).sort();
  } catch {
    return [];
  }
}
