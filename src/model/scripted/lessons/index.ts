/** The offline demo model's lessons, and the script that routes a prompt to one of them. */
import type { Script } from '../types';
import { fallbackDemo } from './fallback';
import { helloLesson } from './hello';

export { fallbackDemo } from './fallback';
export { HELLO_PROMPT, helloLesson, looksFailed, commandOutput } from './hello';

export const lessons: Readonly<Record<string, Script>> = { hello: helloLesson };

/** Prompts that start the hello lesson; decided per turn from the user's last message. */
export function isHelloPrompt(text: string): boolean {
  return /\b(hello|demo|tour|lesson)\b/i.test(text);
}

/** The offline demo model: the hello lesson for matching prompts, an explanation otherwise. */
export const demoScript: Script = (ctx) => (isHelloPrompt(ctx.lastUserText) ? helloLesson(ctx) : fallbackDemo(ctx));
