/**
 * Errors of the previewed pages (`preview-message` events, forwarded because the WebContainer
 * boots with `forwardPreviewErrors`) reach the preview pane as they come and the model once, at
 * the end of its next command's output, so every request stays an exact extension of the last.
 */
import { Bash } from 'just-bash';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../../src/core/items';
import { reply, sequence } from '../../../src/model/scripted/index';
import { createJustBashPort } from '../../../src/sandbox/just-bash-port';
import type { PreviewError } from '../../../src/sandbox/sandbox';
import { createWebContainerSandbox } from '../../../src/sandbox/webcontainer';
import { PreviewErrorLog } from '../../../src/sandbox/webcontainer/previews';
import { ROOT, startHarness, type Harness } from '../../support/harness';
import { FakeWebContainer, ISOLATED, fakeBoot } from '../../support/webcontainer-fake';

const PAGE = { previewId: 'abc', port: 5173, pathname: '/about', search: '?x=1', hash: '' };
const uncaught = {
  ...PAGE,
  type: 'PREVIEW_UNCAUGHT_EXCEPTION',
  message: "TypeError: Cannot read properties of undefined (reading 'map')",
  stack:
    "TypeError: Cannot read properties of undefined (reading 'map')\n    at List (https://abc.local-credentialless.webcontainer-api.io/src/List.jsx:7:18)\n    at renderWithHooks (https://abc…/react-dom.js:1:1)",
};
const consoleError = {
  ...PAGE,
  pathname: '/',
  search: '',
  type: 'PREVIEW_CONSOLE_ERROR',
  args: ['Failed to load', { status: 404 }],
  stack: 'Error\n    at console.error (x.js:1:1)',
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function bootedSandbox() {
  const wc = new FakeWebContainer();
  const boot = fakeBoot(wc);
  const sb = createWebContainerSandbox({}, { toolbox: null, boot, environment: ISOLATED, bootSlot: {} });
  await sb.boot();
  return { sb, wc, boot };
}

describe('preview errors in the WebContainer sandbox', () => {
  it('are forwarded by the boot and handed to listeners as they come; other messages are not', async () => {
    const { sb, wc, boot } = await bootedSandbox();
    expect(boot.options[0]?.forwardPreviewErrors).toBe(true);
    const seen: PreviewError[] = [];
    sb.onPreviewError?.((e) => seen.push(e));
    wc.emitPreviewMessage(uncaught);
    wc.emitPreviewMessage(consoleError);
    wc.emitPreviewMessage({ ...PAGE, type: 'SOMETHING_ELSE', message: 'not an error' });
    expect(seen).toEqual([
      { kind: 'uncaught_exception', port: 5173, path: '/about?x=1', message: uncaught.message, stack: uncaught.stack },
      { kind: 'console_error', port: 5173, path: '/', message: 'Failed to load {"status":404}', stack: consoleError.stack },
    ]);
  });

  it('are told to the model once: what, where, and the line that threw', async () => {
    const { sb, wc } = await bootedSandbox();
    expect(sb.takeNotes?.()).toBeUndefined();
    wc.emitPreviewMessage(uncaught);
    wc.emitPreviewMessage(uncaught);
    wc.emitPreviewMessage(consoleError);
    expect(sb.takeNotes?.()).toBe(
      [
        'Preview errors since the last command (from the pages shown in the preview pane):',
        `- uncaught exception on :5173/about?x=1 (2 times): ${uncaught.message}`,
        '    at List (https://abc.local-credentialless.webcontainer-api.io/src/List.jsx:7:18)',
        '- console.error on :5173/: Failed to load {"status":404}',
        '    at console.error (x.js:1:1)',
      ].join('\n'),
    );
    expect(sb.takeNotes?.()).toBeUndefined();
  });

  it('keep a note short when a page floods the console', () => {
    const log = new PreviewErrorLog();
    for (let i = 0; i < 25; i++) log.add({ kind: 'console_error', port: 3000, path: '/', message: `error ${i} ${'x'.repeat(600)}` });
    const note = log.takeNote() ?? '';
    expect(note.split('\n')).toHaveLength(1 + 10 + 1);
    expect(note).toContain('- …and 15 more');
    expect(Math.max(...note.split('\n').map((l) => l.length))).toBeLessThan(460);
  });
});

describe('preview errors in the agent loop', () => {
  it('end the next exec_command output, once, and every request extends the last', async () => {
    const log = new PreviewErrorLog();
    const bash = new Bash({ files: { [`${ROOT}/README.md`]: '# x\n' }, cwd: ROOT });
    const sandbox = { ...createJustBashPort({ bash, root: ROOT, kind: 'embedded' }), takeNotes: () => log.takeNote() };
    h = await startHarness({
      script: sequence([reply.exec('echo one'), reply.exec('echo two'), reply.text('fixed')]),
      agent: { sandbox },
    });
    log.add({ kind: 'uncaught_exception', port: 5173, path: '/', message: 'ReferenceError: x is not defined' });
    await h.agent.runTurn('fix the page');

    const outputs = h.agent.history.items.filter(
      (i): i is Extract<ResponseItem, { type: 'function_call_output' }> => i.type === 'function_call_output',
    );
    expect(outputs).toHaveLength(2);
    expect(String(outputs[0]!.output)).toMatch(
      /Output:\none\n\n\nPreview errors since the last command \(from the pages shown in the preview pane\):\n- uncaught exception on :5173\/: ReferenceError: x is not defined$/,
    );
    expect(String(outputs[1]!.output)).not.toContain('Preview errors');
    expect(h.problems()).toEqual([]);
  });
});
