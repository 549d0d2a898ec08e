/**
 * The prompts a demo reply suggests, so the chat can offer them as buttons: the lesson prompts
 * it quotes and the slash commands it spells out in code (`/compact`), each once, in the order
 * the reply first mentions them.
 */
import { parseSlash } from './slash-commands';

export function suggestedPrompts(text: string, known: readonly string[]): string[] {
  const found: { prompt: string; at: number }[] = [];
  for (const prompt of known) {
    const at = text.indexOf(prompt);
    if (at >= 0) found.push({ prompt, at });
  }
  for (const match of text.matchAll(/`(\/[a-z][\w-]*(?: [\w-]+)?)`/g)) {
    const parsed = parseSlash(match[1]!);
    if (parsed && 'command' in parsed) found.push({ prompt: match[1]!, at: match.index });
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.prompt))];
}
