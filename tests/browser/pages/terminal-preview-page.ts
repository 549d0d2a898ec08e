/**
 * Harness for tests/browser/terminal-preview.spec.ts: the Terminal and Preview panes side by
 * side on a real embedded sandbox (`window.__sandbox`).
 *
 * Query options:
 * - `previews=fake`: the panes see a sandbox that can serve previews, with servers the test
 *   opens and closes through `window.__previews`; their URLs are pages of the test server.
 * - `shell=broken`: `openShell` throws, as a sandbox whose shell cannot start would.
 *
 * `window.__shells` counts the shells the terminal opened and how many are still running;
 * `window.__harness` unmounts and mounts the terminal again.
 */
import { mount, unmount } from 'svelte';
import { Preview as PreviewState } from '../../../src/app/preview.svelte';
import { createEmbeddedSandbox } from '../../../src/sandbox/embedded';
import type { PreviewError, PreviewPort, Sandbox } from '../../../src/sandbox/sandbox';
import '../../../src/ui/global.css';
import Preview from '../../../src/ui/preview/Preview.svelte';
import Terminal from '../../../src/ui/terminal/Terminal.svelte';

export interface FakePreviews {
  /** A server starts listening on `port`; its page is `path` on the test server. */
  open(port: number, path?: string): void;
  close(port: number): void;
  /** A previewed page reports an error (as a WebContainer's `preview-message` would). */
  error(error: PreviewError): void;
}

declare global {
  interface Window {
    __sandbox?: Sandbox;
    __shells?: { opened: number; live: number };
    __previews?: FakePreviews;
    __harness?: { unmountTerminal(): void; mountTerminal(): void };
  }
}

const STAND_IN = '/tests/browser/pages/preview-stand-in.html';
const params = new URLSearchParams(location.search);
const real = createEmbeddedSandbox({ files: { 'README.md': '# Terminal harness\n' } });
window.__sandbox = real;

const shells = { opened: 0, live: 0 };
window.__shells = shells;
let panes: Sandbox = {
  ...real,
  openShell(size) {
    if (params.get('shell') === 'broken') throw new Error('no shell in this sandbox (harness option shell=broken)');
    const session = real.openShell(size);
    shells.opened++;
    shells.live++;
    void session.exit.then(() => shells.live--);
    return session;
  },
};

if (params.get('previews') === 'fake') {
  const ports = new Map<number, PreviewPort>();
  const listeners = new Set<(port: PreviewPort) => void>();
  const errorListeners = new Set<(error: PreviewError) => void>();
  const emit = (port: PreviewPort) => {
    ports.set(port.port, port);
    for (const listener of [...listeners]) listener({ ...port });
  };
  window.__previews = {
    open: (port, path = `${STAND_IN}?server=${port}`) => emit({ port, url: new URL(path, location.origin).href, open: true }),
    close: (port) => emit({ port, url: ports.get(port)?.url ?? '', open: false }),
    error: (error) => {
      for (const listener of [...errorListeners]) listener({ ...error });
    },
  };
  panes = {
    ...panes,
    capabilities: { ...real.capabilities, previews: true },
    onPreview(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    previews: () => [...ports.values()],
    onPreviewError(listener) {
      errorListeners.add(listener);
      return () => errorListeners.delete(listener);
    },
  };
}

const terminalTarget = document.getElementById('terminal');
const previewTarget = document.getElementById('preview');
if (!terminalTarget || !previewTarget) throw new Error('the harness page lost its pane elements');

let terminal: Record<string, unknown> | null = null;
const mountTerminal = () => {
  terminal ??= mount(Terminal, { target: terminalTarget, props: { sandbox: panes } });
};
window.__harness = {
  mountTerminal,
  unmountTerminal() {
    if (terminal) void unmount(terminal);
    terminal = null;
  },
};
mountTerminal();
mount(Preview, { target: previewTarget, props: { preview: new PreviewState(panes) } });
