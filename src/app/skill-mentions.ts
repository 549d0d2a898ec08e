/** Completing a `$name` skill mention while it is typed at the end of the message. */
export interface SkillHint {
  name: string;
  description: string;
}

/** The skills the `$word` the draft ends with could be, prefix matches first; none when it does not end with one. */
export function completeSkillMention(draft: string, skills: readonly SkillHint[]): SkillHint[] {
  const match = /(?:^|\s)\$([\w.-]*)$/.exec(draft);
  if (!match) return [];
  const typed = match[1]!.toLowerCase();
  const starts = skills.filter((s) => s.name.toLowerCase().startsWith(typed));
  const contains = skills.filter((s) => !s.name.toLowerCase().startsWith(typed) && s.name.toLowerCase().includes(typed));
  const found = [...starts, ...contains];
  // A mention already typed out in full needs no list.
  return found.length === 1 && found[0]!.name.toLowerCase() === typed ? [] : found;
}

/** The draft with its trailing `$word` replaced by the whole mention. */
export function applySkillMention(draft: string, skill: SkillHint): string {
  return draft.replace(/\$[\w.-]*$/, `$${skill.name} `);
}
