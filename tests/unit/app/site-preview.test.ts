/**
 * The app's side of the workspace-site preview with a real embedded sandbox: what it hands the
 * frame, its console, the errors it tells the agent, and live reload.
 */
import { describe, expect, it } from 'vitest';
import { SitePreview } from '../../../src/app/site-preview.svelte';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import { SwitchableSandbox } from '../../../src/sandbox/switchable';
import { until } from '../../support/webcontainer-fake';

const ROOT = '/home/workspace';

function setup(files: Record<string, string> = { 'index.html': '<h1>hi</h1>' }) {
  const sandbox = new SwitchableSandbox(createEmbeddedSandbox({ root: ROOT, files }));
  const site = new SitePreview(sandbox, { note: (text) => sandbox.note(text) });
  const posted: unknown[] = [];
  const frame = { postMessage: (message: unknown) => void posted.push(message) };
  return { sandbox, site, frame, posted };
}

describe('SitePreview', () => {
  it("answers the frame's ready with the page and its files", async () => {
    const { site, frame, posted } = setup();
    expect(await site.checkIndex()).toBe(true);
    site.receive({ source: 'unroll-preview', type: 'ready' }, frame);
    await until(() => posted.length === 1, 'the page');
    expect(posted[0]).toMatchObject({ source: 'unroll-app', type: 'load' });
    expect((posted[0] as { html: string }).html).toContain('<h1>hi</h1>');
    expect(site.status).toBe(200);
  });

  it("keeps the console, and tells the agent about errors with its next command's output, once", async () => {
    const { site, frame, sandbox } = setup();
    site.receive({ source: 'unroll-preview', type: 'console', level: 'log', message: 'fine' }, frame);
    site.receive({ source: 'unroll-preview', type: 'console', level: 'error', message: 'Uncaught Error: boom', file: '/main.ts', line: 3 }, frame);
    site.receive({ source: 'other', type: 'console', level: 'error', message: 'not ours' }, frame);
    expect(site.entries.map((e) => e.message)).toEqual(['fine', 'Uncaught Error: boom']);
    await Promise.resolve();
    const note = sandbox.takeNotes();
    expect(note).toContain('The workspace preview (/home/workspace/) reported an error:');
    expect(note).toContain('- Uncaught Error: boom (/home/workspace/main.ts:3)');
    expect(sandbox.takeNotes()).toBeUndefined();
  });

  it('reloads when a web file of the site changes, not for notes or files elsewhere', async () => {
    const { site, sandbox } = setup({ 'index.html': '<h1>hi</h1>', 'other/index.html': '' });
    site.attach(() => null, new EventTarget());
    const start = site.loadKey;
    await sandbox.fs.writeFile(`${ROOT}/README.md`, '# notes');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(site.loadKey).toBe(start);
    await sandbox.fs.writeFile(`${ROOT}/style.css`, 'h1 {}');
    await until(() => site.loadKey === start + 1, 'the reload');
    site.live = false;
    await sandbox.fs.writeFile(`${ROOT}/style.css`, 'h1 { color: red }');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(site.loadKey).toBe(start + 1);
  });

  it('opens a folder (serve DIR) and navigates within it, keeping the path across reloads', async () => {
    const { site } = setup({ 'app/index.html': '<p>app</p>', 'app/about.html': '<p>about</p>' });
    site.open(`${ROOT}/app`);
    expect(site.folder).toBe('app');
    expect(site.root).toBe(`${ROOT}/app`);
    site.navigate('/about.html');
    site.reload();
    expect(site.path).toBe('/about.html');
    expect(site.address).toBe(`${ROOT}/app/about.html`);
    expect(await site.checkIndex()).toBe(true);
  });
});
