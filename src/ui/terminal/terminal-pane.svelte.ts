/**
 * One terminal pane: an xterm (loaded on demand) joined to one shell of the sandbox at a
 * time. The shell follows the terminal's size; when it exits the scrollback stays and
 * `restart()` opens a new one in the same terminal. `dispose()` kills the shell and removes
 * the terminal; it is safe at any point, also while xterm is still loading.
 */
import type { Sandbox, ShellSession } from '../../sandbox/sandbox';
import type { XtermHost, XtermHostOptions } from './xterm-host';

export type TerminalPhase = 'loading' | 'running' | 'exited' | 'failed';

export class TerminalPane {
  phase = $state<TerminalPhase>('loading');
  /** What went wrong ('failed') or how the shell ended ('exited'); '' otherwise. */
  message = $state('');

  #element: HTMLElement | null = null;
  #options: XtermHostOptions = {};
  #host: XtermHost | null = null;
  #session: ShellSession | null = null;
  #stopOutput: () => void = () => {};
  readonly #cleanups: Array<() => void> = [];
  #disposed = false;

  readonly #sandbox: Sandbox;

  constructor(sandbox: Sandbox) {
    this.#sandbox = sandbox;
  }

  /** Loads xterm into `element` and starts the first shell. */
  async mount(element: HTMLElement, options: XtermHostOptions = {}): Promise<void> {
    this.#element = element;
    this.#options = options;
    this.phase = 'loading';
    let module: typeof import('./xterm-host');
    try {
      module = await import('./xterm-host');
    } catch (err) {
      return this.#fail(`The terminal could not load: ${describe(err)}`);
    }
    if (this.#disposed) return;
    const host = module.createXtermHost(element, options);
    this.#host = host;
    this.#cleanups.push(
      host.onData((data) => this.#session?.write(data)),
      host.onResize(({ cols, rows }) => this.#session?.resize(cols, rows)),
      () => host.dispose(),
    );
    // A session that moves to another sandbox gets a shell there; the old one ends.
    const offSwitch = this.#sandbox.onSwitch?.((_from, to) => this.#reattach(to));
    if (offSwitch) this.#cleanups.push(offSwitch);
    this.#start();
  }

  #reattach(to: Sandbox): void {
    if (this.#disposed || !this.#host) return;
    const old = this.#session;
    this.#stopOutput();
    this.#session = null;
    old?.kill();
    const where = to.kind === 'webcontainer' ? 'WebContainer' : 'the embedded sandbox';
    this.#host.write(`\r\n\x1b[2m[The session moved to ${where}: this is a new shell there.]\x1b[0m\r\n`);
    this.#start();
  }

  /** Opens a new shell once the last one has ended or failed to open (or xterm to load). */
  restart(): void {
    if (this.#disposed || this.phase === 'running' || this.phase === 'loading') return;
    if (!this.#host) {
      if (this.#element) void this.mount(this.#element, this.#options);
      return;
    }
    this.#start();
    this.#host.focus();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopOutput();
    this.#session?.kill();
    this.#session = null;
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    this.#host = null;
    this.#element = null;
  }

  #start(): void {
    const host = this.#host;
    if (!host) return;
    let session: ShellSession;
    try {
      session = this.#sandbox.openShell({ cols: host.cols, rows: host.rows });
    } catch (err) {
      return this.#fail(`The shell could not start: ${describe(err)}`);
    }
    this.#session = session;
    this.phase = 'running';
    this.message = '';
    this.#stopOutput = session.onOutput((data) => host.write(data));
    void session.exit.then(
      (code) => this.#ended(session, `The shell exited with code ${code}.`),
      (err: unknown) => this.#ended(session, `The shell stopped: ${describe(err)}`),
    );
  }

  #ended(session: ShellSession, message: string): void {
    if (this.#disposed || this.#session !== session) return;
    this.#stopOutput();
    this.#session = null;
    this.phase = 'exited';
    this.message = message;
    this.#host?.write(`\r\n\x1b[2m[${message}]\x1b[0m\r\n`);
  }

  #fail(message: string): void {
    if (this.#disposed) return;
    this.phase = 'failed';
    this.message = message;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
