/**
 * What runs first in a previewed page, before its own code: the page's console, uncaught
 * errors, unhandled rejections and failed loads go to the app (with file:line, the blob URLs
 * in stacks turned back into the workspace's paths); `fetch` of a relative URL is answered from
 * the site's files (a readable 404 for a missing one); links to other pages of the site ask the
 * app to show them. It is written into the page as text (`hooksScript`), so the function must
 * not use anything from outside itself.
 */

export interface HooksConfig {
  /** The page shown (a site path). */
  page: string;
  /** Site path → its blob URL in the frame (tokens until the frame replaces them). */
  files: Record<string, string>;
}

/** The message every hook sends to the app. */
export interface PreviewFrameMessage {
  source: 'unroll-preview';
  type: 'ready' | 'console' | 'navigate' | 'loaded';
  level?: 'log' | 'info' | 'warn' | 'error' | 'debug';
  /** What happened, in one line or a few. */
  message?: string;
  /** Where (a site path) and at which line, when known. */
  file?: string;
  line?: number;
  /** `navigate`: the site path to show. */
  path?: string;
}

function previewHooks(config: HooksConfig): void {
  const post = (message: Omit<PreviewFrameMessage, 'source'>) => {
    try {
      parent.postMessage({ source: 'unroll-preview', ...message }, '*');
    } catch {
      // the app is gone
    }
  };
  const paths = Object.entries(config.files).map(([path, url]) => [url, path] as const);
  const readable = (text: string) => {
    let out = text;
    for (const [url, path] of paths) if (url && out.includes(url)) out = out.split(url).join(path);
    return out;
  };
  const locate = (stack: string | undefined): { file?: string; line?: number } => {
    for (const line of (stack ?? '').split('\n')) {
      for (const [url, path] of paths) {
        const at = url ? line.indexOf(`${url}:`) : -1;
        if (at < 0) continue;
        const match = /^:(\d+)/.exec(line.slice(at + url.length));
        return { file: path, ...(match ? { line: Number(match[1]) } : {}) };
      }
    }
    return {};
  };
  const show = (value: unknown, depth = 0): string => {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return readable(value.stack && value.stack.includes(value.message) ? value.stack : `${value.name}: ${value.message}`);
    if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
    if (typeof value !== 'object' || value === null) return String(value);
    if (depth > 2) return Array.isArray(value) ? '[…]' : '{…}';
    try {
      if (Array.isArray(value))
        return `[${value
          .slice(0, 50)
          .map((v) => show(v, depth + 1))
          .join(', ')}${value.length > 50 ? ', …' : ''}]`;
      if (typeof Element !== 'undefined' && value instanceof Element) return `<${value.tagName.toLowerCase()}>`;
      const entries = Object.entries(value as Record<string, unknown>).slice(0, 30);
      return `{${entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : show(v, depth + 1)}`).join(', ')}}`;
    } catch {
      return String(value);
    }
  };
  const levels = ['log', 'info', 'warn', 'error', 'debug'] as const;
  for (const level of levels) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      original(...args);
      const where = locate(new Error().stack?.split('\n').slice(2).join('\n'));
      post({
        type: 'console',
        level,
        message: args
          .map((a) => show(a))
          .join(' ')
          .slice(0, 4000),
        ...where,
      });
    };
  }
  addEventListener(
    'error',
    (event) => {
      const target = event.target as (Element & { src?: string; href?: string }) | null;
      if (target && target !== (window as unknown) && 'tagName' in target) {
        const url = target.getAttribute('src') ?? target.getAttribute('href') ?? '';
        post({ type: 'console', level: 'error', message: `Failed to load <${target.tagName.toLowerCase()}> ${readable(url)}` });
        return;
      }
      const error = (event as ErrorEvent).error as unknown;
      const stack = error instanceof Error ? error.stack : undefined;
      const where = locate(stack ?? `at ${(event as ErrorEvent).filename}:${(event as ErrorEvent).lineno}`);
      const message = error instanceof Error ? show(error) : readable((event as ErrorEvent).message);
      post({ type: 'console', level: 'error', message: `Uncaught ${message}`, ...where });
    },
    true,
  );
  addEventListener('unhandledrejection', (event) => {
    const reason = (event as PromiseRejectionEvent).reason as unknown;
    post({
      type: 'console',
      level: 'error',
      message: `Unhandled rejection: ${show(reason)}`,
      ...locate(reason instanceof Error ? reason.stack : undefined),
    });
  });

  const realFetch = window.fetch.bind(window);
  const sitePath = (raw: string): string | null => {
    let url: URL;
    try {
      url = new URL(raw, document.baseURI);
    } catch {
      return null;
    }
    return url.protocol === 'unroll:' ? decodeURIComponent(url.pathname) : null;
  };
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = sitePath(raw);
    if (path === null) return realFetch(input, init);
    const url = config.files[path] ?? config.files[`${path.replace(/\/$/, '')}/index.html`];
    if (url) return realFetch(url, init);
    post({ type: 'console', level: 'error', message: `GET ${path} 404 (Not Found): there is no such file in the workspace` });
    return Promise.resolve(
      new Response(`Not found: ${path} is not a file of this workspace.\n`, {
        status: 404,
        statusText: 'Not Found',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      }),
    );
  };

  document.addEventListener('click', (event) => {
    const link = (event.target as Element | null)?.closest?.('a[href]');
    if (!link || (link as HTMLAnchorElement).target === '_blank' || event.defaultPrevented) return;
    const href = link.getAttribute('href') ?? '';
    if (href.startsWith('#')) return;
    const path = sitePath(href);
    if (path === null) return;
    event.preventDefault();
    post({ type: 'navigate', path });
  });
  addEventListener('load', () => post({ type: 'loaded', path: config.page }));
}

/** The hooks as the text of a classic script, configured for one page. */
export function hooksScript(config: HooksConfig): string {
  // `</` cannot end the script early: the JSON is written with it escaped.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `(${previewHooks.toString()})(${json});`;
}
