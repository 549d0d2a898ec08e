/**
 * A long Markdown answer cut into an exact number of token-sized deltas, and a scripted model
 * that streams it delta for delta (the stock encoder picks its own chunk sizes).
 */
import { reply, ScriptedModel, type Reply, type ScriptedResponse } from '../src/model/scripted/index';
import type { StreamEvent } from '../src/core/ports';

export const END_MARKER = 'END-OF-STREAM';
/** The user message that asks for the long answer; anything else gets a one-line reply. */
export const LONG_PROMPT = 'stream the long answer';

const WORDS = (
  'the agent reads each file in the workspace before it writes a patch and then runs the tests to check ' +
  'that nothing else broke while the model explains what changed and why the change is safe to keep'
).split(' ');

const CODE = [
  'export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {',
  '  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);',
  '  const out: Array<[number, number]> = [];',
  '  for (const [start, end] of sorted) {',
  '    const last = out[out.length - 1];',
  '    if (last && start <= last[1]) last[1] = Math.max(last[1], end);',
  '    else out.push([start, end]);',
  '  }',
  '  return out;',
  '}',
];

/** Section `k` of the answer: a heading, prose with inline marks, two lists and a code block. */
function section(k: number): string {
  const words = (n: number, from: number) => Array.from({ length: n }, (_, i) => WORDS[(from + i) % WORDS.length]).join(' ');
  return [
    `## Step ${k + 1}: ${words(4, k)}`,
    '',
    `${words(30, k)} **${words(3, k + 7)}** and \`fn_${k}()\` ${words(25, k + 3)}.`,
    '',
    ...Array.from({ length: 5 }, (_, i) => `- ${words(6 + i, k + i)} \`item_${i}\``),
    '',
    ...Array.from({ length: 3 }, (_, i) => `${i + 1}. ${words(8, k * 3 + i)}`),
    '',
    '```ts',
    ...CODE.map((line) => line.replace('mergeRanges', `mergeRanges${k}`)),
    '```',
    '',
    `${words(40, k + 11)}.`,
  ].join('\n');
}

/** Splits like a tokenizer stream: each delta is one word with the whitespace before it. */
export function tokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** Markdown text that splits into exactly `count` deltas (≥ 100); the last one is `END_MARKER`. */
export function longAnswer(count: number): { text: string; deltas: string[] } {
  const sections: string[] = [];
  let used = 0;
  // Leave room for the closing paragraph: at least a few filler words and the marker.
  for (let k = 0; ; k++) {
    const next = tokens(`\n\n${section(k)}`).length;
    if (used + next > count - 10) break;
    sections.push(section(k));
    used += k === 0 ? tokens(section(0)).length : next;
  }
  const filler = count - used - 1;
  const closing = `${Array.from({ length: filler }, (_, i) => WORDS[i % WORDS.length]).join(' ')} ${END_MARKER}`;
  const text = [...sections, closing].join('\n\n');
  const deltas = tokens(text);
  if (deltas.length !== count || deltas.join('') !== text) throw new Error(`longAnswer: got ${deltas.length} deltas, wanted ${count}`);
  return { text, deltas };
}

/**
 * Answers `LONG_PROMPT` with `text`, its `response.output_text.delta` events replaced by one
 * per entry of `deltas`; other requests get a short reply.
 */
export class LongAnswerModel extends ScriptedModel {
  readonly #text: string;
  readonly #deltas: readonly string[];

  constructor(answer: { text: string; deltas: readonly string[] }) {
    super((ctx) => (ctx.lastUserText.includes(LONG_PROMPT) ? reply.text(answer.text) : reply.text('ok')));
    this.#text = answer.text;
    this.#deltas = answer.deltas;
  }

  override async respond(body: unknown, options: { reply?: Reply } = {}): Promise<ScriptedResponse> {
    const result = await super.respond(body, options);
    const done = result.events.find((e) => e.type === 'response.output_text.done' && e.text === this.#text);
    if (!done) return result;
    const events: StreamEvent[] = [];
    let replaced = false;
    for (const event of result.events) {
      if (event.type === 'response.output_text.delta' && event.item_id === done.item_id) {
        if (!replaced) for (const delta of this.#deltas) events.push({ ...event, delta });
        replaced = true;
        continue;
      }
      events.push(event);
    }
    events.forEach((event, i) => (event.sequence_number = i));
    return { ...result, events };
  }
}
