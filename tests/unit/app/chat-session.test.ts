import { describe, expect, it } from 'vitest';
import type { Entry, ToolEntry, TurnEntry } from '../../../src/app/chat-entries';
import { demoChat } from '../../support/chat-fixtures';

const of = <K extends Entry['kind']>(entries: Entry[], kind: K) => entries.filter((e): e is Extract<Entry, { kind: K }> => e.kind === kind);

describe('ChatSession with the demo model on the embedded sandbox', () => {
  it('runs the hello lesson: tool cards, the patch as a diff, a turn summary with usage and changed files', async () => {
    const { chat } = demoChat();
    await chat.submit('Give me the hello demo');
    const tools = of(chat.entries, 'tool') as ToolEntry[];
    expect(tools.map((t) => t.name)).toEqual(['exec_command', 'apply_patch', 'exec_command']);
    expect(tools.every((t) => t.status === 'ok')).toBe(true);
    const patch = tools[1]!.patch!;
    expect(patch.files).toHaveLength(1);
    expect(patch.files[0]!.kind).toBe('add');
    expect(patch.files[0]!.added).toBeGreaterThan(3);
    expect(tools[2]!.exitCode).toBe(0);
    expect(tools[2]!.output).toContain('Hello, world!');

    const turn = of(chat.entries, 'turn')[0] as TurnEntry;
    expect(turn.reason).toBe('completed');
    expect(turn.usage.requests).toBe(4);
    expect(turn.changes).toHaveLength(1);
    expect(turn.changes![0]).toMatchObject({ kind: 'added', removed: 0, path: patch.files[0]!.path });
    expect(chat.usage.requests).toBe(4);
    expect(chat.usage.cached_tokens).toBeGreaterThan(0);
    const last = of(chat.entries, 'assistant').at(-1)!;
    expect(last.done).toBe(true);
    expect(last.text).toContain('What just happened');
  });

  it('/diff shows every change since the conversation began, /new forgets the conversation but not the files', async () => {
    const { chat, sandbox } = demoChat({ 'notes.txt': 'one\ntwo\n' });
    await chat.submit('/diff');
    expect(chat.entries.at(-1)).toMatchObject({ kind: 'note', text: expect.stringContaining('No changes') });
    await sandbox.fs.writeFile('/workspace/notes.txt', 'one\n2\n');
    await sandbox.fs.writeFile('/workspace/new.txt', 'fresh\n');
    await chat.submit('/diff');
    const diff = chat.entries.at(-1)!;
    expect(diff.kind).toBe('diff');
    if (diff.kind !== 'diff') return;
    expect(diff.changes.map((c) => [c.path, c.kind, c.added, c.removed])).toEqual([
      ['new.txt', 'added', 1, 0],
      ['notes.txt', 'modified', 1, 1],
    ]);

    const before = chat.sessionId;
    await chat.submit('/new');
    expect(chat.sessionId).not.toBe(before);
    expect(chat.entries).toHaveLength(1);
    expect(await sandbox.fs.readFile('/workspace/new.txt')).toBe('fresh\n');
    await chat.submit('/diff');
    expect(chat.entries.at(-1)).toMatchObject({ kind: 'note', text: expect.stringContaining('No changes') });
  });

  it('/status reports model, sandbox and cache hits and never the key', async () => {
    const { chat, settings } = demoChat();
    await chat.submit('hello');
    settings.preset = 'openai';
    settings.apiKey = 'sk-secret-never-shown-123';
    await chat.submit('/status');
    const status = chat.entries.at(-1)!;
    expect(status.kind).toBe('status');
    if (status.kind !== 'status') return;
    const rows = Object.fromEntries(status.rows);
    expect(rows.Sandbox).toContain('embedded');
    expect(rows['Cache hits']).toMatch(/% of input tokens/);
    expect(rows.Endpoint).toContain('key set');
    expect(JSON.stringify(status.rows)).not.toContain('sk-secret');
  });

  it('/approvals and /model change settings; bad arguments say what is accepted', async () => {
    const { chat, settings } = demoChat();
    await chat.submit('/approvals never');
    expect(settings.approvalPolicy).toBe('never');
    await chat.submit('/approvals sometimes');
    expect(chat.entries.at(-1)).toMatchObject({ kind: 'note', text: expect.stringContaining('untrusted, on-request, never') });
    await chat.submit('/model gpt-x');
    expect(chat.entries.at(-1)).toMatchObject({ text: expect.stringContaining('offline demo model is in use') });
    settings.preset = 'openai';
    settings.apiKey = 'sk-test';
    await chat.submit('/model gpt-x');
    expect(settings.effectiveModel).toBe('gpt-x');
    await chat.submit('/nope');
    expect(chat.entries.at(-1)).toMatchObject({ text: expect.stringContaining('Unknown command /nope') });
  });

  it('/init asks the agent to write AGENTS.md, and leaves an existing one alone', async () => {
    const { chat } = demoChat();
    await chat.submit('/init');
    expect(chat.entries[0]).toMatchObject({ kind: 'user', text: expect.stringContaining('AGENTS.md') });
    expect(of(chat.entries, 'turn')).toHaveLength(1);

    const withFile = demoChat({ 'AGENTS.md': '# rules\n' }).chat;
    await withFile.submit('/init');
    expect(withFile.entries).toEqual([{ kind: 'note', text: expect.stringContaining('already exists') }]);
  });

  it('/clear empties the view while the conversation continues', async () => {
    const { chat } = demoChat();
    await chat.submit('hello');
    const id = chat.sessionId;
    await chat.submit('/clear');
    expect(chat.entries).toEqual([]);
    expect(chat.sessionId).toBe(id);
    await chat.submit('hello again');
    // The second request carries the first turn: usage adds up over both turns.
    expect(chat.usage.requests).toBeGreaterThanOrEqual(2);
  });

  it('a message typed during a turn shows as queued until it is sent', async () => {
    const { chat, settings } = demoChat();
    settings.approvalPolicy = 'untrusted';
    const turn = chat.submit('Give me the hello demo');
    // The turn waits on the patch's approval while the message is typed.
    await until(() => of(chat.entries, 'approval').length > 0);
    await chat.submit('and then say bye');
    const pending = chat.entries.find((e) => e.kind === 'user' && e.text === 'and then say bye');
    expect(pending).toMatchObject({ pending: true });
    // Usage counts each finished response, not just finished turns.
    expect(chat.usage.requests).toBe(2);
    chat.answer(of(chat.entries, 'approval')[0]!.request.id, 'approve');
    await turn;
    expect(pending && 'pending' in pending ? pending.pending : undefined).toBeUndefined();
  });

  it('commands that change the conversation wait for the turn to end', async () => {
    const { chat } = demoChat();
    const turn = chat.submit('Give me the hello demo');
    await until(() => chat.running);
    await chat.submit('/new');
    expect(chat.entries.at(-1)).toMatchObject({ kind: 'note', text: expect.stringContaining('/new waits') });
    chat.stop();
    await turn;
    expect(of(chat.entries, 'turn')[0]!.reason).toBe('aborted');
  });
});

async function until(test: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !test(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(test()).toBe(true);
}
