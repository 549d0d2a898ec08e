import { describe, expect, it } from 'vitest';
import { ChatSession } from '../../../src/app/chat.svelte';
import { replayRounds, replayTimeline } from '../../../src/app/replay';
import { Settings } from '../../../src/app/settings.svelte';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';

async function helloChat() {
  const chat = new ChatSession(createEmbeddedSandbox(), new Settings({ local: null, session: null }), { modelOptions: { demoEventDelayMs: 0 } });
  await chat.submit('Give me the hello demo');
  return chat;
}

describe('replay', () => {
  it('splits a conversation into the rounds the loop made, and rebuilds each request as an exact prefix', async () => {
    const chat = await helloChat();
    const rounds = replayRounds(chat.history);
    expect(rounds).toHaveLength(4); // the hello lesson takes four requests
    expect(rounds.at(-1)!.end).toBe(chat.history.length);
    const timeline = replayTimeline(chat.history, 4, () => []);
    expect(timeline.rounds).toHaveLength(4);
    // Sizes as sent are unknown (the model, tools and settings are not stored), but round 2's
    // input extends round 1's exactly: every item round 1 sent comes first, unchanged.
    expect(timeline.rounds.every((r) => r.rebuilt === 'replay' && r.request.bytes === null)).toBe(true);
    const [one, two] = timeline.rounds;
    expect(two!.request.prefixBytes).toBeGreaterThan(0);
    expect(two!.request.parts!.slice(0, one!.request.items).every((p) => p.cached === 'prefix')).toBe(true);
    expect(two!.request.parts!.slice(one!.request.items).every((p) => p.cached === 'new')).toBe(true);
    expect(timeline.rounds[0]!.tools.map((t) => t.name)).toEqual(['exec_command']);
  });

  it('walks the chat back and forth without calling the model, then returns to the live view', async () => {
    const chat = await helloChat();
    const live = chat.entries.length;
    const requests = chat.usage.requests;
    chat.replay.start();
    expect(chat.replay.state).toEqual({ at: 1, rounds: 4 });
    const first = chat.entries.length;
    chat.replay.go(3);
    expect(chat.entries.length).toBeGreaterThan(first);
    expect(chat.inspector.timeline.rounds).toHaveLength(3);
    chat.replay.go(99);
    expect(chat.replay.state?.at).toBe(4);
    chat.replay.stop();
    expect(chat.replay.state).toBeNull();
    expect(chat.entries.length).toBe(live); // the live view as it was, turn summaries included
    expect(chat.usage.requests).toBe(requests);
    expect(chat.inspector.timeline.rounds).toHaveLength(4);
  });

  it('steps with ←/→ and Home/End, and Space plays and pauses', async () => {
    const chat = await helloChat();
    expect(chat.replay.key('ArrowRight')).toBe(false); // not replaying: the key is not taken
    chat.replay.start();
    const at = () => chat.replay.state?.at;
    expect(chat.replay.key('End')).toBe(true);
    expect(at()).toBe(4);
    expect(chat.inspector.timeline.rounds).toHaveLength(4);
    chat.replay.key('ArrowLeft');
    expect(at()).toBe(3);
    chat.replay.key('Home');
    expect(at()).toBe(1);
    chat.replay.key('ArrowLeft');
    expect(at()).toBe(1);
    chat.replay.key('ArrowRight');
    expect(at()).toBe(2);
    expect(chat.replay.key('a')).toBe(false);
    expect(chat.replay.key(' ')).toBe(true);
    expect(chat.replay.playing).toBe(true);
    chat.replay.key(' ');
    expect(chat.replay.playing).toBe(false);
    chat.replay.play();
    chat.replay.stop();
    expect(chat.replay.playing).toBe(false);
    expect(chat.replay.state).toBeNull();
  });
});
