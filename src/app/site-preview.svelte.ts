/**
 * The preview of the workspace's site: its `index.html` (in the workspace's root, or a folder
 * the person or `serve DIR` picks) and everything it loads, served from the sandbox's files in
 * any sandbox — no server needed (src/sandbox/site builds each page).
 *
 * The page runs in an iframe sandboxed without allow-same-origin (public/preview-frame.html):
 * an opaque origin, so it cannot read the app's storage (the API key) or script the app; the
 * app hands it the page and its files over postMessage, and hears its console, errors and
 * link clicks the same way (only from the frame it made). A new frame is made per load, so
 * nothing of the previous run survives a reload.
 *
 * Live reload: a change to a web file of the site (from the agent, the editor or the terminal)
 * reloads the page at the same path, unless turned off. Errors of the page are told to the
 * agent with its next command's output, as a WebContainer's preview errors are.
 */
import { normalizePath } from '../core/paths';
import type { FsChange, SandboxFilesystem } from '../sandbox/sandbox';
import type { PreviewFrameMessage } from '../sandbox/site/hooks';
import { isWebFile } from '../sandbox/site/mime';
import { buildSitePage } from '../sandbox/site/site';

export const PREVIEW_FRAME_URL = '/preview-frame.html';
/** The iframe's sandbox: scripts, forms, dialogs and popups, never allow-same-origin. */
export const SITE_FRAME_SANDBOX = 'allow-scripts allow-forms allow-modals allow-popups';
const MAX_CONSOLE_ENTRIES = 500;
/** Changes closer together than this make one reload. */
const RELOAD_DEBOUNCE_MS = 40;
/** Why the page cannot open in a tab of its own. */
export const NEW_TAB_REFUSAL =
  'A workspace page in a tab of its own would run with the app’s origin and could read its storage (your API key is there), so it opens only here, in an isolated frame.';

export interface SiteConsoleEntry {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  message: string;
  file?: string;
  line?: number;
}

export interface SiteSource {
  readonly fs: Pick<SandboxFilesystem, 'list' | 'readFileBytes' | 'stat' | 'watch'>;
  describe(): { root: string };
}

export interface SitePreviewOptions {
  /** Tells the agent (appended to its next command's output). */
  note?: (text: string) => void;
}

export class SitePreview {
  /** The site's folder, relative to the workspace root ('' for the root). */
  folder = $state('');
  /** The page shown, a path in the site ('/' is its index.html). */
  path = $state('/');
  live = $state(true);
  /** Changes on every load: the pane makes a new frame for each. */
  loadKey = $state(0);
  entries = $state.raw<SiteConsoleEntry[]>([]);
  /** Whether the folder has an index.html (checked on start and when files change). */
  hasIndex = $state(false);
  /** The last load's status: 404 when the page does not exist. */
  status = $state<200 | 404 | null>(null);
  /** ms from asking for the page until it was loaded in the frame, for the last load. */
  loadMs = $state<number | null>(null);

  #frame: (() => Window | null) | null = null;
  #loadStarted = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #unwatch: () => void;
  #pendingErrors: string[] = [];

  readonly #source: SiteSource;
  readonly #options: SitePreviewOptions;

  constructor(source: SiteSource, options: SitePreviewOptions = {}) {
    this.#source = source;
    this.#options = options;
    this.#unwatch = source.fs.watch((change) => this.#onChange(change));
    void this.checkIndex();
  }

