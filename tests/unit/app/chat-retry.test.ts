/** Retry after a failed turn: the turn goes out again, its message neither shown nor sent twice. */
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../src/app/chat-entries';
import { messageText, type ResponseItem } from '../../../src/core/items';
import { reply } from '../../../src/model/scripted/index';
import { scriptedChat } from '../../support/chat-fixtures';

/** A real endpoint (the scripted model behind `fetch`) that can be made unreachable. */
function open() {
  const link = { down: false };
  const { chat, settings, inputs } = scriptedChat(
    (ctx) => reply.text(`Answer to: ${ctx.lastUserText}`),
    () => {
      if (link.down) throw new TypeError('Failed to fetch');
    },
  );
  return { chat, settings, sent: inputs, link };
}

const users = (entries: Entry[], text: string) => entries.filter((e) => e.kind === 'user' && e.text === text);
const userItems = (items: readonly ResponseItem[], text: string) =>
  items.filter((item) => item.type === 'message' && item.role === 'user' && messageText(item) === text);

describe('Retry after a failed turn', () => {
  it('a turn that could not reach the model is sent again once, with its message once', { timeout: 30_000 }, async () => {
    const { chat, sent, link } = open();
    link.down = true;
    await chat.submit('hello there');
    const error = chat.entries.findLast((e) => e.kind === 'error');
    expect(error).toMatchObject({ kind: 'error', error: { kind: 'network' } });
    expect(chat.canRetry).toBe(true);

    link.down = false;
    await chat.retry();
    expect(chat.entries.findLast((e) => e.kind === 'assistant')).toMatchObject({ text: 'Answer to: hello there' });
    expect(users(chat.entries, 'hello there')).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(userItems(sent[0]!, 'hello there')).toHaveLength(1);
    expect(userItems(chat.history, 'hello there')).toHaveLength(1);
    expect(chat.canRetry).toBe(false);

    // The next message is an ordinary turn: one new message, the old one still once.
    await chat.submit('and again');
    expect(userItems(sent.at(-1)!, 'hello there')).toHaveLength(1);
    expect(userItems(sent.at(-1)!, 'and again')).toHaveLength(1);
  });

  it('a message the model never got (unusable settings) is sent once the settings are fixed', async () => {
    const { chat, settings, sent } = open();
    settings.baseURL = 'ftp://models.test/v1';
    await chat.submit('first try');
    expect(chat.entries.findLast((e) => e.kind === 'error')).toMatchObject({ error: { kind: 'bad_request' } });
    expect(chat.canRetry).toBe(true);
    expect(sent).toHaveLength(0);

    settings.baseURL = 'http://models.test/v1';
    await chat.retry();
    const shown = users(chat.entries, 'first try');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ seq: expect.any(Number) });
    expect((shown[0] as { seq: number }).seq).toBeGreaterThanOrEqual(0);
    expect(sent).toHaveLength(1);
    expect(userItems(sent[0]!, 'first try')).toHaveLength(1);
    expect(chat.entries.findLast((e) => e.kind === 'assistant')).toMatchObject({ text: 'Answer to: first try' });
  });

  it('offers nothing to retry after a turn that worked, or once a new message was sent', { timeout: 30_000 }, async () => {
    const { chat, link } = open();
    await chat.submit('fine');
    expect(chat.canRetry).toBe(false);
    await chat.retry();
    expect(users(chat.entries, 'fine')).toHaveLength(1);
    expect(chat.entries.filter((e) => e.kind === 'assistant')).toHaveLength(1);

    link.down = true;
    await chat.submit('lost');
    expect(chat.canRetry).toBe(true);
    link.down = false;
    await chat.submit('instead');
    expect(chat.canRetry).toBe(false);
    expect(chat.entries.filter((e) => e.kind === 'assistant')).toHaveLength(2);
  });
});
