/**
 * Images and questions in the chat, through the real loop (ChatSession → Agent → the scripted
 * model behind `fetch`, the embedded sandbox): a message with images reaches the model as
 * `input_image` parts and shows its thumbnails; a tool's images show on its card, not as a
 * message; `request_user_input` is a card answered through `answerQuestion`, or cancelled by
 * Stop. A reload (entries rebuilt from history) shows the same.
 */
import { describe, expect, it } from 'vitest';
import type { Entry, QuestionEntry, ToolEntry } from '../../../src/app/chat-entries';
import { entriesFromHistory } from '../../../src/app/history-entries';
import type { ResponseItem } from '../../../src/core/items';
import { reply } from '../../../src/model/scripted/index';
import type { Script } from '../../../src/model/scripted/types';
import { scriptedChat } from '../../support/chat-fixtures';

const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) =>
  c.charCodeAt(0),
);
const DOT = `data:image/png;base64,${btoa(String.fromCharCode(...PNG))}`;
const QUESTIONS = [
  {
    id: 'db',
    header: 'Database',
    question: 'Which database should the app use?',
    options: [
      { label: 'Postgres', description: 'A server; best for many users.' },
      { label: 'SQLite', description: 'A file; simplest to start.' },
    ],
  },
];

/** The scripted model answers: `ask` → a question, `look` → view_image, anything else → what it got. */
const script: Script = (ctx) => {
  const answered = ctx.input.some((item) => item.type === 'function_call_output');
  if (/ask/.test(ctx.lastUserText) && !answered) return reply.call('request_user_input', { questions: QUESTIONS });
  if (/look/.test(ctx.lastUserText) && !answered) return reply.call('view_image', { path: 'dot.png' });
  return reply.text(`Done: ${ctx.lastToolOutput ?? ctx.lastUserText}`);
};

const open = () => scriptedChat(script);

async function until<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('timed out');
}

const openQuestion = (entries: Entry[]) => entries.find((e): e is QuestionEntry => e.kind === 'question' && e.state === 'open');
const outputs = (items: readonly ResponseItem[]) => items.flatMap((item) => (item.type === 'function_call_output' ? [item.output] : []));
const withoutSeq = (entries: Entry[]) => entries.map((e) => ('seq' in e ? { ...e, seq: undefined } : e));

describe('images in messages', () => {
  it('sends text and images as input_text and input_image parts, and shows the thumbnails', async () => {
    const { chat, inputs } = open();
    await chat.submit('what is this?', [DOT, DOT]);
    const sent = inputs[0]!.at(-1)!;
    expect(sent).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'what is this?' },
        { type: 'input_image', image_url: DOT },
        { type: 'input_image', image_url: DOT },
      ],
    });
    expect(chat.entries[0]).toMatchObject({ kind: 'user', text: 'what is this?', images: [DOT, DOT] });
    expect(chat.entries.find((e) => e.kind === 'assistant')).toMatchObject({ text: 'Done: what is this?' });
  });

  it('sends an image alone (no text part), and a slash command with images goes as a message', async () => {
    const { chat, inputs } = open();
    await chat.submit('', [DOT]);
    expect(inputs[0]!.at(-1)).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_image', image_url: DOT }] });
    await chat.submit('/status', [DOT]);
    expect(chat.entries.filter((e) => e.kind === 'status')).toEqual([]);
    expect(inputs).toHaveLength(2);
    expect(chat.entries.filter((e) => e.kind === 'user').map((e) => e.kind === 'user' && e.images)).toEqual([[DOT], [DOT]]);
  });

  it('queues a message with images during a turn; it joins the turn with its images', async () => {
    const { chat, inputs } = open();
    const turn = chat.submit('ask me');
    const question = await until(() => openQuestion(chat.entries));
    await chat.send('and this', [DOT]);
    expect(chat.entries.at(-1)).toMatchObject({ kind: 'user', text: 'and this', images: [DOT], pending: true });
    chat.answerQuestion(question.id!, { db: 'SQLite' });
    await turn;
    const queued = inputs.at(-1)!.at(-1);
    expect(queued).toEqual({
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'and this' },
        { type: 'input_image', image_url: DOT },
      ],
    });
    expect(chat.entries.find((e) => e.kind === 'user' && e.text === 'and this')).not.toHaveProperty('pending');
  });
});

