/**
 * The preview pane's state: which servers the sandbox has listening, which one is shown, and
 * the path on it. Only pages of the sandbox's own servers are ever shown; anything else typed
 * into the URL bar is refused with a message.
 *
 * Selection rules:
 * - nothing selected → the first server that starts listening is selected;
 * - a server the user picked stays selected while others come and go;
 * - when the selected server stops, the lowest open port takes over (or none), and when the
 *   server the user picked listens again (a dev server restarting) it is selected again;
 * - each server keeps the path it was showing, so coming back to it (or it restarting)
 *   shows the same page.
 */
import type { PreviewError, PreviewPort, Sandbox } from '../sandbox/sandbox';

/** The slice of a Sandbox the preview follows. */
export type PreviewSource = Pick<Sandbox, 'capabilities' | 'onPreview' | 'previews' | 'onPreviewError'>;

/** How many of the pages' errors the pane keeps (the oldest go first). */
export const MAX_PREVIEW_ERRORS = 50;

/** A server's address split into the part the user cannot change and the part they can. */
interface Server {
  port: number;
  origin: string;
  /** Path (with query and hash) the server's own URL points at: where "home" is. */
  home: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '0.0.0.0', '[::1]']);

export class Preview {
  /** Whether this sandbox can run servers at all (the embedded one cannot). */
  readonly supported: boolean;
  /** Open servers, lowest port first. */
  ports = $state.raw<PreviewPort[]>([]);
  /** The port shown, or null when nothing is listening. */
  selectedPort = $state<number | null>(null);
  /** Path (with query and hash) on the selected server. */
  path = $state('/');
  /** Changes on every reload; the pane recreates its frame when it does. */
  reloadKey = $state(0);
  /** Why the last navigation was refused; '' when it was not. */
  message = $state('');
  /** Errors the previewed pages reported (uncaught, unhandled rejections, console.error), oldest first. */
  errors = $state.raw<PreviewError[]>([]);

  /** The full URL shown, always on the selected server's origin; null with no server. */
  readonly url = $derived.by(() => {
    const server = this.#server();
    return server ? new URL(this.path, server.origin).href : null;
  });

  #preferred: number | null = null;
  readonly #lastPaths = new Map<number, string>();
  readonly #unsubscribe: () => void;
  readonly #unsubscribeErrors: () => void;

  constructor(source: PreviewSource) {
    this.supported = source.capabilities.previews;
    this.#unsubscribe = source.onPreview((port) => this.#update(port));
    this.#unsubscribeErrors =
      source.onPreviewError?.((error) => {
        this.errors = [...this.errors, error].slice(-MAX_PREVIEW_ERRORS);
      }) ?? (() => {});
    for (const port of source.previews()) this.#update(port);
  }

  /** The user picks a server: it stays selected while others open and close. */
  select(port: number): void {
    if (!this.ports.some((s) => s.port === port)) return;
    this.#preferred = port;
    this.#show(port);
  }

  /**
   * Shows `input` — a path ("/about", "about?x=1") or a full URL on the selected server
   * (a `localhost:<port>` URL of another open server selects that server). Anything else is
   * refused: returns false and sets `message`.
   */
  navigate(input: string): boolean {
    const current = this.#server();
    if (!current) return this.#refuse('No server is running to show that page.');
    const text = input.trim() || '/';
    let target: URL;
    try {
      target = new URL(absolute(text) ?? rootRelative(text), current.origin);
    } catch {
      return this.#refuse(`"${text}" is not a URL or a path.`);
    }
    const rest = target.pathname + target.search + target.hash;
    if (target.origin === current.origin) return this.#go(current.port, rest);
    const local = LOOPBACK.has(target.hostname) ? this.ports.find((s) => String(s.port) === target.port) : undefined;
    if (local) {
      this.#preferred = local.port;
      return this.#go(local.port, rest);
    }
    return this.#refuse(`Only pages served by the sandbox can be shown here (${current.origin}). Open other sites in a browser tab.`);
  }

  /** Loads the current page again. */
  reload(): void {
    this.reloadKey++;
  }

  /** Forgets the errors shown (the agent is told of each once anyway). */
  clearErrors(): void {
    this.errors = [];
  }

  dispose(): void {
    this.#unsubscribe();
    this.#unsubscribeErrors();
  }

  #update(port: PreviewPort): void {
    const others = this.ports.filter((s) => s.port !== port.port);
    const usable = port.open && parseServer(port) !== null;
    this.ports = usable ? [...others, { ...port }].sort((a, b) => a.port - b.port) : others;
    if (this.selectedPort === null) {
      if (usable) this.#show(port.port);
    } else if (usable && port.port === this.#preferred && this.selectedPort !== port.port) {
      this.#show(port.port);
    } else if (!this.ports.some((s) => s.port === this.selectedPort)) {
      const next = this.ports[0];
      if (next) this.#show(next.port);
      else {
        this.#lastPaths.set(this.selectedPort, this.path);
        this.selectedPort = null;
      }
    }
  }

  #show(port: number): void {
    if (this.selectedPort !== port) {
      if (this.selectedPort !== null) this.#lastPaths.set(this.selectedPort, this.path);
      this.selectedPort = port;
      this.path = this.#lastPaths.get(port) ?? this.#server()?.home ?? '/';
    }
    this.message = '';
  }

  #go(port: number, path: string): boolean {
    const before = this.url;
    this.#show(port);
    this.path = path;
    // Entering the URL already shown still loads it again, as in a browser.
    if (this.url === before) this.reload();
    return true;
  }

  #refuse(message: string): false {
    this.message = message;
    return false;
  }

  #server(): Server | null {
    const port = this.ports.find((s) => s.port === this.selectedPort);
    return port ? parseServer(port) : null;
  }
}

/** The server behind a preview port; null unless its URL is http(s). */
function parseServer(port: PreviewPort): Server | null {
  try {
    const url = new URL(port.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { port: port.port, origin: url.origin, home: url.pathname + url.search + url.hash };
  } catch {
    return null;
  }
}

/**
 * `text` as an absolute URL when it is one: it has a scheme, or it starts with a loopback host
 * (a dev server's "localhost:5173/" copied without its scheme); undefined for a path.
 */
function absolute(text: string): string | undefined {
  if (/^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(:\d+)?([/?#]|$)/i.test(text)) return `http://${text}`;
  return /^[a-z][a-z\d+.-]*:/i.test(text) ? text : undefined;
}

/**
 * A path typed without its leading slash is taken from the server's root. Leading slashes and
 * backslashes collapse to one, so "//host" and "\\host" stay paths instead of becoming hosts.
 */
function rootRelative(text: string): string {
  return `/${text.replace(/^[/\\]+/, '')}`;
}

/**
 * The iframe `sandbox` tokens for showing `url` inside a page at `hostOrigin`. Sandbox servers
 * live on their own origin, where allow-same-origin only gives the app back its own storage
 * and cookies (many dev servers need them); on our origin it would let the page reach into
 * ours, so there it is never granted.
 */
export function frameSandbox(url: string, hostOrigin: string): string {
  const tokens = ['allow-scripts', 'allow-forms', 'allow-modals', 'allow-popups', 'allow-downloads'];
  let sameOrigin = true;
  try {
    sameOrigin = new URL(url).origin === hostOrigin;
  } catch {
    // an unparseable URL is treated as ours: the safer answer
  }
  return (sameOrigin ? tokens : [...tokens, 'allow-same-origin']).join(' ');
}
