/**
 * Lesson 5 end to end through the real engine (ChatSession, the loop, the SDK over the in-page
 * scripted fetch) on the app's sandbox: the embedded one behind SwitchableSandbox, whose notes
 * carry what the workspace preview reports, as the app's SitePreview adds them.
 */
import { describe, expect, it } from 'vitest';
import { ChatSession } from '../../../src/app/chat.svelte';
import type { Entry, ToolEntry } from '../../../src/app/chat-entries';
import { Settings } from '../../../src/app/settings.svelte';
import { LESSONS, lessonFor, WEB_PAGE_PROMPT } from '../../../src/model/scripted/index';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { SwitchableSandbox } from '../../../src/sandbox/switchable';

const ROOT = '/home/workspace';
const of = <K extends Entry['kind']>(entries: Entry[], kind: K) => entries.filter((e): e is Extract<Entry, { kind: K }> => e.kind === kind);

function open(options: { pageThrows: boolean }) {
  const sandbox = new SwitchableSandbox(createEmbeddedSandbox({ root: ROOT }));
  const served: string[] = [];
  // What the preview reports once the page has loaded, a moment after serve: an error while the bug is there.
  sandbox.onSiteRequest((dir) => {
    served.push(dir);
    if (!options.pageThrows) return;
    const error = `The workspace preview (${dir}/) reported an error:\n- Uncaught TypeError: Cannot set properties of null (setting 'textContent') (${dir}/main.ts:9)`;
    setTimeout(() => sandbox.note(error), 200);
  });
  const chat = new ChatSession(sandbox, new Settings({ local: null, session: null }), { modelOptions: { demoEventDelayMs: 0 } });
  return { sandbox, chat, served };
}

describe('lesson 5: a web page, previewed and fixed', () => {
  it('is listed and found by number and by words', () => {
    expect(LESSONS.map((l) => l.id)).toContain('web-page');
    expect(lessonFor('lesson 5')).toBe('web-page');
    expect(lessonFor(WEB_PAGE_PROMPT)).toBe('web-page');
  });

  it("writes the page, serves it, reads the preview's error from its next output, fixes it and sees a clean console", async () => {
    const { chat, sandbox, served } = open({ pageThrows: true });
    await chat.submit(WEB_PAGE_PROMPT);
    const tools = of(chat.entries, 'tool') as ToolEntry[];
    expect(tools.map((t) => t.name)).toEqual(['exec_command', 'apply_patch', 'exec_command', 'exec_command', 'apply_patch', 'exec_command']);
    const [, add, serve, look, fix, check] = tools;
    expect(add!.patch!.files.map((f) => f.path)).toEqual(['clicks/index.html', 'clicks/style.css', 'clicks/main.ts']);
    expect(serve!.output).toContain(`Serving ${ROOT}/clicks in the Preview pane`);
    expect(served).toEqual([`${ROOT}/clicks`]);
    expect(look!.output).toContain('reported an error');
    expect(fix!.patch!.files[0]).toMatchObject({ path: 'clicks/main.ts', kind: 'update', added: 1, removed: 1 });
    expect(check!.output).not.toContain('reported');
    expect(await sandbox.fs.readFile(`${ROOT}/clicks/main.ts`)).toContain("querySelector<HTMLElement>('#counter')");
    const final = of(chat.entries, 'assistant').at(-1)?.text ?? '';
    expect(final).toContain('The page in `clicks/` works');
    expect(final).toContain('as input to its next request');
  });

  it('still fixes the page when no error reached it (the Preview pane was not open), and says so', async () => {
    const { chat } = open({ pageThrows: false });
    await chat.submit(WEB_PAGE_PROMPT);
    const reasoning = JSON.stringify(chat.history);
    expect(reasoning).toContain('No error reached me');
    expect(of(chat.entries, 'assistant').at(-1)?.text).toContain('works');
  });
});
