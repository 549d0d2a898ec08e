/**
 * The chat's folding of images and questions where the live loop rarely goes: images whose call
 * has no card, a question call whose arguments are unusable, a question asked without a card, a
 * turn ending while asking, stored calls without an answer or with an error; which image URLs
 * the transcript draws; and that stored sessions count their images' bytes.
 */
import { describe, expect, it } from 'vitest';
import { foldEvent, type Entry } from '../../../src/app/chat-entries';
import { entriesFromItems } from '../../../src/app/history-entries';
import { isShownImage } from '../../../src/app/image-entries';
import type { AgentEvent } from '../../../src/core/events';
import { outputFor, userMessage, type FunctionCallItem } from '../../../src/core/items';
import { toolImagesMessage } from '../../../src/core/tools/dispatch';
import { testStore } from '../../support/store-helpers';

const DOT = 'data:image/png;base64,iVBORw0KGgo=';
const usage = { input_tokens: 1, cached_tokens: 0, output_tokens: 1, reasoning_tokens: 0, total_tokens: 2, requests: 1 };
const QUESTION = {
  id: 'q',
  header: 'Style',
  question: 'Tabs or spaces?',
  options: [
    { label: 'Tabs', description: '' },
    { label: 'Spaces', description: 'Two of them.' },
  ],
};
const ask = (callId: string, args: unknown): FunctionCallItem => ({
  type: 'function_call',
  call_id: callId,
  name: 'request_user_input',
  arguments: JSON.stringify(args),
});

function fold(events: AgentEvent[], entries: Entry[] = []): Entry[] {
  for (const event of events) foldEvent(entries, event);
  return entries;
}

describe('tool images', () => {
  it('with no card for their call, show as an entry of their own, above a queued message', () => {
    const entries: Entry[] = [{ kind: 'user', text: 'later', pending: true }];
    fold([{ type: 'item_appended', index: 5, item: toolImagesMessage('gone', 'mcp__x__shot', [DOT]) }], entries);
    expect(entries).toEqual([
      { kind: 'tool_images', callId: 'gone', tool: 'mcp__x__shot', images: [DOT] },
      { kind: 'user', text: 'later', pending: true },
    ]);
  });

  it('are never a user message in restored history', () => {
    const entries = entriesFromItems([userMessage('hi'), toolImagesMessage('c9', 'view_image', [DOT])]);
    expect(entries).toEqual([
      { kind: 'user', text: 'hi', seq: 0 },
      { kind: 'tool_images', callId: 'c9', tool: 'view_image', images: [DOT] },
    ]);
  });
});

describe('question cards', () => {
  it('a call with unusable questions is a tool card with its error', () => {
    const call = ask('c1', { questions: [] });
    const entries = fold([
      { type: 'tool_started', call, name: 'request_user_input' },
      { type: 'tool_finished', call_id: 'c1', output: 'request_user_input needs "questions"', success: false, duration_ms: 1 },
    ]);
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'tool', name: 'request_user_input', status: 'failed', output: 'request_user_input needs "questions"' }),
    ]);
  });

  it('a question asked without a card gets one; the end of the turn cancels it', () => {
    const entries = fold([
      { type: 'user_input_requested', id: 'question_1', call_id: 'c2', questions: [QUESTION] },
      { type: 'turn_ended', turn_id: 't', reason: 'aborted', usage },
    ]);
    expect(entries[0]).toEqual({ kind: 'question', callId: 'c2', id: 'question_1', questions: [QUESTION], state: 'cancelled' });
  });

  it('opens with the request, shows the answer, and is a boundary for streamed text', () => {
    const entries = fold([
      { type: 'text_delta', round: 1, output_index: 0, delta: 'Let me ask.' },
      { type: 'tool_started', call: ask('c3', { questions: [QUESTION] }), name: 'request_user_input' },
      { type: 'user_input_requested', id: 'question_2', call_id: 'c3', questions: [QUESTION] },
    ]);
    expect(entries[1]).toMatchObject({ kind: 'question', state: 'open', id: 'question_2' });
    fold(
      [
        { type: 'user_input_answered', id: 'question_2', answers: { q: 'Tabs' } },
        { type: 'tool_finished', call_id: 'c3', output: '{"answers":{"q":{"answers":["Tabs"]}}}', success: true, duration_ms: 3 },
        { type: 'text_delta', round: 2, output_index: 0, delta: 'Tabs it is.' },
      ],
      entries,
    );
    expect(entries[1]).toMatchObject({ kind: 'question', state: 'answered', answers: { q: 'Tabs' } });
    expect(entries[2]).toMatchObject({ kind: 'assistant', text: 'Tabs it is.' });
  });

  it('from storage: no output is "not answered" (asking, never answerable), another output is a failure', () => {
    const unanswered = ask('c4', { questions: [QUESTION] });
    const failed = ask('c5', { questions: [QUESTION] });
    const entries = entriesFromItems([unanswered, failed, outputFor(failed, 'request_user_input: nobody can answer questions here')]);
    expect(entries).toEqual([
      { kind: 'question', callId: 'c4', questions: [QUESTION], state: 'asking' },
      { kind: 'question', callId: 'c5', questions: [QUESTION], state: 'failed', note: 'request_user_input: nobody can answer questions here' },
    ]);
  });
});

describe('isShownImage', () => {
  it('draws data URLs of raster images only: nothing remote, no SVG', () => {
    expect(isShownImage(DOT)).toBe(true);
    expect(isShownImage('data:image/jpeg;base64,/9j/')).toBe(true);
    expect(isShownImage('https://tracker.example/pixel.png')).toBe(false);
    expect(isShownImage('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(isShownImage('//example.com/x.png#data:image/png;base64,')).toBe(false);
  });
});

describe('storage', () => {
  it('counts an image’s bytes in the session’s stored size', async () => {
    const { store } = await testStore();
    const session = await store.create({ model: 'm' });
    const before = (await store.append(session.id, userMessage('plain'))).bytes;
    const image = `data:image/jpeg;base64,${'A'.repeat(100_000)}`;
    const after = (
      await store.append(session.id, {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'photo' },
          { type: 'input_image', image_url: image },
        ],
      })
    ).bytes;
    expect(after - before).toBeGreaterThan(100_000);
  });
});
