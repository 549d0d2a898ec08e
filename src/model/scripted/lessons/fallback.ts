/** The demo model's answer to anything no lesson covers: what it is and how to leave it. */
import { reply } from '../build';
import type { Reply, ScriptContext } from '../types';
import type { LessonInfo } from './index';

/** The reply when no lesson matches: `lessons` is the registry to offer (see `LESSONS`). */
export function fallbackReply(ctx: ScriptContext, lessons: readonly LessonInfo[]): Reply {
  const asked = ctx.lastUserText.trim();
  const quoted = asked.length > 80 ? `${asked.slice(0, 80)}…` : asked;
  const opening = quoted
    ? `I can't really work on "${quoted}": I'm Unroll's **offline demo model**, a script rather than a language model.`
    : "Hi! I'm Unroll's **offline demo model**, a script rather than a language model.";
  const text = [
    opening,
    '',
    'What I can do is show you the agent loop end to end, in a few short lessons. Send one of these prompts:',
    '',
    ...lessons.flatMap((lesson) => [`- **${lesson.title}**: ${lesson.summary}`, `  > ${lesson.prompt}`]),
    '',
    '**To work on real tasks, connect a real model.** In the model settings, enter the base URL of any endpoint that speaks the Responses API and pick a model:',
    '',
    '- OpenAI: `https://api.openai.com/v1` with your API key',
    '- Ollama (0.13.3 or newer, started with `OLLAMA_ORIGINS` allowing this page): `http://localhost:11434/v1`',
    '- LM Studio (0.3.29 or newer, server started with `--cors`): `http://localhost:1234/v1`',
  ].join('\n');
  return [
    reply.reasoning('**Not a lesson prompt**\n\nNothing scripted matches this request, so I explain what the demo model can do.'),
    reply.text(text, { phase: 'final_answer' }),
  ];
}
