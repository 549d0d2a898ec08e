import { describe, expect, it } from 'vitest';
import { MAX_PREVIEW_ERRORS, Preview, frameSandbox, type PreviewSource } from '../../../src/app/preview.svelte';
import type { PreviewError, PreviewPort } from '../../../src/sandbox/sandbox';

/** A sandbox's preview surface whose servers the test opens and closes by hand. */
class FakePorts implements PreviewSource {
  readonly capabilities = { node: true, liveProcesses: true, previews: true };
  readonly #known = new Map<number, PreviewPort>();
  readonly #listeners = new Set<(port: PreviewPort) => void>();

  readonly #origin: (port: number) => string;

  constructor(origin = (port: number) => `https://app--${port}.preview.test`) {
    this.#origin = origin;
  }

  onPreview(listener: (port: PreviewPort) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  previews(): PreviewPort[] {
    return [...this.#known.values()];
  }

  open(port: number, url = this.#origin(port)): void {
    this.#emit({ port, url, open: true });
  }

  close(port: number): void {
    this.#emit({ port, url: '', open: false });
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  #emit(port: PreviewPort): void {
    this.#known.set(port.port, port);
    for (const listener of [...this.#listeners]) listener({ ...port });
  }
}

describe('Preview: choosing the server', () => {
  it('has no server and no URL until one listens, then selects the first that does', () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    expect(preview.supported).toBe(true);
    expect(preview.selectedPort).toBeNull();
    expect(preview.url).toBeNull();
    ports.open(5173);
    expect(preview.selectedPort).toBe(5173);
    expect(preview.url).toBe('https://app--5173.preview.test/');
    ports.open(3000);
    expect(preview.ports.map((p) => p.port)).toEqual([3000, 5173]);
    expect(preview.selectedPort).toBe(5173);
  });

  it('picks up servers that were already listening when it was made', () => {
    const ports = new FakePorts();
    ports.open(8080);
    ports.open(4000);
    ports.close(8080);
    const preview = new Preview(ports);
    expect(preview.ports.map((p) => p.port)).toEqual([4000]);
    expect(preview.selectedPort).toBe(4000);
  });

  it("keeps the user's choice while other servers open and close", () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(5173);
    ports.open(3000);
    preview.select(3000);
    expect(preview.url).toBe('https://app--3000.preview.test/');
    ports.open(8080);
    ports.close(5173);
    expect(preview.selectedPort).toBe(3000);
  });

  it('ignores a choice of a port that is not open', () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(5173);
    preview.select(9999);
    expect(preview.selectedPort).toBe(5173);
  });

  it('falls back to the lowest open port when the selected one closes, and to none after the last', () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(5173);
    ports.open(8080);
    ports.open(3000);
    ports.close(5173);
    expect(preview.selectedPort).toBe(3000);
    ports.close(3000);
    expect(preview.selectedPort).toBe(8080);
    ports.close(8080);
    expect(preview.selectedPort).toBeNull();
    expect(preview.url).toBeNull();
    expect(preview.ports).toEqual([]);
  });

  it('returns to the chosen server, on the page it showed, when it restarts', () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(3000);
    ports.open(5173);
    preview.select(5173);
    expect(preview.navigate('/docs?tab=2')).toBe(true);
    ports.close(5173);
    expect(preview.selectedPort).toBe(3000);
    ports.open(5173);
    expect(preview.selectedPort).toBe(5173);
    expect(preview.url).toBe('https://app--5173.preview.test/docs?tab=2');
  });

  it("starts on the path of the server's own URL", () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(4173, 'http://127.0.0.1:4173/tests/page.html?x=1');
    expect(preview.path).toBe('/tests/page.html?x=1');
    expect(preview.url).toBe('http://127.0.0.1:4173/tests/page.html?x=1');
  });

  it('never lists a port whose URL is not http(s)', () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(1, 'javascript:alert(1)');
    ports.open(2, 'not a url');
    expect(preview.ports).toEqual([]);
    expect(preview.url).toBeNull();
  });

  it('says when the sandbox cannot serve previews, and stops listening when disposed', () => {
    const ports = new FakePorts();
    const embedded: PreviewSource = { ...bind(ports), capabilities: { node: false, liveProcesses: false, previews: false } };
    expect(new Preview(embedded).supported).toBe(false);
    const preview = new Preview(ports);
    expect(ports.listenerCount).toBe(2);
    preview.dispose();
    expect(ports.listenerCount).toBe(1);
  });
});