describe('images a tool returned', () => {
  it('show on the call’s card, not as a message, live and after a reload', async () => {
    const { chat, sandbox, inputs } = open();
    await sandbox.fs.writeFile('/workspace/dot.png', PNG);
    await chat.submit('look at dot.png');
    const card = chat.entries.find((e): e is ToolEntry => e.kind === 'tool' && e.name === 'view_image')!;
    expect(card.status).toBe('ok');
    expect(card.images).toEqual([DOT]);
    expect(chat.entries.filter((e) => e.kind === 'user')).toHaveLength(1);
    // The model saw the image as a message after the call's output.
    const last = inputs.at(-1)!;
    expect(last.at(-1)).toMatchObject({
      role: 'user',
      content: [
        { type: 'input_text', text: expect.stringMatching(/^<tool_images call_id="[^"]+" tool="view_image">/) },
        { type: 'input_image', image_url: DOT },
      ],
    });

    const restored = entriesFromHistory(chat.history);
    expect(restored.find((e) => e.kind === 'tool')).toMatchObject({ name: 'view_image', status: 'ok', images: [DOT] });
    expect(restored.filter((e) => e.kind === 'user' || e.kind === 'tool_images')).toHaveLength(1);
  });
});

describe('request_user_input', () => {
  it('is a card; answering it sends the answer JSON as the call’s output, and a reload shows the answer', async () => {
    const { chat } = open();
    const turn = chat.submit('ask me');
    const question = await until(() => openQuestion(chat.entries));
    expect(question).toMatchObject({ questions: QUESTIONS, id: expect.any(String) });
    expect(chat.entries.filter((e) => e.kind === 'tool')).toEqual([]);
    chat.answerQuestion(question.id!, { db: 'Postgres' });
    await turn;
    expect(outputs(chat.history)).toEqual(['{"answers":{"db":{"answers":["Postgres"]}}}']);
    expect(chat.entries.find((e) => e.kind === 'question')).toMatchObject({ state: 'answered', answers: { db: 'Postgres' } });
    expect(chat.entries.find((e) => e.kind === 'assistant')).toMatchObject({ text: expect.stringContaining('Postgres') });

    const restored = entriesFromHistory(chat.history).find((e) => e.kind === 'question');
    expect(restored).toEqual({ kind: 'question', callId: question.callId, questions: QUESTIONS, state: 'answered', answers: { db: 'Postgres' } });
  });

  it('Stop cancels it: the output is "aborted by user", the card says so, live and after a reload', async () => {
    const { chat } = open();
    const turn = chat.submit('ask me');
    await until(() => openQuestion(chat.entries));
    chat.stop();
    await turn;
    expect(outputs(chat.history)).toEqual(['aborted by user']);
    expect(chat.entries.find((e) => e.kind === 'question')).toMatchObject({ state: 'cancelled' });
    expect(entriesFromHistory(chat.history).find((e) => e.kind === 'question')).toMatchObject({ state: 'cancelled' });
  });

  it('a reload rebuilds the same entries the live turn showed', async () => {
    const { chat } = open();
    const turn = chat.submit('ask me', [DOT]);
    const question = await until(() => openQuestion(chat.entries));
    chat.answerQuestion(question.id!, { db: 'my own words' });
    await turn;
    const live = chat.entries.filter((e) => e.kind === 'user' || e.kind === 'question' || e.kind === 'assistant');
    const restored = entriesFromHistory(chat.history);
    const { id: _id, ...answered } = question;
    expect(withoutSeq(restored)).toEqual(
      withoutSeq(live).map((e) => (e.kind === 'question' ? { ...answered, state: 'answered', answers: { db: 'my own words' } } : e)),
    );
  });
});