  /** The site's folder as an absolute path in the sandbox. */
  get root(): string {
    const base = normalizePath(this.#source.describe().root);
    return this.folder ? normalizePath(`${base}/${this.folder}`) : base;
  }

  /** The address shown for the page: where it is in the workspace. */
  get address(): string {
    return `${this.root}${this.path === '/' ? '/' : this.path}`;
  }

  /** Shows the site in `folder` (relative to the workspace root, or absolute inside it). */
  open(folder: string, path = '/'): void {
    const base = normalizePath(this.#source.describe().root);
    const abs = normalizePath(folder.startsWith('/') ? folder : `${base}/${folder}`);
    this.folder = abs === base ? '' : abs.startsWith(`${base}/`) ? abs.slice(base.length + 1) : this.folder;
    this.path = path;
    void this.checkIndex();
    this.reload();
  }

  navigate(path: string): void {
    this.path = path.startsWith('/') ? path : `/${path}`;
    this.reload();
  }

  reload(): void {
    clearTimeout(this.#timer);
    this.loadKey++;
  }

  clearConsole(): void {
    this.entries = [];
  }

  /**
   * Listens to the frame the pane made for this load (`frame` gives its window; messages come
   * to `events`, the page's window): answers its `ready` with the page, and takes its console
   * messages and link clicks. Returns the cleanup.
   */
  attach(frame: () => Window | null, events: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> = globalThis): () => void {
    this.#frame = frame;
    const onMessage = (event: Event) => {
      const win = frame();
      if (win && (event as MessageEvent).source === win) this.receive((event as MessageEvent).data, win);
    };
    events.addEventListener('message', onMessage);
    return () => {
      events.removeEventListener('message', onMessage);
      if (this.#frame === frame) this.#frame = null;
    };
  }

  /** A message from the frame of this load (`win`); anything else is ignored. */
  receive(message: unknown, win: { postMessage(message: unknown, target: string): void }): void {
    const data = message as Partial<PreviewFrameMessage> | null;
    if (data?.source !== 'unroll-preview') return;
    if (data.type === 'ready') void this.#serve(win);
    else if (data.type === 'console') this.#log(data);
    else if (data.type === 'navigate' && typeof data.path === 'string') this.navigate(data.path);
    else if (data.type === 'loaded') this.loadMs = Math.round(performance.now() - this.#loadStarted);
  }

  /** Whether the site's folder has an index.html now. */
  async checkIndex(): Promise<boolean> {
    const stat = await this.#source.fs.stat(`${this.root}/index.html`).catch(() => null);
    this.hasIndex = stat?.isFile === true;
    return this.hasIndex;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unwatch();
  }

  async #serve(win: { postMessage(message: unknown, target: string): void }): Promise<void> {
    this.#loadStarted = performance.now();
    this.entries = [];
    try {
      const page = await buildSitePage(this.#source.fs, this.root, this.path);
      this.status = page.status;
      for (const problem of page.problems)
        this.#log({ level: 'error', message: problem.message, file: problem.file, ...(problem.line ? { line: problem.line } : {}) });
      win.postMessage({ source: 'unroll-app', type: 'load', html: page.html, files: page.files }, '*');
    } catch (err) {
      this.#log({ level: 'error', message: `The page could not be built: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  #log(data: Partial<PreviewFrameMessage>): void {
    const levels = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const level = levels.find((l) => l === data.level) ?? 'log';
    const entry: SiteConsoleEntry = {
      level,
      message: String(data.message ?? '').slice(0, 4000),
      ...(typeof data.file === 'string' ? { file: data.file } : {}),
      ...(typeof data.line === 'number' ? { line: data.line } : {}),
    };
    this.entries = [...this.entries, entry].slice(-MAX_CONSOLE_ENTRIES);
    if (level === 'error') this.#tellAgent(entry);
  }

  #tellAgent(entry: SiteConsoleEntry): void {
    if (!this.#options.note) return;
    const where = entry.file ? ` (${this.root}${entry.file}${entry.line ? `:${entry.line}` : ''})` : '';
    this.#pendingErrors.push(`${entry.message.split('\n')[0]}${where}`);
    if (this.#pendingErrors.length > 1) return;
    // Errors of one load go as one note.
    queueMicrotask(() => {
      const errors = this.#pendingErrors.splice(0, 20);
      this.#options.note?.(
        `The workspace preview (${this.address}) reported ${errors.length === 1 ? 'an error' : `${errors.length} errors`}:\n${errors.map((e) => `- ${e}`).join('\n')}`,
      );
    });
  }

  #onChange(change: FsChange): void {
    const root = this.root;
    if (!change.path.startsWith(`${root}/`)) return;
    const path = change.path.slice(root.length);
    if (path === '/index.html') void this.checkIndex();
    if (!this.live || !isWebFile(change.path)) return;
    if (!this.#frame) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.reload(), RELOAD_DEBOUNCE_MS);
  }
}