describe('Preview: the URL bar', () => {
  function running(): Preview {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(5173);
    ports.open(3000);
    return preview;
  }

  it('takes paths, with or without the leading slash, and full URLs on the selected server', () => {
    const preview = running();
    expect(preview.navigate('/about?x=1#top')).toBe(true);
    expect(preview.url).toBe('https://app--5173.preview.test/about?x=1#top');
    expect(preview.navigate('api/items')).toBe(true);
    expect(preview.url).toBe('https://app--5173.preview.test/api/items');
    expect(preview.navigate('https://app--5173.preview.test/x')).toBe(true);
    expect(preview.path).toBe('/x');
    expect(preview.navigate('  ')).toBe(true);
    expect(preview.url).toBe('https://app--5173.preview.test/');
  });

  it.each([
    'https://example.com/',
    'http://app--5173.preview.test/', // same host, other scheme: another origin
    'https://app--3000.preview.test/', // another sandbox server: pick it with the port picker
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'localhost:9999/',
  ])('refuses %s with a message and stays where it was', (input) => {
    const preview = running();
    preview.navigate('/kept');
    expect(preview.navigate(input)).toBe(false);
    expect(preview.url?.startsWith('https://app--5173.preview.test/')).toBe(true);
    expect(preview.path).toBe('/kept');
    expect(preview.message).toMatch(/Only pages served by the sandbox|not a URL/);
  });

  it.each(['//evil.example/x', '///evil.example/x', '\\\\evil.example/x', '/\\evil.example/x'])(
    'reads %s as a path on the selected server, not as another host',
    (input) => {
      const preview = running();
      expect(preview.navigate(input)).toBe(true);
      expect(preview.url).toBe('https://app--5173.preview.test/evil.example/x');
    },
  );

  it('clears the refusal once a navigation succeeds', () => {
    const preview = running();
    preview.navigate('https://example.com');
    expect(preview.message).not.toBe('');
    preview.navigate('/ok');
    expect(preview.message).toBe('');
  });

  it('maps a localhost URL of an open server onto that server', () => {
    const preview = running();
    expect(preview.navigate('http://localhost:3000/health')).toBe(true);
    expect(preview.selectedPort).toBe(3000);
    expect(preview.url).toBe('https://app--3000.preview.test/health');
    expect(preview.navigate('localhost:5173')).toBe(true);
    expect(preview.url).toBe('https://app--5173.preview.test/');
  });

  it('refuses to navigate with no server running', () => {
    const preview = new Preview(new FakePorts());
    expect(preview.navigate('/x')).toBe(false);
    expect(preview.message).toMatch(/No server/);
  });
});

describe('Preview: reloading', () => {
  it('changes the reload key on reload and when the page shown is entered again', () => {
    const ports = new FakePorts();
    const preview = new Preview(ports);
    ports.open(5173);
    const first = preview.reloadKey;
    preview.reload();
    const second = preview.reloadKey;
    expect(second).not.toBe(first);
    preview.navigate('/');
    expect(preview.reloadKey).not.toBe(second);
    const third = preview.reloadKey;
    preview.navigate('/elsewhere');
    expect(preview.reloadKey).toBe(third); // a new URL loads by itself
  });
});

describe('frameSandbox', () => {
  it('grants same-origin only to pages on another origin than ours', () => {
    const tokens = (url: string) => frameSandbox(url, 'https://unroll.test').split(' ');
    expect(tokens('https://app--5173.preview.test/')).toContain('allow-same-origin');
    expect(tokens('https://app--5173.preview.test/')).toContain('allow-scripts');
    expect(tokens('https://unroll.test/page.html')).not.toContain('allow-same-origin');
    expect(tokens('not a url')).not.toContain('allow-same-origin');
    expect(tokens('https://app--5173.preview.test/')).not.toContain('allow-top-navigation');
  });
});

function bind(ports: FakePorts): PreviewSource {
  return {
    capabilities: ports.capabilities,
    onPreview: (listener) => ports.onPreview(listener),
    previews: () => ports.previews(),
  };
}

describe('Preview: errors from the pages', () => {
  it('lists what the pages report, keeps the last 50, clears on request and stops following on dispose', () => {
    const listeners = new Set<(error: PreviewError) => void>();
    const source: PreviewSource = {
      capabilities: { node: true, liveProcesses: true, previews: true },
      onPreview: () => () => undefined,
      previews: () => [],
      onPreviewError(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const preview = new Preview(source);
    const report = (message: string) => {
      for (const l of listeners) l({ kind: 'console_error', port: 5173, path: '/', message });
    };
    report('first');
    expect(preview.errors).toEqual([{ kind: 'console_error', port: 5173, path: '/', message: 'first' }]);
    for (let i = 0; i < MAX_PREVIEW_ERRORS + 5; i++) report(`e${i}`);
    expect(preview.errors).toHaveLength(MAX_PREVIEW_ERRORS);
    expect(preview.errors.at(-1)?.message).toBe(`e${MAX_PREVIEW_ERRORS + 4}`);
    preview.clearErrors();
    expect(preview.errors).toEqual([]);
    preview.dispose();
    expect(listeners.size).toBe(0);
  });

  it('has none from a sandbox without previews', () => {
    const preview = new Preview(new FakePorts());
    expect(preview.errors).toEqual([]);
  });
});
