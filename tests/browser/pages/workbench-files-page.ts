/**
 * Harness for tests/browser/files-editor.spec.ts: the file tree and the editor on a real
 * embedded sandbox (`window.__sandbox`) seeded with a few files, one of them named like an
 * HTML injection. `window.__workspace` is the Workspace both panes show.
 *
 * Query options:
 * - `diff=1`: also mounts a DiffView of `src/main.ts` (before → after); `window.__diff`
 *   changes its texts.
 */
import { mount } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { Workspace } from '../../../src/app/workspace.svelte';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import type { Sandbox } from '../../../src/sandbox/sandbox';
import DiffView from '../../../src/ui/editor/DiffView.svelte';
import Editor from '../../../src/ui/editor/Editor.svelte';
import FileTree from '../../../src/ui/files/FileTree.svelte';
import '../../../src/ui/global.css';

declare global {
  interface Window {
    __sandbox?: Sandbox;
    __workspace?: Workspace;
    __diff?: { set(before: string, after: string): void };
  }
}

export const XSS_NAME = '<img src=x onerror=alert(1)>.js';

const sandbox = createEmbeddedSandbox({
  files: {
    'README.md': '# Files harness\n\nSeeded for the browser tests.\n',
    'package.json': '{\n  "name": "harness",\n  "private": true\n}\n',
    'src/main.ts': 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n',
    'src/styles.css': 'body {\n  margin: 0;\n}\n',
    'node_modules/left-pad/index.js': 'module.exports = () => {};\n',
    [XSS_NAME]: 'console.log("just a file");\n',
  },
});
await sandbox.fs.writeFile('assets/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));

const workspace = new Workspace(sandbox);
window.__sandbox = sandbox;
window.__workspace = workspace;

const target = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the harness page lost #${id}`);
  return element;
};
mount(FileTree, { target: target('tree'), props: { workspace } });
mount(Editor, { target: target('editor'), props: { workspace } });

if (new URLSearchParams(location.search).get('diff') === '1') {
  // A reactive holder without runes (this is a plain .ts module): props read it through getters.
  const texts = new SvelteMap([
    ['before', 'const a = 1;\nconst b = 2;\n'],
    ['after', 'const a = 1;\nconst b = 3;\nconst c = 4;\n'],
  ]);
  window.__diff = {
    set(before, after) {
      texts.set('before', before);
      texts.set('after', after);
    },
  };
  mount(DiffView, {
    target: target('diff'),
    props: {
      path: 'src/diff-demo.ts',
      get before() {
        return texts.get('before') ?? '';
      },
      get after() {
        return texts.get('after') ?? '';
      },
    },
  });
}
