/**
 * Listening servers, from the runtime's `port` events (a port opened or closed, with its
 * preview URL) and `server-ready` events (a server answers requests). Listeners hear about
 * a port only when what we know about it changed. And the errors the previewed pages report.
 */
import type { PreviewError, PreviewPort } from '../sandbox';
import type { PreviewMessage, WcInstance } from './types';

export class PreviewTracker {
  readonly #ports = new Map<number, PreviewPort>();
  readonly #listeners = new Set<(port: PreviewPort) => void>();

  /** Follows `wc`'s events; returns the function that stops following them. */
  attach(wc: WcInstance): () => void {
    const offPort = wc.on('port', (port, type, url) => this.update(port, url, type === 'open'));
    const offReady = wc.on('server-ready', (port, url) => this.update(port, url, true));
    return () => {
      offPort();
      offReady();
    };
  }

  list(): PreviewPort[] {
    return [...this.#ports.values()].sort((a, b) => a.port - b.port).map((p) => ({ ...p }));
  }

  subscribe(listener: (port: PreviewPort) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  update(port: number, url: string, open: boolean): void {
    const known = this.#ports.get(port);
    // A close event may come without a URL; keep the one we had.
    const next: PreviewPort = { port, url: url || known?.url || '', open };
    if (known && known.url === next.url && known.open === next.open) return;
    this.#ports.set(port, next);
    for (const listener of [...this.#listeners]) listener({ ...next });
  }
}

const KINDS: Record<string, PreviewError['kind']> = {
  PREVIEW_UNCAUGHT_EXCEPTION: 'uncaught_exception',
  PREVIEW_UNHANDLED_REJECTION: 'unhandled_rejection',
  PREVIEW_CONSOLE_ERROR: 'console_error',
};

const KIND_TEXT: Record<PreviewError['kind'], string> = {
  uncaught_exception: 'uncaught exception',
  unhandled_rejection: 'unhandled rejection',
  console_error: 'console.error',
};

/** The most errors one note lists, and the longest message it quotes. */
const NOTE_MAX_ERRORS = 10;
const NOTE_MAX_CHARS = 400;

/** A preview message as a PreviewError; undefined for a type this version does not know. */
function previewError(message: PreviewMessage): PreviewError | undefined {
  const kind = KINDS[String(message.type)];
  if (!kind) return undefined;
  const text = 'args' in message ? consoleText(message.args) : String(message.message ?? '');
  const path = `${message.pathname ?? '/'}${message.search ?? ''}${message.hash ?? ''}`;
  return { kind, port: message.port, path, message: text, ...(message.stack ? { stack: message.stack } : {}) };
}

/** console.error's arguments as the console would roughly print them. */
function consoleText(args: unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
      try {
        return JSON.stringify(arg) ?? String(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
}

/**
 * Errors the previewed pages report (`preview-message` events, with the boot option
 * `forwardPreviewErrors`): handed to listeners as they come (the preview pane lists them) and
 * kept until `takeNote` gives them to the model once.
 */
export class PreviewErrorLog {
  readonly #listeners = new Set<(error: PreviewError) => void>();
  #unreported: { error: PreviewError; count: number }[] = [];
  #dropped = 0;

  attach(wc: WcInstance): () => void {
    return wc.on('preview-message', (message) => {
      const error = previewError(message);
      if (error) this.add(error);
    });
  }

  subscribe(listener: (error: PreviewError) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  add(error: PreviewError): void {
    const same = this.#unreported.find((u) => sameError(u.error, error));
    if (same) same.count++;
    else if (this.#unreported.length < NOTE_MAX_ERRORS) this.#unreported.push({ error, count: 1 });
    else this.#dropped++;
    for (const listener of [...this.#listeners]) listener({ ...error });
  }

  /** The errors reported since the last call, as a note for the model; undefined when none. */
  takeNote(): string | undefined {
    if (this.#unreported.length === 0) return undefined;
    const lines = ['Preview errors since the last command (from the pages shown in the preview pane):'];
    for (const { error, count } of this.#unreported) {
      const times = count > 1 ? ` (${count} times)` : '';
      lines.push(`- ${KIND_TEXT[error.kind]} on :${error.port}${error.path}${times}: ${clip(error.message)}`);
      const frame = firstFrame(error.stack);
      if (frame) lines.push(`    ${frame}`);
    }
    if (this.#dropped > 0) lines.push(`- …and ${this.#dropped} more`);
    this.#unreported = [];
    this.#dropped = 0;
    return lines.join('\n');
  }
}

function sameError(a: PreviewError, b: PreviewError): boolean {
  return a.kind === b.kind && a.port === b.port && a.path === b.path && a.message === b.message;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > NOTE_MAX_CHARS ? `${line.slice(0, NOTE_MAX_CHARS)}…` : line;
}

/** Where the error was thrown: the stack's first `at …` line. */
function firstFrame(stack: string | undefined): string | undefined {
  return stack
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line.startsWith('at '))
    ?.slice(0, NOTE_MAX_CHARS);
}
