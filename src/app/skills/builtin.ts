/**
 * The skills the app ships. Their files are written outside the workspace (see `install.ts`),
 * so the model reads them with its commands like any skill, and they never mix with the
 * person's files, snapshots or exports.
 */
import { dirname, joinPath } from '../../core/paths';
import { parseSkill, SKILL_FILE, type Skill } from '../../core/context/skills';

interface BuiltinSkill {
  folder: string;
  text: string;
}

const WRITING_TESTS: BuiltinSkill = {
  folder: 'writing-tests',
  text: `---
name: writing-tests
description: Add or fix automated tests for code in the workspace - pick the runner the project already uses, test behaviour not internals, and run them.
---
# Writing tests

1. Find how the project tests today: look at package.json scripts, existing \`*.test.*\` or \`*.spec.*\` files and config files. Use that runner and style. With none and Node available, use \`node --test\` (no install needed); in the embedded sandbox, write plain assertions run with \`node file.test.js\`.
2. Name each test after the behaviour it checks ("rejects an empty title"), not the function.
3. For each behaviour: one normal case, the edges (empty, one, many, limits), and one failure that should be reported clearly.
4. Keep tests independent: no shared mutable state, no order between them, no real network.
5. Run the tests. A new test for a bug must fail before the fix and pass after it; say so in your answer.
6. Report what you covered and what you did not, in two or three lines.
`,
};

const WEB_PAGE: BuiltinSkill = {
  folder: 'web-page',
  text: `---
name: web-page
description: Build or change a small web page (HTML, CSS, a little JavaScript) that the Preview pane shows live.
---
# A small web page

- Start from \`index.html\` in the folder being served (the workspace root unless the person chose another). The Preview pane shows it as soon as it exists and reloads on every change.
- Keep it to three files at most: \`index.html\`, \`style.css\`, \`script.js\` (a module: \`<script type="module" src="script.js">\`). TypeScript files work too; bare package imports need the WebContainer sandbox.
- Semantic markup first (header, main, nav, button, label), then layout with CSS grid or flexbox, then behaviour.
- Make it readable on a narrow pane: a fluid width, \`max-width\` on text, relative units.
- After each change, read the preview console the next command's output reports; fix every error before you finish.
- Finish by telling the person what to look at in the Preview pane.
`,
};

const EXPLAIN_CODE: BuiltinSkill = {
  folder: 'explain-code',
  text: `---
name: explain-code
description: Explain code in the workspace to a learner - from what it does to how it does it, with small runnable experiments.
---
# Explaining code to a learner

1. Read the code first (and run it when you can). Do not guess from names.
2. Begin with one or two sentences on what it does for its user, before how.
3. Walk through it in the order it runs, quoting only the few lines each step needs, with file and line numbers.
4. Name each idea once in plain words (a loop, a callback, a promise) and say why it is used here.
5. Offer one small experiment the learner can run in the terminal to see a step happen (change a value, add a console.log, run a command), and what they should expect to see.
6. End with two questions the learner could answer to check their understanding. Do not change files unless asked.
`,
};

const BUILTIN: readonly BuiltinSkill[] = [EXPLAIN_CODE, WEB_PAGE, WRITING_TESTS];

/** Where the built-in skills live in a sandbox whose workspace is `root`: beside it, never in it. */
function builtinSkillsRoot(root: string): string {
  return joinPath(dirname(root), '.unroll', 'skills');
}

/** The built-in skills as the engine lists them, at their installed paths. */
export function builtinSkills(root: string): Skill[] {
  const skillsRoot = builtinSkillsRoot(root);
  return BUILTIN.flatMap((skill) => {
    const parsed = parseSkill(skill.text, skill.folder);
    if (typeof parsed === 'string') return [];
    return [{ ...parsed, path: joinPath(skillsRoot, skill.folder, SKILL_FILE), root: skillsRoot, text: skill.text }];
  });
}

/** The files to install: absolute path → text. */
export function builtinSkillFiles(root: string): Map<string, string> {
  const skillsRoot = builtinSkillsRoot(root);
  return new Map(BUILTIN.map((skill) => [joinPath(skillsRoot, skill.folder, SKILL_FILE), skill.text]));
}
